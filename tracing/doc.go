// Package tracing records LLM agent programs as traces of typed spans, the
// way the OpenAI Agents SDK does in Python, and hands them to processors that
// export them (see the processors package).
//
// A [Trace] is one end-to-end run of a workflow; a [Span] is a timed
// operation inside it carrying typed data from the spans package. Both travel
// in a [context.Context]: starting one returns a derived context, and the
// caller ends it with defer.
//
//	ctx, tr := tracing.StartTrace(ctx, "Customer service", tracing.WithGroupID(threadID))
//	defer tr.End()
//
//	gen := &spans.Generation{Model: "gpt-4.1", Input: msgs}
//	ctx, span := tracing.StartSpan(ctx, gen) // pass this ctx on: what the call traces nests under the span
//	defer span.End()
//	out, usage, err := callModel(ctx, msgs)
//	gen.Output, gen.Usage = out, usage // fill before End
//	span.SetError(err)
//
// # Providers and processors
//
// A [Provider] creates traces and passes every trace and span start and end
// to its [Processor]s. The package-level functions ([StartTrace],
// [AddTraceProcessor], [SetTraceProcessors], [Shutdown], ...) use the
// provider installed with [SetDefault]. Go has no exit hook, so end main with
// a flush:
//
//	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)))
//	tracing.SetDefault(tp)
//	defer func() { // within a bound: a backend that hangs must not hang the exit
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		_ = tp.Shutdown(ctx)
//	}()
//
// A processor that panics is contained and reported through log/slog; it
// never reaches the traced program.
//
// # Disabling tracing
//
// Tracing is off when OPENAI_AGENTS_DISABLE_TRACING is "1", "true", "yes" or
// "on" (any case, surrounding spaces ignored; read once by [NewProvider], and
// [WithDisabled] overrides it), after
// [Provider.SetDisabled](true), or for one run with [WithTraceDisabled]. A
// disabled trace or span is a nil pointer; every method of a nil *Trace or
// *Span is a no-op, so instrumented code needs no checks. Starting a span
// when tracing is off allocates nothing.
//
// # OpenTelemetry
//
// Agent traces are OpenTelemetry citizens, through OTel's own APIs:
//
//   - Joining. A trace started with a context holding a valid OTel span
//     context (an otelhttp or otelgrpc server span, a traceparent extracted by
//     a propagator, an agent span) joins it: same trace id, and the span
//     standing for the trace on the wire is its child ([Trace.ParentSpanContext]).
//     [WithNewRoot] and [WithParentSpanContext] choose otherwise.
//   - Being the parent. The context returned by [StartTrace] and [StartSpan]
//     holds a non-recording OTel span with exactly the ids exporters send
//     ([Trace.SpanContext], [Span.SpanContext]), sampled, whose
//     TracerProvider is the joined span's (or the global one): spans made by
//     OTel-instrumented libraries inside an agent span are its children, and
//     propagation.TraceContext injects a traceparent naming it.
//   - Sampling. A trace that joins an OTel parent is recorded only if the
//     parent is sampled; one that does not is sampled by trace id at the
//     ratio of [WithSamplingRatio], as OTel's TraceIDRatioBased. A
//     sampled-out trace is nil and costs what a disabled one does, but its
//     context still carries its ids with the sampled flag off.
//     OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG choose the sampler as
//     for the OTel SDK ([EnvTracesSampler]); [WithSamplingRatio] replaces
//     them.
//
// Ids: an agent trace id "trace_" + 32 hex digits is its OTel trace id
// ([OTelTraceID]); a span id made by this package carries its OTel span id
// in its last 16 hex digits, and any other span id is hashed whole
// ([OTelSpanID]); the span standing for a trace has an OTel span id of its
// own per trace, so two traces joining one upstream span never share a root.
// Ids are computed once, at start: exporters read them from the trace or
// span.
//
// # Sensitive data
//
// When OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA is set to anything but "1",
// "true", "yes" or "on" (any case, surrounding spaces ignored) — "0",
// "false", a typo, or empty as in `VAR= cmd`: it fails closed, as in the
// Python SDK — or with [WithSensitiveData](false),
// spans drop model and tool inputs and outputs and audio when they end, so no
// exporter ever sees them; the errors of tool and model calls, which tend to
// quote their inputs, become [ToolErrorRedacted] and [ModelErrorRedacted];
// trace inputs and outputs are not kept. Names, models, usage and structure
// stay. Unset keeps them.
//
// # Concurrency
//
// Spans nest through the context, not through a mutable "current span": a
// goroutine started with a span's context starts children of that span, and
// sibling goroutines never see each other's spans. All methods of Provider,
// Trace and Span are safe for concurrent use.
//
// # Performance considerations
//
// Starting and ending a span costs one allocation for the span (which is also
// the returned context, the OTel span in it and the bytes of its id) and one
// for the data snapshot, and takes no lock shared between spans. Encoding happens later, in exporters,
// off the traced goroutine.
package tracing
