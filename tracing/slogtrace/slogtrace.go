// Package slogtrace correlates logs with traces: a [log/slog] handler
// wrapper that adds the current trace and span ids to every record logged
// with a context inside a trace.
//
//	logger := slog.New(slogtrace.NewHandler(slog.NewJSONHandler(os.Stderr, nil)))
//	ctx, span := tracing.StartSpan(ctx, &spans.Function{Name: "lookup_order"})
//	logger.InfoContext(ctx, "looking up", "order", id)
//	// {"level":"INFO","msg":"looking up","order":"A1","trace_id":"0af7…","span_id":"b7ad…",
//	//  "trace_flags":"01","agenttrace.trace.id":"trace_0af7…","agenttrace.span.id":"span_…"}
//
// The OTel ids are those of the context's current OTel span: the agent span
// (or trace) itself, whose ids are what exporters send, or an OTel span
// started inside it (an otelhttp client span, say). They are named as
// OpenTelemetry names trace context in log formats other than OTLP:
// trace_id and span_id in lowercase hex, trace_flags as two hex digits.
// The agent ids, when an agent trace is recorded in the context, follow as
// agenttrace.trace.id and agenttrace.span.id (the latter inside a span only).
// A sampled-out trace still has OTel ids, with trace_flags "00", and no
// agent ids.
//
// A record logged with no context, or with one that holds no trace, is
// passed on unchanged at the cost of two context lookups and no allocation.
// The ids are attributes of the record: under [slog.Logger.WithGroup] they
// are qualified by the group, as any attribute of the record is.
package slogtrace

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// Attribute keys added to records.
const (
	KeyTraceID      = "trace_id"
	KeySpanID       = "span_id"
	KeyTraceFlags   = "trace_flags"
	KeyAgentTraceID = "agenttrace.trace.id"
	KeyAgentSpanID  = "agenttrace.span.id"
)

// Handler is a slog.Handler that adds trace ids to records and hands them
// to the handler it wraps. It is safe for concurrent use when the wrapped
// handler is. A nil *Handler, or one wrapping nil, discards every record.
type Handler struct {
	inner slog.Handler
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a handler adding trace ids to the records it passes
// to h.
func NewHandler(h slog.Handler) *Handler { return &Handler{inner: h} }

// Enabled reports whether the wrapped handler handles records at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h != nil && h.inner != nil && h.inner.Enabled(ctx, level)
}

// Handle adds the ids of ctx's trace, if any, to r and hands it on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if h == nil || h.inner == nil {
		return nil
	}
	if ctx == nil {
		return h.inner.Handle(ctx, r)
	}
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return h.inner.Handle(ctx, r)
	}
	r = r.Clone()
	flags := "00"
	if sc.IsSampled() {
		flags = "01"
	}
	r.AddAttrs(
		slog.String(KeyTraceID, sc.TraceID().String()),
		slog.String(KeySpanID, sc.SpanID().String()),
		slog.String(KeyTraceFlags, flags),
	)
	if tr := tracing.TraceFromContext(ctx); tr != nil {
		r.AddAttrs(slog.String(KeyAgentTraceID, tr.ID()))
		if s := tracing.SpanFromContext(ctx); s != nil {
			r.AddAttrs(slog.String(KeyAgentSpanID, s.ID()))
		}
	}
	return h.inner.Handle(ctx, r)
}

// WithAttrs returns a handler whose records carry attrs too.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if h == nil || h.inner == nil {
		return h
	}
	return &Handler{inner: h.inner.WithAttrs(attrs)}
}

// WithGroup returns a handler whose record attributes, the ids included,
// are qualified by the group name.
func (h *Handler) WithGroup(name string) slog.Handler {
	if h == nil || h.inner == nil {
		return h
	}
	return &Handler{inner: h.inner.WithGroup(name)}
}
