// Package otelbridge sends agent traces through an OpenTelemetry
// trace.TracerProvider the program already has, so that they take its
// sampler, span processors, exporters and collector, with the same
// attributes, events, status, ids, parents and times as
// processors/otlpexport sends (one mapping serves both).
//
//	otp := sdktrace.NewTracerProvider(
//		sdktrace.WithIDGenerator(otelbridge.IDGenerator(nil)), // keep the agent ids
//		sdktrace.WithBatcher(exporter),
//	)
//	tp := tracing.NewProvider(tracing.WithProcessor(otelbridge.New(otp)))
//	defer otp.Shutdown(ctx) // after tp's
//	defer tp.Shutdown(ctx)
//
// # Ids: what to configure
//
// OTel spans made inside an agent span (otelhttp's client span, a database
// span) name the agent span's OTel span id as their parent: the id its
// context carried ([tracing.Span.SpanContext]). An OTel SDK provider
// generates the ids of every span it starts, the bridge's included, so the
// provider must be told to take the agent ids: give it
// sdktrace.WithIDGenerator([IDGenerator](nil)), or IDGenerator(yours) to
// keep your generator for the program's own spans. The generator hands the
// agent ids to the spans the bridge starts and asks the base generator for
// every other span. Without it the spans are still delivered, but with ids
// of the provider's making, so the tree breaks apart; the bridge then logs
// one warning through [slog.Default].
//
// # What it sends
//
// Each agent span becomes one OTel span started and ended at the agent
// span's times, under the instrumentation scope
// github.com/agenttrace/agenttrace-go, with the kind, attributes, "exception"
// event and status of otlpexport's mapping; the trace becomes the root span,
// child of the OTel span it joined (an otelhttp request span, a remote
// traceparent). A trace still open at Shutdown gets its root span then,
// marked agenttrace.trace.ended=false, as with otlpexport. The resource is
// the provider's. The provider's sampler decides too: with OTel's default
// ParentBased sampler everything the agent provider recorded is recorded;
// the provider's span limits (128 attributes by default) apply.
//
// The work is done on the batch processor's goroutine, never on the traced
// one: [New] returns a [processors.Batcher] around an [Exporter].
//
// # Shutting down
//
// [Exporter.Shutdown] flushes the provider (ForceFlush, when it has one)
// but does not shut it down: it is the program's. Shut the agent provider
// down first, then the OTel provider, or the last agent spans reach a
// provider that no longer exports.
package otelbridge
