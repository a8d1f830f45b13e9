package tracing

import (
	"github.com/agenttrace/agenttrace-go/internal/safetext"
	"github.com/agenttrace/agenttrace-go/spans"
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

// The notices that stand for the error of a tool or model call when the
// provider leaves out sensitive data: such an error tends to quote its
// input (a card number in a failed payment, say). The tool notice is the
// Python Agents SDK Runner's.
const (
	// ToolErrorRedacted replaces the error of a function span.
	ToolErrorRedacted = "Tool execution failed. Error details are redacted."
	// ModelErrorRedacted replaces the error of a generation, response,
	// transcription, speech or embedding span.
	ModelErrorRedacted = "Model call failed. Error details are redacted."
)

// redactedError returns the error a span of kind k keeps when sensitive
// data is left out: for a tool call, or a model call of any kind, a notice
// with no data in place of e; any other span's error as it is.
func redactedError(k spans.Kind, e *SpanError) *SpanError {
	switch k {
	case spans.KindFunction:
		return &SpanError{Message: ToolErrorRedacted}
	case spans.KindGeneration, spans.KindResponse, spans.KindTranscription, spans.KindSpeech, spans.KindEmbedding:
		return &SpanError{Message: ModelErrorRedacted}
	}
	return e
}
