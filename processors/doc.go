// Package processors turns the trace and span events of the tracing package
// into exports: the [Exporter] interface, the [Batcher] that queues events
// without ever blocking the traced program and exports them in batches, a
// synchronous processor for tests and development, and a console exporter
// that prints each trace as a tree.
//
// The OTLP/HTTP (Coze Loop and any OpenTelemetry backend) and OpenAI traces
// exporters live in sub-packages.
//
// # Writing an exporter
//
// An [Exporter] receives batches of [Item]s on the batcher's goroutine. An
// item is a trace that started, a trace that ended, or a span that ended;
// exporters skip the events they have no use for. Return nil when the whole
// batch was delivered, a [*PartialError] (possibly several, joined with
// errors.Join) when some of it was not, and any other error when none of it
// was: the processors count every item that was not delivered, by reason.
package processors
