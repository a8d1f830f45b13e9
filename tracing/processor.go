package tracing

import "context"

// Processor receives traces and spans as they start and end. Implementations
// must be safe for concurrent use, must not block (queue work for a background
// goroutine instead) and must not keep the agent waiting. A processor that
// panics is contained: the panic is logged and the traced program goes on.
//
// OnTraceStart and OnSpanStart run on the goroutine that starts the trace or
// span, before it is returned to the caller. The fields fixed at start (ids,
// names, start time) may be read at any time after; span data may change
// until the span ends and must not be read from another goroutine before
// OnSpanEnd. Metadata, errors, and a trace's input and output may change
// until End and are read through their (locking) accessors. After OnTraceEnd and OnSpanEnd the object is immutable and
// may be read from any goroutine.
type Processor interface {
	// OnTraceStart is called when a trace starts.
	OnTraceStart(t *Trace)
	// OnTraceEnd is called once when a trace ends.
	OnTraceEnd(t *Trace)
	// OnSpanStart is called when a span starts.
	OnSpanStart(s *Span)
	// OnSpanEnd is called once when a span ends.
	OnSpanEnd(s *Span)
	// ForceFlush exports everything ended before the call, or returns ctx's
	// error when ctx is done first.
	ForceFlush(ctx context.Context) error
	// Shutdown flushes and releases the processor's resources. It is called
	// once and must return by ctx's deadline.
	Shutdown(ctx context.Context) error
}
