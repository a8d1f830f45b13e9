package otlpexport

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestBatcherBatchSize ends 600 spans through a Batcher made without
// WithMaxBatchSize: the server receives requests of DefaultBatchSize spans
// and the rest, each encoded as the protobuf library decodes it.
func TestBatcherBatchSize(t *testing.T) {
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithServiceName("batch"))
	if err != nil {
		t.Fatal(err)
	}
	if got := exp.BatchSize(); got != DefaultBatchSize {
		t.Fatalf("BatchSize = %d, want %d", got, DefaultBatchSize)
	}
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "batch")
	for range 600 {
		_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "lookup", Input: `{"id":1}`, Output: "ok"})
		sp.End()
	}
	if err := tp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	tr.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range s.requests() {
		got = append(got, len(r.Req.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()))
	}
	// The 600 spans, then the trace's root at Shutdown.
	if diff := cmp.Diff([]int{DefaultBatchSize, 600 - DefaultBatchSize, 1}, got); diff != "" {
		t.Errorf("spans per request (-want +got):\n%s", diff)
	}
}
