package otelmap

import (
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// setError marks the span failed in every family: OTel status ERROR, an
// "exception" event and error.type (Coze Loop reads only the latter two).
// For Coze Loop, the error text is bounded as a whole (see cozeError). When
// the provider leaves out sensitive data, tracing has already replaced the
// error of a tool or model call by a notice (tracing.ToolErrorRedacted).
func (c converter) setError(ps *tracepb.Span, a *attrs, e *tracing.SpanError) {
	msg := e.Message
	if msg == "" {
		msg = "error"
	}
	typ := defaultErrType
	if t, ok := e.Data["type"].(string); ok && t != "" {
		typ = t
	}
	var data string
	if len(e.Data) > 0 {
		data = jsonText(e.Data, clip.MaxValue)
	}
	status := clip.Valid(msg, clip.MaxValue)
	typ, msg = clip.Text(typ, clip.MaxValue), status
	if c.coze {
		typ, msg, data = cozeError(typ, msg, data)
	}
	a.str(keyErrorType, typ)
	ps.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: status}
	ev := attrs{ar: a.ar}
	ev.raw("exception.type", typ)
	ev.raw("exception.message", msg)
	if data != "" {
		ev.raw("agenttrace.error.data", data)
	}
	ps.Events = append(ps.Events, &tracepb.Span_Event{
		TimeUnixNano: ps.EndTimeUnixNano,
		Name:         "exception",
		Attributes:   ev.list,
	})
}

// Coze Loop builds its "error" tag from the exception event's attributes,
// error.type and any other error* attribute together, as the JSON of their
// keys split on dots:
//
//	{"agenttrace":{"error":{"data":"..."}},"error":{"type":"..."},"exception":{"message":"...","type":"..."}}
//
// and cuts the tag at cozeErrorTagLimit bytes, by bytes: a long error arrives
// as invalid JSON cut mid-character. cozeError bounds the parts so that the
// whole tag, escapes counted (conservatively, with HTML escaping), fits.
const (
	// cozeErrorTagLimit is Coze Loop's limit on a tag value.
	cozeErrorTagLimit = 1024
	// cozeErrorSkeleton is the size of the tag's JSON without the texts of
	// its strings.
	cozeErrorSkeleton = len(`{"agenttrace":{"error":{"data":""}},"error":{"type":""},"exception":{"message":"","type":""}}`)
	// cozeErrorTypeMax bounds the error type, which the tag holds twice.
	cozeErrorTypeMax = 128
	// cozeErrorDataMin is the least room worth giving the error data; with
	// less, the data is left out.
	cozeErrorDataMin = 32
)

// cozeError returns the error type, message and data (JSON text, or empty)
// cut so that the error tag Coze Loop builds from them stays within
// cozeErrorTagLimit and valid JSON: the type first (within
// cozeErrorTypeMax), then the message, which keeps at least half of what is
// left, then the data, clipped as JSON (it is itself escaped in the tag).
func cozeError(typ, msg, data string) (string, string, string) {
	typ = clip.CutEscaped(typ, cozeErrorTypeMax)
	room := cozeErrorTagLimit - cozeErrorSkeleton - 2*clip.EscapedSize(typ)
	msgCost, dataCost := clip.EscapedSize(msg), clip.EscapedSize(data)
	if msgCost+dataCost <= room {
		return typ, msg, data
	}
	msgRoom := min(msgCost, max(room/2, room-dataCost))
	msg = clip.CutEscaped(msg, msgRoom)
	dataRoom := room - clip.EscapedSize(msg)
	if data == "" || dataRoom < cozeErrorDataMin {
		return typ, msg, ""
	}
	return typ, msg, clip.JSONEscaped(data, dataRoom)
}
