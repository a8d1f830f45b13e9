package tracing_test

import (
	"context"
	"testing"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// discard is a processor that does nothing, to measure the tracing core alone.
type discard struct{}

func (discard) OnTraceStart(*tracing.Trace)      {}
func (discard) OnTraceEnd(*tracing.Trace)        {}
func (discard) OnSpanStart(*tracing.Span)        {}
func (discard) OnSpanEnd(*tracing.Span)          {}
func (discard) ForceFlush(context.Context) error { return nil }
func (discard) Shutdown(context.Context) error   { return nil }

func TestAllocations(t *testing.T) {
	data := &spans.Generation{Model: "gpt-4.1"}
	pin := func(name string, want float64, f func()) {
		t.Helper()
		if got := testing.AllocsPerRun(1000, f); got != want {
			t.Errorf("%s: %v allocs per run, want %v", name, got, want)
		}
	}

	off := tracing.NewProvider(tracing.WithDisabled(true), tracing.WithProcessor(discard{}))
	pin("trace on a disabled provider", 0, func() {
		_, tr := off.StartTrace(context.Background(), "w")
		tr.End()
	})

	on := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := on.StartTrace(context.Background(), "w")
	defer tr.End()
	on.SetDisabled(true)
	pin("span with tracing disabled", 0, func() {
		_, s := tracing.StartSpan(ctx, data)
		s.SetError(nil)
		s.End()
	})
	pin("Recording with tracing disabled", 0, func() {
		if tracing.Recording(ctx) {
			t.Fatal("Recording with tracing disabled")
		}
	})
	pin("span with no trace in the context", 0, func() {
		_, s := tracing.StartSpan(context.Background(), data)
		s.End()
	})
	pin("CustomSpan with no trace in the context", 0, func() {
		_, s := tracing.CustomSpan(context.Background(), "c", nil)
		s.End()
	})
	pin("CustomSpan with tracing disabled", 0, func() {
		_, s := tracing.CustomSpan(ctx, "c", nil)
		s.End()
	})
	pin("HandoffSpan with tracing disabled", 0, func() {
		_, s := tracing.HandoffSpan(ctx, "a", "b")
		s.End()
	})
	on.SetDisabled(false)
	offCtx, offTrace := on.StartTrace(ctx, "off", tracing.WithTraceDisabled(true))
	defer offTrace.End()
	pin("span in a disabled trace", 0, func() {
		_, s := tracing.StartSpan(offCtx, data)
		s.End()
	})
	pin("CustomSpan in a disabled trace", 0, func() {
		_, s := tracing.CustomSpan(offCtx, "c", nil)
		s.End()
	})
	pin("HandoffSpan in a disabled trace", 0, func() {
		_, s := tracing.HandoffSpan(offCtx, "a", "b")
		s.End()
	})
	// The span (which is also its context), its id, the data snapshot.
	pin("span start and end", 3, func() {
		_, s := tracing.StartSpan(ctx, data)
		s.End()
	})
}
