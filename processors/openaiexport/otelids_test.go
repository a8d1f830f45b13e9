package openaiexport

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/propagation"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestJoinedTraceKeepsItsOTelTraceID: a trace that joins an upstream
// traceparent is sent to the dashboard as trace_ + the OTel trace id, for
// the trace object and its spans alike, so both backends name the run alike.
func TestJoinedTraceKeepsItsOTelTraceID(t *testing.T) {
	c := newCapture(t)
	exp := New(WithAPIKey("sk-test"), WithEndpoint(c.URL()))
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(processors.NewSync(exp)))
	ctx := propagation.TraceContext{}.Extract(context.Background(),
		propagation.MapCarrier{"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
	ctx, tr := tp.StartTrace(ctx, "w")
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	sp.End()
	tr.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	const want = "trace_0af7651916cd43dd8448eb211c80319c"
	seen := 0
	for _, r := range c.requests() {
		for _, item := range data(t, r.Body) {
			m := item.(map[string]any)
			id := m["trace_id"]
			if m["object"] == "trace" {
				id = m["id"]
			}
			if id != want {
				t.Errorf("%v %v: trace id %v, want %s", m["object"], m["id"], id, want)
			}
			seen++
		}
	}
	if seen < 2 {
		t.Fatalf("%d items sent, want the trace and its span", seen)
	}
}
