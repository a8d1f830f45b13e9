package otlpexport

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/interoptest"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestOTelInterop serves a request through otelhttp with the OTel SDK
// exporting to one OTLP sink and this exporter to the same sink, and checks
// the trace as the backend decoded it: one trace id, the agent trace under
// the request span, the HTTP client span under the generation span, and the
// traceparent the model server received.
func TestOTelInterop(t *testing.T) {
	s := newSink(t, nil)
	ctx := context.Background()
	oexp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(s.URL+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	otp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(oexp))
	defer otp.Shutdown(ctx)
	exp, err := New(WithEndpointURL(s.URL + "/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(processors.NewSync(exp)))

	run := interoptest.Serve(t, otp, tp)
	if err := otp.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	interoptest.Check(t, run, fromOTLP(s.spans()))
}

// fromOTLP reduces decoded OTLP spans to what interoptest compares.
func fromOTLP(list []*tracepb.Span) []interoptest.Span {
	out := make([]interoptest.Span, 0, len(list))
	for _, ps := range list {
		out = append(out, interoptest.Span{
			Name:     ps.GetName(),
			Kind:     strings.TrimPrefix(ps.GetKind().String(), "SPAN_KIND_"),
			TraceID:  hex.EncodeToString(ps.GetTraceId()),
			SpanID:   hex.EncodeToString(ps.GetSpanId()),
			ParentID: hex.EncodeToString(ps.GetParentSpanId()),
		})
	}
	return out
}
