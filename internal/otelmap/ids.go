package otelmap

import (
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// The OTel ids of a trace or span are the ones the tracing package gave it
// at start ([tracing.Trace.SpanContext], [tracing.Span.SpanContext] and
// their ParentSpanContext), which its context carried to the OTel spans and
// traceparent headers made inside it: they are read here, never recomputed.
// The rules that made them are tracing's ([tracing.OTelTraceID],
// [tracing.OTelSpanID]).

// idCache keeps the OTel trace id of the last trace seen, which most spans
// of a batch share.
type idCache struct {
	trace   *tracing.Trace
	traceID []byte
}

// traceID returns the OTLP trace id of t.
func (c converter) traceID(t *tracing.Trace) []byte {
	if c.ids == nil {
		return traceIDBytes(t)
	}
	if c.ids.traceID == nil || c.ids.trace != t {
		*c.ids = idCache{trace: t, traceID: traceIDBytes(t)}
	}
	return c.ids.traceID
}

func traceIDBytes(t *tracing.Trace) []byte {
	id := t.SpanContext().TraceID()
	return id[:]
}

// spanIDBytes returns id as an OTLP span id, or nil for an invalid one.
func spanIDBytes(id trace.SpanID) []byte {
	if !id.IsValid() {
		return nil
	}
	return id[:]
}

// spanFlags returns the OTLP flags of a span in the trace flags tf whose
// parent is parent, as the OTel SDK's exporter sets them: the W3C trace
// flags, and whether the parent is remote.
func spanFlags(tf trace.TraceFlags, parent trace.SpanContext) uint32 {
	f := uint32(tf) | uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK)
	if parent.IsRemote() {
		f |= uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK)
	}
	return f
}
