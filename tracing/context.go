package tracing

import (
	"context"
	"time"
)

// scopeKey is the one context key of this package. Its value is the innermost
// *Span, the *Trace when no span is open, or disabledScope inside a disabled
// trace.
type scopeKey struct{}

type disabledMarker struct{}

// disabledScope hides any enclosing trace or span from spans started inside a
// disabled trace.
var disabledScope any = disabledMarker{}

// scopeCtx is a context carrying a span or trace. It is embedded in Trace so
// that starting one costs a single allocation, and made by ContextWithSpan
// and ContextWithTrace; a span started with StartSpan is its own context
// (spanCtx).
type scopeCtx struct {
	context.Context
	scope any
}

// Value returns the scope for this package's key, the span's or trace's
// non-recording OTel span for OTel's current-span key (see otelSpanKey), and
// defers to the parent context otherwise.
func (c *scopeCtx) Value(key any) any {
	if _, ok := key.(scopeKey); ok {
		return c.scope
	}
	if otelSpanKey != nil && key == otelSpanKey {
		switch v := c.scope.(type) {
		case *Span:
			if v != nil && v.otel.trace != nil {
				return &v.otel
			}
		case *Trace:
			if v != nil && v.provider != nil {
				return &v.otel
			}
		}
	}
	return c.Context.Value(key)
}

// spanCtx is the context a span's StartSpan returns: the Span itself, so
// that starting a span costs one allocation. It holds the span for this
// package's key and the span's OTel span for OTel's, and defers to the
// parent context otherwise.
type spanCtx Span

func (c *spanCtx) Deadline() (time.Time, bool) { return c.ctx.Deadline() }
func (c *spanCtx) Done() <-chan struct{}       { return c.ctx.Done() }
func (c *spanCtx) Err() error                  { return c.ctx.Err() }

func (c *spanCtx) Value(key any) any {
	if _, ok := key.(scopeKey); ok {
		return (*Span)(c)
	}
	if otelSpanKey != nil && key == otelSpanKey {
		return &c.otel
	}
	return c.ctx.Value(key)
}

// String names the context for debugging, as the standard contexts do.
func (c *spanCtx) String() string { return "tracing.Span(" + (*Span)(c).ID() + ")" }

func scopeFrom(ctx context.Context) any {
	if ctx == nil {
		return nil
	}
	return ctx.Value(scopeKey{})
}

// SpanFromContext returns the innermost span open in ctx, or nil when there is
// none. A nil *Span is valid: all its methods do nothing.
func SpanFromContext(ctx context.Context) *Span {
	s, _ := scopeFrom(ctx).(*Span)
	return s
}

// TraceFromContext returns the trace that ctx belongs to, or nil when there is
// none or it is disabled. A nil *Trace is valid: all its methods do nothing.
func TraceFromContext(ctx context.Context) *Trace {
	switch v := scopeFrom(ctx).(type) {
	case *Span:
		return v.otel.trace
	case *Trace:
		return v
	}
	return nil
}

// ContextWithSpan returns a copy of parent in which s is the current span, for
// carrying a span across an API boundary that lost the context. The span is
// the current OTel span of the copy too (see [Span.SpanContext]). A nil s
// returns parent unchanged; a nil parent means [context.Background].
func ContextWithSpan(parent context.Context, s *Span) context.Context {
	if s == nil {
		return parent
	}
	if parent == nil {
		parent = context.Background()
	}
	return withOTel(&scopeCtx{Context: parent, scope: s}, &s.otel)
}

// ContextWithTrace returns a copy of parent in which t is the current trace
// and no span is open. A nil t returns parent unchanged; a nil parent means
// [context.Background].
func ContextWithTrace(parent context.Context, t *Trace) context.Context {
	if t == nil {
		return parent
	}
	if parent == nil {
		parent = context.Background()
	}
	return withOTel(&scopeCtx{Context: parent, scope: t}, &t.otel)
}
