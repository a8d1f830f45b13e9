package tracing_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

func TestOurSpanIDsCarryTheirOTelID(t *testing.T) {
	for range 100 {
		id := tracing.NewSpanID()
		if got := tracing.OTelSpanID(id).String(); got != id[len(id)-16:] {
			t.Fatalf("OTelSpanID(%q) = %s, want its last 16 digits", id, got)
		}
	}
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	sp.End()
	if got, id := sp.SpanContext().SpanID().String(), sp.ID(); got != id[len(id)-16:] {
		t.Fatalf("span %q has OTel span id %s", id, got)
	}
	if got := tr.SpanContext().TraceID().String(); "trace_"+got != tr.ID() {
		t.Fatalf("trace %q has OTel trace id %s", tr.ID(), got)
	}
	// An id of ours given back with WithSpanID keeps the same OTel id.
	mine := tracing.NewSpanID()
	_, sp = tracing.StartSpan(ctx, &spans.Agent{Name: "b"}, tracing.WithSpanID(mine))
	sp.End()
	if sp.SpanContext().SpanID() != tracing.OTelSpanID(mine) || sp.SpanContext().SpanID().String() != mine[len(mine)-16:] {
		t.Fatalf("WithSpanID(%q): OTel span id %s", mine, sp.SpanContext().SpanID())
	}
}

// TestCustomSpanIDsUseTheWholeID: ids that differ only in their first hex
// digits, or are not of our form at all, still get distinct OTel ids.
func TestCustomSpanIDsUseTheWholeID(t *testing.T) {
	seen := map[string]string{}
	add := func(id string) {
		got := tracing.OTelSpanID(id)
		if !got.IsValid() || got != tracing.OTelSpanID(id) {
			t.Fatalf("OTelSpanID(%q) = %v: invalid or unstable", id, got)
		}
		if other, dup := seen[got.String()]; dup && other != id {
			t.Fatalf("%q and %q map to the same OTel span id %s", id, other, got)
		}
		seen[got.String()] = id
	}
	for i := range 256 {
		add(fmt.Sprintf("span_%08x%016x", i, 7)) // same last 16 digits
		add(fmt.Sprintf("span_%024x", i))
		add(fmt.Sprintf("step-%d", i))
	}
	add("")
	add("span_000000000000000000000000")
	// Spans of a custom generator (tracingtest's sequential ids) follow the rule.
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	sp.End()
	tr.End()
	if sp.SpanContext().SpanID() != tracing.OTelSpanID(sp.ID()) {
		t.Errorf("span %q: OTel id %v, want OTelSpanID's %v", sp.ID(), sp.SpanContext().SpanID(), tracing.OTelSpanID(sp.ID()))
	}
}

func TestOTelTraceID(t *testing.T) {
	if got := tracing.OTelTraceID("trace_0af7651916cd43dd8448eb211c80319c").String(); got != "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("trace id = %s", got)
	}
	for _, id := range []string{"run-42", "", "trace_00000000000000000000000000000000", "trace_XYZ"} {
		a := tracing.OTelTraceID(id)
		if !a.IsValid() || a != tracing.OTelTraceID(id) {
			t.Errorf("OTelTraceID(%q) = %v", id, a)
		}
	}
	if tracing.OTelTraceID("a") == tracing.OTelTraceID("b") {
		t.Error("two custom trace ids map to one OTel trace id")
	}
}

func TestRootSpanIDs(t *testing.T) {
	// With a custom generator the root span id is derived from the trace id
	// (deterministic tests), and differs between traces.
	tp1, _ := tracingtest.NewProvider()
	tp2, _ := tracingtest.NewProvider()
	_, a := tp1.StartTrace(context.Background(), "w")
	_, b := tp2.StartTrace(context.Background(), "w")
	_, c := tp1.StartTrace(context.Background(), "w")
	if !a.SpanContext().Equal(b.SpanContext()) || a.SpanContext().SpanID() == c.SpanContext().SpanID() {
		t.Errorf("sequential roots %v %v %v: want the first two equal, the third different", a.SpanContext(), b.SpanContext(), c.SpanContext())
	}
	// A hand-shared trace id gives every trace a root of its own.
	id := tracing.NewTraceID()
	_, d := tp1.StartTrace(context.Background(), "w", tracing.WithTraceID(id))
	_, e := tp2.StartTrace(context.Background(), "w", tracing.WithTraceID(id))
	if d.SpanContext().SpanID() == e.SpanContext().SpanID() {
		t.Errorf("two traces of id %s share the root span id %v", id, d.SpanContext().SpanID())
	}
	for _, tr := range []*tracing.Trace{a, b, c, d, e} {
		tr.End()
	}
}
