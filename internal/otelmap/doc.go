// Package otelmap maps agent traces and spans to OpenTelemetry spans: the
// one mapping that every OTLP consumer of this module sends, so that a span
// looks the same whether it leaves through processors/otlpexport or through
// another processor (an OTel bridge sending through a user's
// trace.TracerProvider, say). The mapping itself (span names and kinds, the
// three attribute families, messages, errors, ids) is documented for users
// in processors/otlpexport's package documentation, "How spans are mapped".
//
// # Contract
//
// A [Converter] is made with [New] from a [Config]: the settings otlpexport
// derives from its destination and options (Coze Loop shaping on or off,
// the attribute families of [Profile], the families whose message
// attributes are sent, service name and resource attributes). A consumer
// that sets the same Config gets exactly what otlpexport sends: [ConfigFor]
// derives it from the same choices (Coze Loop shaping, the families of
// WithAttributes, WithMessageAttributes), to which a consumer adds its
// service name and resource.
// [Converter.Convert] turns a [processors.Item] into a
// *tracepb.Span (go.opentelemetry.io/proto/otlp/trace/v1) with its name,
// kind, start and end times, trace id, span id, parent span id, attributes,
// events (an "exception" event for an error) and status:
//
//   - a [processors.TraceEnded] item gives the trace's root span, with the
//     ids of [tracing.Trace.SpanContext], parented to the OTel span the trace
//     joined ([tracing.Trace.ParentSpanContext]) if any;
//   - a [processors.SpanEnded] item gives the span, with the ids of
//     [tracing.Span.SpanContext] and [tracing.Span.ParentSpanContext] (its
//     parent span, or the root span);
//   - an [EventOpenTrace] item gives the root span of a trace still open at
//     shutdown, ending now and marked agenttrace.trace.ended=false; an
//     [OpenTraces] remembers which traces those are;
//   - other items (starts) give nil and no error.
//
// [Converter.Resource] and [Converter.Scope] are the resource (service.name,
// telemetry.sdk.*, the configured attributes) and the instrumentation scope
// to send the spans under.
//
// Every value is already within the backend limits of package clip (valid
// UTF-8, keys, values and content bounded, JSON kept valid), and for Coze
// Loop within its per-span JSON limit ([ErrSpanTooLarge] otherwise). A user
// value whose String, Error, MarshalJSON or MarshalText method panics is
// described in its place; any other panic while converting one item costs
// that item only, as an error naming the span.
//
// Ids are never computed here: they are the ones the tracing package gave
// the trace or span at start, which its context carried to OTel spans and
// traceparent headers made inside it (see ids.go; the rules are
// [tracing.OTelTraceID] and [tracing.OTelSpanID]). Flags are set as the OTel
// SDK's exporter sets them: the W3C trace flags and whether the parent is
// remote. Which family each key belongs to is in profile.go.
//
// # Performance
//
// A [Converter] is safe for concurrent use and allocates each attribute
// value on its own; [Converter.NewBatch] gives a [Batch] for the items of
// one export, whose attribute values come from one arena and whose trace ids
// are computed once per trace. Message JSON is written without reflection
// (jsonenc.go, checked against encoding/json by the tests).
package otelmap
