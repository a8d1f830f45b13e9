package tracing_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestRatioSamplingAgreesWithOTel decides 2000 trace ids both ways: the
// provider's ratio and OTel's TraceIDRatioBased must agree on every one.
func TestRatioSamplingAgreesWithOTel(t *testing.T) {
	for _, ratio := range []float64{0.1, 0.5, 0.9} {
		tp, _ := tracingtest.NewProvider(tracing.WithSamplingRatio(ratio))
		sampler := sdktrace.TraceIDRatioBased(ratio)
		kept := 0
		for range 2000 {
			id := tracing.NewTraceID()
			_, tr := tp.StartTrace(context.Background(), "w", tracing.WithTraceID(id))
			res := sampler.ShouldSample(sdktrace.SamplingParameters{ParentContext: context.Background(), TraceID: tracing.OTelTraceID(id)})
			if want := res.Decision == sdktrace.RecordAndSample; (tr != nil) != want {
				t.Fatalf("ratio %v, trace %s: recorded %v, OTel samples %v", ratio, id, tr != nil, want)
			}
			if tr != nil {
				kept++
			}
			tr.End()
		}
		if got := float64(kept) / 2000; math.Abs(got-ratio) > 0.05 {
			t.Errorf("ratio %v kept %v of the traces", ratio, got)
		}
	}
}

func TestDefaultTraceIDsSampleEvenly(t *testing.T) {
	// Version-4 UUIDs would make a ratio of 0.5 keep nothing: their byte 8
	// always starts with the bits 10.
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithSamplingRatio(0.5))
	kept := 0
	for range 2000 {
		_, tr := tp.StartTrace(context.Background(), "w")
		if tr != nil {
			kept++
		}
		tr.End()
	}
	if kept < 800 || kept > 1200 {
		t.Errorf("ratio 0.5 kept %d of 2000 traces", kept)
	}
}

func TestSamplingRatioClamps(t *testing.T) {
	for _, tc := range []struct {
		ratio float64
		want  bool
	}{{2, true}, {1, true}, {math.NaN(), true}, {0, false}, {-1, false}} {
		tp, _ := tracingtest.NewProvider(tracing.WithSamplingRatio(tc.ratio))
		// trace_…01 is sampled at any ratio above 2^-63.
		_, tr := tp.StartTrace(context.Background(), "w")
		if (tr != nil) != tc.want {
			t.Errorf("ratio %v: recorded %v, want %v", tc.ratio, tr != nil, tc.want)
		}
		tr.End()
	}
}

func TestParentBasedSampling(t *testing.T) {
	tp, rec := tracingtest.NewProvider(tracing.WithSamplingRatio(0)) // the parent decides, not the ratio
	prop := propagation.TraceContext{}
	for _, tc := range []struct {
		flags string
		want  bool
	}{{"01", true}, {"00", false}} {
		parent := "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-" + tc.flags
		ctx := prop.Extract(context.Background(), propagation.MapCarrier{"traceparent": parent})
		tctx, tr := tp.StartTrace(ctx, "w")
		if (tr != nil) != tc.want {
			t.Fatalf("parent flags %s: recorded %v, want %v", tc.flags, tr != nil, tc.want)
		}
		sctx, sp := tracing.StartSpan(tctx, &spans.Agent{Name: "a"})
		if (sp != nil) != tc.want {
			t.Fatalf("parent flags %s: span recorded %v", tc.flags, sp != nil)
		}
		if !tc.want {
			// Sampled out: the upstream ids go on, flag off.
			if got := traceparent(sctx); got != parent {
				t.Errorf("sampled-out trace propagates %q, want %q", got, parent)
			}
		}
		sp.End()
		tr.End()
	}
	if n := len(rec.Traces()); n != 1 {
		t.Errorf("%d traces recorded, want 1", n)
	}
}

func TestSampledOutRootPropagatesItsIDs(t *testing.T) {
	rec := tracingtest.NewRecorder()
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(rec), tracing.WithSamplingRatio(0))
	outer, _ := tracingtest.NewProvider()
	octx, otr := outer.StartTrace(context.Background(), "outer")
	defer otr.End()
	ctx, tr := tp.StartTrace(octx, "w", tracing.WithNewRoot())
	if tr != nil {
		t.Fatal("a trace at ratio 0 was recorded")
	}
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() || sc.IsSampled() || sc.TraceID() == otr.SpanContext().TraceID() {
		t.Fatalf("sampled-out root carries %v, want new valid ids, not sampled", sc)
	}
	if got := traceparent(ctx); got != wantTraceparent(sc) {
		t.Errorf("traceparent %q, want %q", got, wantTraceparent(sc))
	}
	if tracing.Recording(ctx) || tracing.TraceFromContext(ctx) != nil {
		t.Error("a sampled-out trace hides the enclosing one")
	}
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	if sp != nil {
		t.Error("a span of a sampled-out trace was recorded")
	}
	if n := len(rec.StartedTraces()); n != 0 {
		t.Errorf("%d traces reached the processor", n)
	}
}

func ExampleWithSamplingRatio() {
	// Record a quarter of the runs that do not join an OTel parent; those
	// that do follow their parent's decision.
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithSamplingRatio(0.25))
	_, tr := tp.StartTrace(context.Background(), "w", tracing.WithTraceID("trace_00000000000000000000000000000001"))
	fmt.Println(tr != nil)
	tr.End()
	// Output: true
}
