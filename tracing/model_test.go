package tracing_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// A disabled span is nil, and so is everything started inside it, as with
// the Python SDK's disabled=True; its siblings are recorded.
func TestSpanDisabled(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	off := tracing.WithSpanDisabled(true)
	for name, start := range map[string]func() (context.Context, *tracing.Span){
		"StartSpan": func() (context.Context, *tracing.Span) {
			return tracing.StartSpan(ctx, &spans.Agent{Name: "hidden"}, off)
		},
		"CustomSpan":  func() (context.Context, *tracing.Span) { return tracing.CustomSpan(ctx, "hidden", nil, off) },
		"HandoffSpan": func() (context.Context, *tracing.Span) { return tracing.HandoffSpan(ctx, "a", "b", off) },
	} {
		sctx, s := start()
		if s != nil {
			t.Fatalf("%s: a disabled span must be nil", name)
		}
		if tracing.Recording(sctx) || tracing.TraceFromContext(sctx) != nil {
			t.Errorf("%s: spans inside a disabled span must not be recorded", name)
		}
		_, child := tracing.StartSpan(sctx, &spans.Custom{Name: "child"})
		child.End()
		s.End()
	}
	_, on := tracing.StartSpan(ctx, &spans.Agent{Name: "shown"}, tracing.WithSpanDisabled(false))
	on.End()
	tr.End()
	want := &tracingtest.Node{Kind: "trace", Name: "w", Children: []*tracingtest.Node{{Kind: "agent", Name: "shown"}}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}

	pinned := testing.AllocsPerRun(1000, func() {
		_, s := tracing.CustomSpan(ctx, "c", nil, off)
		s.End()
	})
	if pinned != 1 {
		t.Errorf("a disabled CustomSpan: %v allocs, want 1 (the context marking the disabled run)", pinned)
	}
}

func TestSpanSetMetadata(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	given := map[string]any{"a": 1}
	_, s := tracing.StartSpan(ctx, &spans.Custom{Name: "c"}, tracing.WithSpanMetadata(given))
	before := s.Metadata()
	s.SetMetadata("attempts", 2)
	s.End()
	s.SetMetadata("late", true)
	tr.End()
	if diff := cmp.Diff(map[string]any{"a": 1, "attempts": 2}, rec.Spans()[0].Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	if len(given) != 1 || len(before) != 1 {
		t.Errorf("SetMetadata changed a map it did not own: given %v, returned earlier %v", given, before)
	}
	var nilSpan *tracing.Span
	nilSpan.SetMetadata("k", 1) // no panic
}

func TestTraceInputOutput(t *testing.T) {
	for _, sensitive := range []bool{true, false} {
		tp, rec := tracingtest.NewProvider(tracing.WithSensitiveData(sensitive))
		_, tr := tp.StartTrace(context.Background(), "w")
		tr.SetInput("Where is my order?")
		tr.SetOutput([]spans.Message{{Role: "assistant", Content: "Shipped."}})
		tr.End()
		tr.SetOutput("late")
		got := rec.Traces()[0]
		if sensitive {
			if got.Input() != "Where is my order?" || cmp.Diff([]spans.Message{{Role: "assistant", Content: "Shipped."}}, got.Output()) != "" {
				t.Errorf("input %v, output %v", got.Input(), got.Output())
			}
		} else if got.Input() != nil || got.Output() != nil {
			t.Errorf("with sensitive data excluded the trace kept input %v, output %v", got.Input(), got.Output())
		}
	}
	var nilTrace *tracing.Trace
	nilTrace.SetInput("x")
	if nilTrace.Input() != nil || nilTrace.Output() != nil {
		t.Error("nil trace")
	}
}

func TestFunctionSpan(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, span := tracing.FunctionSpan(ctx, "lookup_order", `{"id":"A1"}`)
	span.SetOutput(map[string]any{"status": "shipped"})
	span.SetError(errors.New("slow"))
	span.End()
	span.SetOutput("late")
	_, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	agent.SetOutput("done")
	agent.End()
	_, gen := tracing.StartSpan(ctx, &spans.Generation{Model: "m"})
	gen.SetOutput("ignored") // typed outputs are left alone
	gen.End()
	tr.End()
	got := rec.Spans()
	want := &spans.Function{Name: "lookup_order", Input: `{"id":"A1"}`, Output: map[string]any{"status": "shipped"}}
	if diff := cmp.Diff(want, got[0].Data()); diff != "" || got[0].Error().Message != "slow" {
		t.Errorf("function span (-want +got):\n%s error %v", diff, got[0].Error())
	}
	if got[1].Data().(*spans.Agent).Output != "done" || got[2].Data().(*spans.Generation).Output != nil {
		t.Error("SetOutput on agent or generation data")
	}
	if n := testing.AllocsPerRun(1000, func() {
		_, s := tracing.FunctionSpan(context.Background(), "f", "{}")
		s.SetOutput(nil)
		s.End()
	}); n != 0 {
		t.Errorf("FunctionSpan outside a trace: %v allocs, want 0", n)
	}
}

// A run disabled on purpose is marked in the context even outside any
// trace, so that integrations which start traces of their own start none;
// the "no-op" id disables as the Python SDK's does.
func TestSuppressed(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	bg := context.Background()
	if tracing.Suppressed(bg) {
		t.Fatal("a plain context is not suppressed")
	}
	off, tr := tp.StartTrace(bg, "off", tracing.WithTraceDisabled(true))
	if tr != nil || !tracing.Suppressed(off) {
		t.Fatal("WithTraceDisabled outside a trace must mark the context")
	}
	if _, s := tracing.CustomSpan(bg, "c", nil, tracing.WithSpanDisabled(true)); s != nil {
		t.Fatal("a disabled span must be nil")
	}
	if ctx, _ := tracing.CustomSpan(bg, "c", nil, tracing.WithSpanDisabled(true)); !tracing.Suppressed(ctx) {
		t.Error("WithSpanDisabled outside a trace must mark the context")
	}
	noop, tr2 := tp.StartTrace(bg, "noop", tracing.WithTraceID(tracing.NoOpID))
	if tr2 != nil || !tracing.Suppressed(noop) {
		t.Error(`a trace with the id "no-op" must be disabled`)
	}
	ctx, live := tp.StartTrace(bg, "live")
	sctx, s := tracing.StartSpan(ctx, &spans.Agent{Name: "x"}, tracing.WithSpanID(tracing.NoOpID))
	_, fs := tracing.FunctionSpan(ctx, "f", "{}", tracing.WithSpanID(tracing.NoOpID))
	_, child := tracing.StartSpan(sctx, &spans.Custom{Name: "child"})
	if s != nil || fs != nil || child != nil || !tracing.Suppressed(sctx) || tracing.Suppressed(ctx) {
		t.Error(`a span with the id "no-op" and its children must be disabled`)
	}
	live.End()
	if diff := cmp.Diff(&tracingtest.Node{Kind: "trace", Name: "live"}, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	disable := tracing.WithTraceDisabled(true)
	if n := testing.AllocsPerRun(100, func() { tp.StartTrace(off, "again", disable) }); n != 0 {
		t.Errorf("disabling inside a suppressed context: %v allocs, want 0", n)
	}
}

// With sensitive data left out, the errors of tool and model calls, which
// tend to quote their inputs, are replaced by a notice for every exporter;
// other spans keep theirs.
func TestSensitiveErrorsRedacted(t *testing.T) {
	for _, sensitive := range []bool{true, false} {
		tp, rec := tracingtest.NewProvider(tracing.WithSensitiveData(sensitive))
		ctx, tr := tp.StartTrace(context.Background(), "w")
		card := &tracing.SpanError{Message: "card 4111 1111 1111 1111 declined", Data: map[string]any{"card": "4111"}}
		for _, d := range []spans.Data{&spans.Function{Name: "pay"}, &spans.Generation{}, &spans.Response{},
			&spans.Transcription{}, &spans.Speech{}, &spans.Embedding{}, &spans.Agent{Name: "a"}} {
			_, s := tracing.StartSpan(ctx, d)
			s.SetError(card)
			s.End()
		}
		tr.End()
		for _, s := range rec.Spans() {
			want := card
			if !sensitive {
				switch s.Kind() {
				case spans.KindFunction:
					want = &tracing.SpanError{Message: tracing.ToolErrorRedacted}
				case spans.KindAgent:
				default:
					want = &tracing.SpanError{Message: tracing.ModelErrorRedacted}
				}
			}
			if diff := cmp.Diff(want, s.Error()); diff != "" {
				t.Errorf("sensitive %v, %v span error (-want +got):\n%s", sensitive, s.Kind(), diff)
			}
		}
	}
}
