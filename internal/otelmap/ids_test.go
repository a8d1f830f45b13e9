package otelmap

import (
	"context"
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// fixedIDs hands out the span ids it is given, in order.
type fixedIDs struct{ spans []string }

func (g *fixedIDs) NewTraceID() string { return "trace_0000000000000000000000000000abcd" }
func (g *fixedIDs) NewSpanID() string {
	id := g.spans[0]
	g.spans = g.spans[1:]
	return id
}

func convertOrFail(t *testing.T, it processors.Item) *tracepb.Span {
	t.Helper()
	ps, err := New(Config{}).Convert(it)
	if err != nil || ps == nil {
		t.Fatalf("Convert: %v, %v", ps, err)
	}
	return ps
}

// TestIDsAreTheSpanContexts: the OTLP ids are the ones the context carried
// (Trace.SpanContext, Span.SpanContext), for a trace that joined a remote
// parent and for a nested span.
func TestIDsAreTheSpanContexts(t *testing.T) {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	rctx := propagation.TraceContext{}.Extract(context.Background(),
		propagation.MapCarrier{"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
	ctx, tr := tp.StartTrace(rctx, "w")
	actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	gctx, gen := tracing.StartSpan(actx, &spans.Generation{Model: "m"})
	gen.End()
	agent.End()
	tr.End()
	if trace.SpanContextFromContext(gctx).SpanID() != gen.SpanContext().SpanID() {
		t.Fatal("the context does not carry the generation's span context")
	}

	root := convertOrFail(t, processors.TraceItem(processors.TraceEnded, tr))
	want := tr.SpanContext()
	if tid := want.TraceID(); string(root.GetTraceId()) != string(tid[:]) || fmt.Sprintf("%x", root.GetTraceId()) != "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("root trace id %x", root.GetTraceId())
	}
	if sid := want.SpanID(); string(root.GetSpanId()) != string(sid[:]) {
		t.Errorf("root span id %x, want %v", root.GetSpanId(), sid)
	}
	if fmt.Sprintf("%x", root.GetParentSpanId()) != "b7ad6b7169203331" {
		t.Errorf("root parent %x, want the remote span", root.GetParentSpanId())
	}
	remote := uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK | tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK)
	if root.GetFlags() != remote|uint32(trace.FlagsSampled) {
		t.Errorf("root flags %#x, want sampled with a remote parent", root.GetFlags())
	}
	for _, sp := range []*tracing.Span{agent, gen} {
		ps := convertOrFail(t, processors.SpanItem(sp))
		sid, pid := sp.SpanContext().SpanID(), sp.ParentSpanContext().SpanID()
		if string(ps.GetSpanId()) != string(sid[:]) || string(ps.GetParentSpanId()) != string(pid[:]) {
			t.Errorf("%s: ids %x parent %x, want %v parent %v", sp.Name(), ps.GetSpanId(), ps.GetParentSpanId(), sid, pid)
		}
		if ps.GetFlags()&uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK) != 0 {
			t.Errorf("%s: a local parent marked remote", sp.Name())
		}
	}
	if pid := gen.ParentSpanContext().SpanID(); pid != agent.SpanContext().SpanID() {
		t.Errorf("generation parent %v, want the agent %v", pid, agent.SpanContext().SpanID())
	}
}

// TestCustomSpanIDsNeverCollide: custom ids that differ only in their first
// hex digits used to keep only their last 16 and collide.
func TestCustomSpanIDsNeverCollide(t *testing.T) {
	ids := &fixedIDs{spans: []string{
		"span_00000001aaaaaaaaaaaaaaaa",
		"span_00000002aaaaaaaaaaaaaaaa",
		"span_ffffffffaaaaaaaaaaaaaaaa",
	}}
	n := len(ids.spans)
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithIDGenerator(ids))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	seen := map[string]bool{}
	for range n {
		_, sp := tracing.StartSpan(ctx, &spans.Custom{Name: "c"})
		sp.End()
		ps := convertOrFail(t, processors.SpanItem(sp))
		k := fmt.Sprintf("%x", ps.GetSpanId())
		if seen[k] {
			t.Fatalf("span %s: OTLP span id %s already sent", sp.ID(), k)
		}
		seen[k] = true
	}
}
