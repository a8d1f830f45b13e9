package openaiexport

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// selfWrapMarshal's MarshalJSON fails with an error that wraps itself.
type selfWrapMarshal struct{}

func (selfWrapMarshal) MarshalJSON() ([]byte, error) { return nil, &selfWrapError{} }

// TestSelfWrappingEncodeError checks that an item whose value fails to
// encode with a self-wrapping error still goes out, the value described,
// and that the export returns: no search of that error may loop.
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
		if err != nil {
			t.Errorf("Export = %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Export did not return")
	}
	exp.Shutdown(context.Background())
	reqs := srv.requests()
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"type":"custom"`) {
		t.Fatalf("requests %d, want the span in one", len(reqs))
	}
}
