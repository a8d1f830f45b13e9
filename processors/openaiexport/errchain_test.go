package openaiexport

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// selfWrapMarshal's MarshalJSON fails with an error that wraps itself.
type selfWrapMarshal struct{}

func (selfWrapMarshal) MarshalJSON() ([]byte, error) { return nil, &selfWrapError{} }

// TestSelfWrappingEncodeError checks that an item whose encoding fails with
// a self-wrapping error is dropped, counted, and the export returns (the
// search of the error for the malformed kind never ended).
func TestSelfWrappingEncodeError(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey(guardKey))
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Custom{Name: "c", Data: map[string]any{"v": selfWrapMarshal{}}})
	sp.End()
	tr.End()
	done := make(chan error, 1)
	go func() { done <- exp.Export(context.Background(), rec.Items()) }()
	select {
	case err := <-done:
		if d := processors.Dropped(err, countSent(rec.Items())); d[processors.DropExportFailed] != 1 || !strings.Contains(err.Error(), "self-wrapping") {
			t.Errorf("Export = %v, dropped %v; want the one span", err, d)
		}
	case <-time.After(time.Minute):
		t.Fatal("Export did not return")
	}
	exp.Shutdown(context.Background())
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want the trace's", n)
	}
}
