package tracing_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

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
	// The span (which is also its context, its OTel span and its id's
	// bytes) and the data snapshot.
	pin("span start and end", 2, func() {
		sctx, s := tracing.StartSpan(ctx, data)
		if !trace.SpanContextFromContext(sctx).IsValid() {
			t.Fatal("no OTel span context in the span's context")
		}
		s.End()
	})

	// Sampled out: a trace joining a sampled-out OTel parent costs what a
	// disabled one costs, and so do the spans of any sampled-out trace.
	unsampled := propagation.TraceContext{}.Extract(context.Background(), propagation.MapCarrier{
		"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
	})
	pin("trace joining a sampled-out OTel parent", 0, func() {
		_, tr := on.StartTrace(unsampled, "w")
		tr.End()
	})
	pin("span in a trace joining a sampled-out parent", 0, func() {
		_, s := tracing.StartSpan(unsampled, data)
		s.End()
	})
	never := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}), tracing.WithSamplingRatio(0))
	// The one allocation is the context carrying the new trace's ids.
	pin("sampled-out root trace", 1, func() {
		_, tr := never.StartTrace(context.Background(), "w")
		tr.End()
	})
	outCtx, outTrace := never.StartTrace(context.Background(), "w")
	defer outTrace.End()
	pin("span in a sampled-out root trace", 0, func() {
		_, s := tracing.StartSpan(outCtx, data)
		s.End()
	})
	pin("CustomSpan in a sampled-out root trace", 0, func() {
		_, s := tracing.CustomSpan(outCtx, "c", nil)
		s.End()
	})
}
