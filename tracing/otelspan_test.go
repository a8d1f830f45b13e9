package tracing

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/spans"
)

// TestOTelSpanKeyIsProbed: with this OTel version the contexts answer
// trace.SpanFromContext themselves (no wrapping, no allocation).
func TestOTelSpanKeyIsProbed(t *testing.T) {
	if otelSpanKey == nil {
		t.Fatal("OTel's current-span key was not found: every span would wrap its context")
	}
}

// TestOTelSpanKeyFallback: if OTel ever looks the span up differently, the
// contexts are wrapped with trace.ContextWithSpan and still carry the ids.
func TestOTelSpanKeyFallback(t *testing.T) {
	saved := otelSpanKey
	otelSpanKey = nil
	defer func() { otelSpanKey = saved }()
	p := NewProvider(WithDisabled(false))
	ctx, tr := p.StartTrace(context.Background(), "w")
	defer tr.End()
	if got := trace.SpanContextFromContext(ctx); !got.Equal(tr.SpanContext()) {
		t.Fatalf("trace context carries %v, want %v", got, tr.SpanContext())
	}
	sctx, sp := StartSpan(ctx, &spans.Agent{Name: "a"})
	defer sp.End()
	if got := trace.SpanContextFromContext(sctx); !got.Equal(sp.SpanContext()) {
		t.Fatalf("span context carries %v, want %v", got, sp.SpanContext())
	}
	if SpanFromContext(sctx) != sp {
		t.Fatal("the wrapped context lost the span")
	}
	if got := trace.SpanContextFromContext(ContextWithSpan(context.Background(), sp)); !got.Equal(sp.SpanContext()) {
		t.Fatalf("ContextWithSpan carries %v", got)
	}
}
