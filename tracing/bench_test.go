package tracing_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	oteltrace "go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The benchmarks below measure starting and ending one span. The OTel ones
// are the peer: a sampled span with 3 attributes through a BatchSpanProcessor
// feeding an exporter that discards, as in the reference measurements.
//
//	go test -run '^$' -bench . -benchmem -count=6 ./tracing/ | tee bench.txt
//	benchstat bench.txt
//
// BenchmarkSpan and BenchmarkOTelSpan also report cpu-ns/op: the CPU time
// of the whole process per span (every thread: the garbage collector and
// the OTel batch processor's goroutine included). On a machine shared with
// other work, wall time measures the share of the CPU the benchmark got;
// CPU time measures the work.

// perOp runs op b.N times and reports the process's CPU time per op.
func perOp(b *testing.B, op func()) {
	b.ReportAllocs()
	start := processCPU()
	for range b.N {
		op()
	}
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkSpanDisabled(b *testing.B) {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	tp.SetDisabled(true)
	data := &spans.Generation{Model: "gpt-4.1"}
	b.ReportAllocs()
	for b.Loop() {
		_, s := tracing.StartSpan(ctx, data)
		s.End()
	}
}

// BenchmarkSpanDisabledLiteral builds the data per call, as instrumented
// code usually does: the literal escapes to the heap even when no span is
// recorded. BenchmarkSpanDisabledGuarded checks Recording first.
func BenchmarkSpanDisabledLiteral(b *testing.B) {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	tp.SetDisabled(true)
	b.ReportAllocs()
	for b.Loop() {
		_, s := tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1"})
		s.End()
	}
}

// BenchmarkSpanDisabledLiteralMessages adds the input messages, as a model
// call's instrumentation does: the slice literal escapes too.
func BenchmarkSpanDisabledLiteralMessages(b *testing.B) {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	tp.SetDisabled(true)
	question := "Where is my order?"
	b.ReportAllocs()
	for b.Loop() {
		_, s := tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1", Input: []spans.Message{{Role: "user", Content: question}}})
		s.End()
	}
}

func BenchmarkSpanDisabledGuarded(b *testing.B) {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	tp.SetDisabled(true)
	b.ReportAllocs()
	for b.Loop() {
		var s *tracing.Span
		if tracing.Recording(ctx) {
			_, s = tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1"})
		}
		s.End()
	}
}

func BenchmarkSpanNoTrace(b *testing.B) {
	ctx := context.Background()
	data := &spans.Generation{Model: "gpt-4.1"}
	b.ReportAllocs()
	for b.Loop() {
		_, s := tracing.StartSpan(ctx, data)
		s.End()
	}
}

// BenchmarkSpan fills a new Generation per span, as instrumented code does.
func BenchmarkSpan(b *testing.B) {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	usage := &spans.Usage{InputTokens: 120, OutputTokens: 45}
	perOp(b, func() {
		gen := &spans.Generation{Model: "gpt-4.1"}
		_, s := tracing.StartSpan(ctx, gen)
		gen.Usage = usage
		s.End()
	})
}

func BenchmarkSpanParallel(b *testing.B) {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	usage := &spans.Usage{InputTokens: 120, OutputTokens: 45}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			gen := &spans.Generation{Model: "gpt-4.1"}
			_, s := tracing.StartSpan(ctx, gen)
			gen.Usage = usage
			s.End()
		}
	})
}

type otelDiscard struct{}

func (otelDiscard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (otelDiscard) Shutdown(context.Context) error                             { return nil }

// otelTracer returns a tracer of a provider with a BatchSpanProcessor feeding
// otelDiscard, and a context holding an open root span of it.
func otelTracer(b *testing.B) (context.Context, oteltrace.Tracer) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(otelDiscard{}))
	tracer := tp.Tracer("bench")
	ctx, root := tracer.Start(context.Background(), "w")
	b.Cleanup(func() {
		root.End()
		_ = tp.Shutdown(context.Background())
	})
	return ctx, tracer
}

func BenchmarkOTelSpan(b *testing.B) {
	ctx, tracer := otelTracer(b)
	perOp(b, func() {
		_, s := tracer.Start(ctx, "chat gpt-4.1")
		s.SetAttributes(
			attribute.String("gen_ai.request.model", "gpt-4.1"),
			attribute.Int("gen_ai.usage.input_tokens", 120),
			attribute.Int("gen_ai.usage.output_tokens", 45),
		)
		s.End()
	})
}

func BenchmarkOTelSpanParallel(b *testing.B) {
	ctx, tracer := otelTracer(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, s := tracer.Start(ctx, "chat gpt-4.1")
			s.SetAttributes(
				attribute.String("gen_ai.request.model", "gpt-4.1"),
				attribute.Int("gen_ai.usage.input_tokens", 120),
				attribute.Int("gen_ai.usage.output_tokens", 45),
			)
			s.End()
		}
	})
}

func BenchmarkOTelSpanNoop(b *testing.B) {
	tracer := noop.NewTracerProvider().Tracer("bench")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, s := tracer.Start(ctx, "chat gpt-4.1")
		s.SetAttributes(
			attribute.String("gen_ai.request.model", "gpt-4.1"),
			attribute.Int("gen_ai.usage.input_tokens", 120),
			attribute.Int("gen_ai.usage.output_tokens", 45),
		)
		s.End()
	}
}
