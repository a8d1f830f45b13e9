package otlpexport

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// TestHugeRetryAfterSaturates checks that a Retry-After beyond the range of
// a Duration ends the export at once, as any wait past its deadline does,
// instead of overflowing to a wait of zero or less (retries back to back).
func TestHugeRetryAfterSaturates(t *testing.T) {
	for _, v := range []string{"9223372037", "99999999999999999999999"} {
		s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", v)
			http.Error(w, "later", http.StatusServiceUnavailable)
		})
		exp, sl := newFaultExporter(t, s.URL+"/v1/traces")
		err := exp.Export(context.Background(), makeItems(1, 1))
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Retry-After %s: Export = %v, want a deadline error", v, err)
		}
		if n := len(s.requests()); n != 1 || len(sl.waits()) != 0 {
			t.Errorf("Retry-After %s: %d requests, waits %v; want 1 and none", v, n, sl.waits())
		}
	}
}

// TestHugeRetryWaitSaturates checks that WithRetry with a huge initial wait
// keeps every wait at the cap: doubling it used to overflow to negative
// waits, retries back to back.
func TestHugeRetryWaitSaturates(t *testing.T) {
	s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	exp, sl := newFaultExporter(t, s.URL+"/v1/traces", WithRetry(1<<60, time.Millisecond))
	exp.policy.MaxAttempts = 8
	if err := exp.Export(context.Background(), makeItems(1, 1)); err == nil {
		t.Fatal("Export = nil")
	}
	waits := sl.waits()
	if len(waits) != 7 {
		t.Fatalf("waits %v, want 7", waits)
	}
	for _, d := range waits {
		if d < time.Millisecond || d > 2*time.Millisecond {
			t.Errorf("waits %v: want each 1 ms plus jitter", waits)
			break
		}
	}
}
