package tracing

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// otelSpan is what trace.SpanFromContext returns inside an agent span or
// trace: a non-recording OTel span with the agent span's span context, so
// that OTel-instrumented code started there (otelhttp's Transport, otelgrpc,
// a database driver) makes its spans children of the agent span, and
// propagators inject a traceparent naming it. Its methods other than
// SpanContext and TracerProvider do nothing: the agent span records through
// the tracing package, not through this value.
//
// It lives inside the Span or Trace it stands for, so putting it in the
// context costs no allocation.
type otelSpan struct {
	*otelBase
	trace *Trace
	id    trace.SpanID
}

// otelBase gives otelSpan, through a nil pointer, the unexported method that
// OTel requires of trace.Span implementations (embedded.Span); a pointer
// costs 8 bytes in every Span where the interface would cost 16.
type otelBase struct{ embedded.Span }

var _ trace.Span = (*otelSpan)(nil)

// SpanContext returns the span context of the agent span or trace.
func (o *otelSpan) SpanContext() trace.SpanContext {
	if o.trace == nil {
		return trace.SpanContext{}
	}
	return o.trace.sc.WithSpanID(o.id)
}

// TracerProvider returns the provider of the OTel span the trace joined, or
// the global one ([otel.GetTracerProvider]) when it joined none, so that
// otelhttp and the like record their spans with the application's provider.
func (o *otelSpan) TracerProvider() trace.TracerProvider {
	if o.trace == nil {
		return otel.GetTracerProvider()
	}
	return o.trace.tracerProvider()
}

// IsRecording returns false: nothing set on this span is recorded.
func (*otelSpan) IsRecording() bool { return false }

// End does nothing; end the agent span with [Span.End].
func (*otelSpan) End(...trace.SpanEndOption) {}

// AddEvent does nothing.
func (*otelSpan) AddEvent(string, ...trace.EventOption) {}

// AddLink does nothing.
func (*otelSpan) AddLink(trace.Link) {}

// RecordError does nothing; use [Span.SetError].
func (*otelSpan) RecordError(error, ...trace.EventOption) {}

// SetStatus does nothing.
func (*otelSpan) SetStatus(codes.Code, string) {}

// SetName does nothing.
func (*otelSpan) SetName(string) {}

// SetAttributes does nothing.
func (*otelSpan) SetAttributes(...attribute.KeyValue) {}

// tracerProvider returns the provider OTel spans started inside the trace use.
func (t *Trace) tracerProvider() trace.TracerProvider {
	if t.otelTP != nil {
		return t.otelTP
	}
	return otel.GetTracerProvider()
}

// unsampledSpan stands for a trace that was sampled out and has no OTel
// parent: it carries the trace's new ids, with the sampled flag off, so that
// they still propagate and downstream services make the same decision.
type unsampledSpan struct {
	embedded.Span
	sc trace.SpanContext
}

var _ trace.Span = (*unsampledSpan)(nil)

func (u *unsampledSpan) SpanContext() trace.SpanContext { return u.sc }

func (*unsampledSpan) TracerProvider() trace.TracerProvider { return otel.GetTracerProvider() }

func (*unsampledSpan) IsRecording() bool                       { return false }
func (*unsampledSpan) End(...trace.SpanEndOption)              {}
func (*unsampledSpan) AddEvent(string, ...trace.EventOption)   {}
func (*unsampledSpan) AddLink(trace.Link)                      {}
func (*unsampledSpan) RecordError(error, ...trace.EventOption) {}
func (*unsampledSpan) SetStatus(codes.Code, string)            {}
func (*unsampledSpan) SetName(string)                          {}
func (*unsampledSpan) SetAttributes(...attribute.KeyValue)     {}

// unsampledCtx is the context of a sampled-out root trace: it hides any
// enclosing agent trace, as a disabled trace does, and holds the trace's
// unsampled span context. It is the one allocation such a trace costs.
type unsampledCtx struct {
	context.Context
	span unsampledSpan
}

func (c *unsampledCtx) Value(key any) any {
	if _, ok := key.(scopeKey); ok {
		return disabledScope
	}
	if otelSpanKey != nil && key == otelSpanKey {
		return &c.span
	}
	return c.Context.Value(key)
}

// otelSpanKey is the context key under which OTel's trace package keeps the
// current span (unexported there). Knowing it lets the contexts of this
// package answer trace.SpanFromContext themselves, with no extra context
// node per span. It is found once, by asking SpanFromContext on a context
// that records the key it is asked for, and checked; if OTel ever looks the
// span up differently, it is nil and spans wrap their context with
// trace.ContextWithSpan instead (one more allocation).
var otelSpanKey = probeOTelSpanKey()

type keyProbe struct {
	context.Context
	key any
}

func (p *keyProbe) Value(key any) any {
	p.key = key
	return nil
}

func probeOTelSpanKey() any {
	p := &keyProbe{Context: context.Background()}
	trace.SpanFromContext(p)
	if p.key == nil {
		return nil
	}
	// Check: a span stored by OTel under that key is found under it, and a
	// value returned for it is what SpanFromContext returns.
	want := &unsampledSpan{}
	if trace.ContextWithSpan(context.Background(), want).Value(p.key) != want {
		return nil
	}
	c := &answerCtx{Context: context.Background(), key: p.key, span: want}
	if trace.SpanFromContext(c) != want {
		return nil
	}
	return p.key
}

type answerCtx struct {
	context.Context
	key  any
	span trace.Span
}

func (c *answerCtx) Value(key any) any {
	if key == c.key {
		return c.span
	}
	return c.Context.Value(key)
}
