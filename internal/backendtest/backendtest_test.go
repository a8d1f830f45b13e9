package backendtest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/internal/backendtest"
)

// TestRoundTrip sends two spans with the OpenTelemetry Go SDK to the real
// collector and reads them back, which checks the harness end to end: the
// build, the readiness wait, the polling and the decoding of OTLP/JSON.
func TestRoundTrip(t *testing.T) {
	j := backendtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(j.OTLPEndpoint()))
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "backendtest"))),
	)
	tr := tp.Tracer("backendtest-scope")
	sctx, parent := tr.Start(ctx, "parent", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(
		attribute.String("s", "v"),
		attribute.Int64("n", 1<<40),
		attribute.Bool("b", true),
		attribute.Float64("f", 1.5),
		attribute.StringSlice("ss", []string{"a", "b"}),
	))
	_, child := tr.Start(sctx, "child", trace.WithSpanKind(trace.SpanKindClient))
	child.RecordError(errors.New("boom"))
	child.SetStatus(codes.Error, "it broke")
	child.End()
	parent.End()
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}

	traceID := parent.SpanContext().TraceID().String()
	got, err := j.Trace(ctx, traceID, 2)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b backendtest.Span) int { return strings.Compare(a.Name, b.Name) })
	parentID := parent.SpanContext().SpanID().String()
	res := map[string]any{"service.name": "backendtest"}
	want := []backendtest.Span{
		{
			TraceID: traceID, SpanID: child.SpanContext().SpanID().String(), ParentSpanID: parentID,
			Name: "child", Kind: "CLIENT",
			Events: []backendtest.Event{{Name: "exception", Attributes: map[string]any{
				"exception.type": "*errors.errorString", "exception.message": "boom",
			}}},
			Status:   backendtest.Status{Code: "ERROR", Message: "it broke"},
			Resource: res, Scope: "backendtest-scope",
		},
		{
			TraceID: traceID, SpanID: parentID, Name: "parent", Kind: "SERVER",
			Attributes: map[string]any{
				"s": "v", "n": int64(1 << 40), "b": true, "f": 1.5, "ss": []any{"a", "b"},
			},
			Status:   backendtest.Status{Code: "UNSET"},
			Resource: res, Scope: "backendtest-scope",
		},
	}
	opts := cmp.Options{
		cmpopts.IgnoreFields(backendtest.Span{}, "Start", "End"),
		cmpopts.IgnoreFields(backendtest.Event{}, "Time"),
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("trace from the collector (-want +got):\n%s", diff)
	}
	for _, s := range got {
		if s.Start.IsZero() || s.End.Before(s.Start) {
			t.Errorf("span %q: start %v, end %v", s.Name, s.Start, s.End)
		}
	}
}

// TestTraceTimeout checks that Trace gives up at the context's deadline and
// says what it last saw when the trace never arrives.
func TestTraceTimeout(t *testing.T) {
	j := backendtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	got, err := j.Trace(ctx, "0123456789abcdef0123456789abcdef", 1)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("Trace of an unknown id = %v, %v; want a deadline error mentioning not found", got, err)
	}
}
