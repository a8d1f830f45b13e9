package openaiexport

import (
	"context"
	"testing"
	"time"
)

// TestHugeBackoffSaturates checks that WithBackoff with a huge initial wait
// keeps every wait at the cap: doubling it used to overflow to negative
// waits, retries back to back.
func TestHugeBackoffSaturates(t *testing.T) {
	srv := newCapture(t, 500, 500, 500, 500, 500, 500)
	var w noWait
	exp := New(WithEndpoint(srv.URL()), WithAPIKey(guardKey), WithMaxAttempts(6), WithBackoff(1<<61, time.Second))
	exp.sleep = w.sleep
	defer exp.Shutdown(context.Background())
	if err := exp.Export(context.Background(), oneSpan(t)); err == nil {
		t.Fatal("Export = nil")
	}
	waits := w.Waits()
	if len(waits) != 5 {
		t.Fatalf("waits %v, want 5", waits)
	}
	for _, d := range waits {
		if d < time.Second || d > 1100*time.Millisecond {
			t.Errorf("waits %v: want each 1 s plus jitter", waits)
			break
		}
	}
}
