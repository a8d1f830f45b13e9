package processors

import (
	"context"
	"strconv"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Event says what happened to the trace or span of an [Item].
type Event uint8

// The events an exporter receives.
const (
	// TraceStarted: Item.Trace has started. Only the fields fixed at start
	// may be read.
	TraceStarted Event = iota + 1
	// TraceEnded: Item.Trace has ended and is immutable.
	TraceEnded
	// SpanEnded: Item.Span has ended and is immutable.
	SpanEnded
)

// String returns "trace_started", "trace_ended" or "span_ended".
func (e Event) String() string {
	switch e {
	case TraceStarted:
		return "trace_started"
	case TraceEnded:
		return "trace_ended"
	case SpanEnded:
		return "span_ended"
	}
	return "unknown"
}

// Item is one entry of an export batch.
type Item struct {
	// Event says which of Trace or Span is set and what happened to it.
	Event Event
	// Trace is the trace of a TraceStarted or TraceEnded item.
	Trace *tracing.Trace
	// Span is the span of a SpanEnded item.
	Span *tracing.Span
}

// TraceItem returns the item of a trace event.
func TraceItem(e Event, t *tracing.Trace) Item { return Item{Event: e, Trace: t} }

// SpanItem returns the item of an ended span.
func SpanItem(s *tracing.Span) Item { return Item{Event: SpanEnded, Span: s} }

// Exporter sends batches of items to a backend. The batcher calls Export from
// one goroutine at a time, never concurrently with itself, with a context
// that carries the export timeout; implementations must return by its
// deadline. Shutdown is called once, after the last Export.
type Exporter interface {
	// Export delivers items. See the package documentation for the errors.
	Export(ctx context.Context, items []Item) error
	// Shutdown releases the exporter's resources, returning by ctx's deadline.
	Shutdown(ctx context.Context) error
}

// DropReason says why items were not delivered.
type DropReason string

// The reasons items are dropped.
const (
	// DropQueueFull: the batcher's queue was full when the item arrived.
	DropQueueFull DropReason = "queue_full"
	// DropExportFailed: the exporter failed, after its retries.
	DropExportFailed DropReason = "export_failed"
	// DropRejected: the backend accepted the request but rejected the items.
	DropRejected DropReason = "rejected"
	// DropTooLarge: the item alone exceeds what the backend accepts.
	DropTooLarge DropReason = "too_large"
	// DropShutdownDeadline: shutdown's deadline passed before the item was exported.
	DropShutdownDeadline DropReason = "shutdown_deadline"
	// DropAfterShutdown: the item arrived after shutdown.
	DropAfterShutdown DropReason = "after_shutdown"
	// DropNoAPIKey: the exporter had no API key for the item.
	DropNoAPIKey DropReason = "no_api_key"
	// DropExporterPanic: the exporter panicked while exporting the item.
	DropExporterPanic DropReason = "exporter_panic"
)

// PartialError reports that an export did not deliver some of its items.
// Several may be joined with errors.Join for several reasons.
type PartialError struct {
	// Dropped is the number of items not delivered.
	Dropped int
	// Reason says why; empty means DropExportFailed.
	Reason DropReason
	// Err describes the failure. It never holds credentials.
	Err error
}

// Error describes the failure. A nil *PartialError describes nothing lost.
func (e *PartialError) Error() string {
	if e == nil {
		return "processors: no items dropped"
	}
	noun := " items"
	if e.Dropped == 1 {
		noun = " item"
	}
	msg := "processors: " + strconv.Itoa(e.Dropped) + noun + " dropped (" + string(e.reason()) + ")"
	if e.Err != nil {
		msg += ": " + safetext.Error(e.Err)
	}
	return msg
}

// Unwrap returns Err, or nil for a nil *PartialError.
func (e *PartialError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

func (e *PartialError) reason() DropReason {
	if e.Reason == "" {
		return DropExportFailed
	}
	return e.Reason
}

// Dropped reads the result of exporting a batch of n items: how many were
// not delivered, by reason. A nil err, or a nil *PartialError, means none; an
// error holding [*PartialError]s (directly or joined) drops what they say,
// capped at n; any other error drops all n as DropExportFailed, and so does
// an error whose Unwrap panics. The walk of err's chain is bounded in depth
// and length and stops at cycles (an error that wraps itself), so it always
// returns.
func Dropped(err error, n int) (dropped map[DropReason]int) {
	if err == nil || n <= 0 {
		return nil
	}
	if pe, ok := err.(*PartialError); ok && pe == nil {
		return nil // a typed nil returned as an error: nothing was lost
	}
	out := map[DropReason]int{}
	total, found := 0, false
	complete := safetext.Walk(err, func(e error) (inside, more bool) {
		pe, ok := e.(*PartialError)
		if !ok {
			return true, true
		}
		found = true
		if pe != nil {
			if d := min(max(pe.Dropped, 0), n-total); d > 0 {
				out[pe.reason()] += d
				total += d
			}
		}
		return false, true
	})
	if !found || !complete {
		// Nothing says what was lost, or part of the chain could not be
		// read (an Unwrap that panics, a cycle, a chain beyond the bounds).
		return map[DropReason]int{DropExportFailed: n}
	}
	return out
}

// safeErr returns err wrapped so that its message is computed once, now,
// without panicking (see safetext.Error); errors.Is and errors.As still see
// err. A nil err stays nil.
func safeErr(err error) error {
	if err == nil {
		return nil
	}
	return &textError{msg: safetext.Error(err), err: err}
}

type textError struct {
	msg string
	err error
}

func (e *textError) Error() string { return e.msg }
func (e *textError) Unwrap() error { return e.err }
