// Package benchmarks compares agenttrace-go with its peers on the same
// cases, in the manner of zap's benchmarks: the OpenTelemetry Go SDK
// (v1.47.0), github.com/nlpodyssey/openai-agents-go (v0.1.0) and
// github.com/coze-dev/cozeloop-go (v0.1.20). It is a module of its own, so
// that none of their dependencies reach the builds of agenttrace-go's users.
//
// Every case records the same span: a model call ("generation") with a
// system and a user message in, an assistant message out, the model, the
// provider and the token usage, under an open root (a trace). The user
// message differs from span to span, over contentSpans variants built
// before timing starts, as an instrumented program holds its messages
// already.
//
// # Cases
//
//   - Span: one span started and ended on one goroutine, into the
//     library's batch processor at its defaults, feeding an exporter that
//     counts and discards.
//   - SpanParallel: the same, one producer per GOMAXPROCS.
//   - SpanDisabled: the same code with tracing switched off.
//   - SpanNoProcessor: tracing on, no processor or exporter configured.
//   - Export: the whole pipeline at its defaults (batch size, queue,
//     exporter) to a loopback HTTP sink that reads every body; an op
//     records exportBatch spans and flushes them. It reports spans/s, the
//     process's CPU time per span (cpu-ns/span: producer, pipeline and sink
//     together, the same sink for all; it drifts far less than spans/s on a
//     shared machine) and wire bytes per span, with gzip on and off where
//     the library offers it.
//   - Delivered: two producers end deliveredSpans spans each flat out into
//     the defaults (discarding exporter), then shut down; it reports the
//     share of spans the exporter received.
//   - Overload: spans flat out while the backend is down (nothing listens
//     at the endpoint), defaults; it reports the heap still held after a
//     collection at the end, on top of what was held before the case.
//
// # Where the libraries differ
//
//   - OpenTelemetry has no typed model-call span: in Span, SpanParallel,
//     SpanDisabled, SpanNoProcessor and Delivered, its span carries what an
//     instrumented program sets by the GenAI conventions (operation,
//     provider, model, both token counts, and the input and output messages
//     as JSON strings). The JSON is encoded once before timing, which
//     favours OpenTelemetry: a real program encodes it per span. In Export,
//     its spans carry exactly the attributes agenttrace-go's exporter sends
//     for the same span (read back from the wire), so both send the same
//     content.
//   - SpanDisabled: agenttrace-go with the provider disabled, the data built
//     per call as a literal (impl=agenttrace) and behind tracing.Recording
//     (impl=agenttrace-guarded); OpenTelemetry's no-op tracer provider (what
//     a program without an SDK gets); openai-agents-go's
//     SetTracingDisabled(true); cozeloop-go has no switch, and its
//     NoopClient (what a failed NewClient returns) stands in.
//   - SpanNoProcessor: cozeloop-go's client always has its batch processor
//     and exporter, so it has no such case.
//   - Export: openai-agents-go speaks the OpenAI traces-ingest JSON and
//     cozeloop-go Coze Loop's own ingest JSON, neither compressed; they run
//     with gzip=false only, next to impl=agenttrace-openai (agenttrace-go's
//     openaiexport, the same wire format as openai-agents-go).
//   - Overload: openai-agents-go's Shutdown takes no deadline and retries
//     each batch of a dead backend for seconds, so its processor is
//     detached and left to give up on its own; the others are shut down
//     with a short deadline.
//   - Logging: every library logs to a discarding logger, so that
//     openai-agents-go's warning per dropped span is not written out.
//
// # Running
//
// The tests (go test ./...) check in a few milliseconds that every
// library's span reaches the sink with the same model, messages and token
// counts. The benchmarks run with run.sh, which builds the test binary
// once, runs every case of one library at a time with -count=1, rotating
// through the libraries for the number of rounds asked (so that drift on a
// shared machine hits all alike), and prints benchstat's table with the
// libraries as columns and a table of ratios to agenttrace-go.
package benchmarks
