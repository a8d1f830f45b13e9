package tracing

import (
	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// SpanError describes what went wrong in a span. It is recorded with
// [Span.SetError] and exported with the span. SpanError implements error.
type SpanError struct {
	// Message is a short, human-readable description.
	Message string
	// Data holds JSON-encodable details; nil when there are none.
	Data map[string]any
}

// Error returns the message.
func (e *SpanError) Error() string {
	if e == nil {
		return ""
	}
	return e.Message
}

// errorFrom converts err to a SpanError: a *SpanError found in err's chain
// (as errors.As finds it) is copied, any other error becomes its message. A
// nil *SpanError yields nil. It never panics, not even on an error whose
// methods do (a typed nil pointer returned as an error, say), and it always
// returns promptly: the walk of the chain is bounded in depth and length and
// stops at cycles (an error whose Unwrap returns itself).
func errorFrom(err error) *SpanError {
	if se, ok := err.(*SpanError); ok {
		if se == nil {
			return nil
		}
		c := *se
		return &c
	}
	if se, ok := safetext.As[*SpanError](err); ok && se != nil {
		c := *se
		return &c
	}
	return &SpanError{Message: safetext.Error(err)}
}
