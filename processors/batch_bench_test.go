package processors

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The benchmarks compare the Batcher with the OpenTelemetry Go SDK's
// BatchSpanProcessor, both at their default settings, both feeding an
// exporter that discards, in the same run:
//
//	go test -run '^$' -bench 'Batch|OTel' -benchmem -count=6 ./processors/ > /tmp/batch-bench.txt
//	benchstat -col /impl /tmp/batch-bench.txt
//
// Span measures one span started and ended (with three fields or
// attributes set) by one goroutine; Delivered runs two goroutines producing
// deliveredSpans spans each flat out, then shuts down, and reports the share
// of spans the exporter received. SpanParallel is Span with one producer
// per GOMAXPROCS; SpanQueueFull is the hot path when the exporter hangs.

// otelDiscard is an OTel exporter that counts and discards spans.
type otelDiscard struct{ n atomic.Int64 }

func (d *otelDiscard) ExportSpans(_ context.Context, s []sdktrace.ReadOnlySpan) error {
	d.n.Add(int64(len(s)))
	return nil
}

func (d *otelDiscard) Shutdown(context.Context) error { return nil }

func BenchmarkBatchSpan(b *testing.B) {
	b.Run("impl=agenttrace", func(b *testing.B) {
		exp := &fakeDiscard{}
		bt := NewBatcher(exp, WithLogger(discardLogger()))
		tp := batchProvider(bt)
		ctx, tr := tp.StartTrace(context.Background(), "bench")
		b.ReportAllocs()
		for b.Loop() {
			fn := &spans.Function{Name: "lookup_order", Input: `{"id":42}`}
			_, sp := tracing.StartSpan(ctx, fn)
			fn.Output = "shipped"
			sp.End()
		}
		b.StopTimer()
		tr.End()
		_ = tp.Shutdown(context.Background())
		s := bt.Stats()
		b.ReportMetric(100*float64(s.Exported)/float64(s.Received), "delivered%")
	})
	b.Run("impl=otel", func(b *testing.B) {
		exp := &otelDiscard{}
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
		tracer := tp.Tracer("bench")
		ctx := context.Background()
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			_, sp := tracer.Start(ctx, "lookup_order")
			sp.SetAttributes(attribute.String("tool.name", "lookup_order"),
				attribute.String("tool.input", `{"id":42}`), attribute.String("tool.output", "shipped"))
			sp.End()
			n++
		}
		b.StopTimer()
		_ = tp.Shutdown(context.Background())
		b.ReportMetric(100*float64(exp.n.Load())/float64(n), "delivered%")
	})
}

// deliveredSpans is how many spans each of the two producers ends per run:
// far more than either queue holds, so that the share measures how well the
// worker keeps up rather than the queue size.
const deliveredSpans = 100_000

func BenchmarkBatchDelivered(b *testing.B) {
	run := func(b *testing.B) {
		var share float64
		runs := 0
		b.ReportAllocs()
		for b.Loop() {
			bt := NewBatcher(&fakeDiscard{}, WithLogger(discardLogger()))
			tp := batchProvider(bt)
			twoProducers(func() {
				ctx, tr := tp.StartTrace(context.Background(), "bench")
				for range deliveredSpans {
					fn := &spans.Function{Name: "lookup_order", Input: `{"id":42}`}
					_, sp := tracing.StartSpan(ctx, fn)
					fn.Output = "shipped"
					sp.End()
				}
				tr.End()
			})
			_ = tp.Shutdown(context.Background())
			s := bt.Stats()
			share += float64(s.Exported) / float64(s.Received)
			runs++
		}
		b.ReportMetric(100*share/float64(runs), "delivered%")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*2*deliveredSpans), "ns/span")
	}
	b.Run("impl=agenttrace", run)
	b.Run("impl=agenttrace-noyield", func(b *testing.B) {
		yieldToWorker = false
		defer func() { yieldToWorker = true }()
		run(b)
	})
	b.Run("impl=otel", func(b *testing.B) {
		var share float64
		runs := 0
		b.ReportAllocs()
		for b.Loop() {
			exp := &otelDiscard{}
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
			tracer := tp.Tracer("bench")
			twoProducers(func() {
				ctx, root := tracer.Start(context.Background(), "bench")
				for range deliveredSpans {
					_, sp := tracer.Start(ctx, "lookup_order")
					sp.SetAttributes(attribute.String("tool.name", "lookup_order"),
						attribute.String("tool.input", `{"id":42}`), attribute.String("tool.output", "shipped"))
					sp.End()
				}
				root.End()
			})
			_ = tp.Shutdown(context.Background())
			share += float64(exp.n.Load()) / float64(2*(deliveredSpans+1))
			runs++
		}
		b.ReportMetric(100*share/float64(runs), "delivered%")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(runs*2*deliveredSpans), "ns/span")
	})
}

func twoProducers(f func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 2 {
		wg.Go(func() { <-start; f() })
	}
	close(start)
	wg.Wait()
}

// BenchmarkBatchSpanQueueFull measures the hot path when the exporter hangs
// and every item is dropped.
func BenchmarkBatchSpanQueueFull(b *testing.B) {
	hole := newFakeStuck(true)
	bt := NewBatcher(hole, WithLogger(discardLogger()))
	tp := batchProvider(bt)
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	for range DefaultMaxQueueSize + DefaultMaxBatchSize {
		_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "fill"})
		sp.End()
	}
	b.ReportAllocs()
	for b.Loop() {
		fn := &spans.Function{Name: "lookup_order", Input: `{"id":42}`}
		_, sp := tracing.StartSpan(ctx, fn)
		fn.Output = "shipped"
		sp.End()
	}
	b.StopTimer()
	tr.End()
	close(hole.release)
	_ = tp.Shutdown(context.Background())
}

// BenchmarkBatchSpanParallel is BenchmarkBatchSpan with a producer per
// GOMAXPROCS, all ending spans into one processor.
func BenchmarkBatchSpanParallel(b *testing.B) {
	b.Run("impl=agenttrace", func(b *testing.B) {
		bt := NewBatcher(&fakeDiscard{}, WithLogger(discardLogger()))
		tp := batchProvider(bt)
		ctx, tr := tp.StartTrace(context.Background(), "bench")
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				fn := &spans.Function{Name: "lookup_order", Input: `{"id":42}`}
				_, sp := tracing.StartSpan(ctx, fn)
				fn.Output = "shipped"
				sp.End()
			}
		})
		b.StopTimer()
		tr.End()
		_ = tp.Shutdown(context.Background())
		s := bt.Stats()
		b.ReportMetric(100*float64(s.Exported)/float64(s.Received), "delivered%")
	})
	b.Run("impl=otel", func(b *testing.B) {
		exp := &otelDiscard{}
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
		tracer := tp.Tracer("bench")
		var n atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			local := int64(0)
			for pb.Next() {
				_, sp := tracer.Start(ctx, "lookup_order")
				sp.SetAttributes(attribute.String("tool.name", "lookup_order"),
					attribute.String("tool.input", `{"id":42}`), attribute.String("tool.output", "shipped"))
				sp.End()
				local++
			}
			n.Add(local)
		})
		b.StopTimer()
		_ = tp.Shutdown(context.Background())
		b.ReportMetric(100*float64(exp.n.Load())/float64(n.Load()), "delivered%")
	})
}
