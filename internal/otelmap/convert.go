package otelmap

import (
	"encoding/json"
	"strings"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Attribute keys and values shared by several kinds.
const (
	keySpanType    = "cozeloop.span_type"
	keyOperation   = "gen_ai.operation.name"
	keyOIKind      = "openinference.span.kind"
	keyInput       = "input.value"
	keyInputMime   = "input.mime_type"
	keyCozeInput   = "cozeloop.input"
	keyOutput      = "output.value"
	keyOutputMime  = "output.mime_type"
	keyCozeOutput  = "cozeloop.output"
	keySession     = "session.id"
	keyConversatn  = "gen_ai.conversation.id"
	keyErrorType   = "error.type"
	mimeJSON       = "application/json"
	mimeText       = "text/plain"
	scopeName      = "github.com/agenttrace/agenttrace-go"
	defaultErrType = "_OTHER"
)

// converter turns items into OTLP spans.
type converter struct {
	// messages selects the families whose message attributes model spans
	// carry, whatever the profile (see Config.Messages).
	messages Profile
	// coze shapes spans for Coze Loop: no duplicate tool arguments and
	// results, and each span's JSON within spanLimit (see clip.FitSpanJSON).
	coze bool
	// spanLimit is Coze Loop's per-span JSON limit, clip.CozeMaxSpanJSON unless
	// a test lowers it.
	spanLimit int
	// profile selects the attribute families (never zero).
	profile Profile
	// service is the resource's service.name, which Coze Loop's newer
	// converter reads from each span (into psm), not from the resource.
	service string
	// ar, when set, holds the attribute values of one export.
	ar *arena
	// ids, when set, remembers the OTel ids of the last trace seen, which
	// most spans of a batch share.
	ids *idCache
}

// convert turns an item into an OTLP span, or nil for items this exporter
// does not send (trace starts).
func (c converter) convert(it processors.Item) *tracepb.Span {
	switch it.Event {
	case processors.TraceEnded:
		if it.Trace == nil {
			return nil
		}
		return c.convertTrace(it.Trace, it.Trace.EndTime(), true)
	case EventOpenTrace:
		t := it.Trace
		if t == nil {
			return nil
		}
		if end := t.EndTime(); !end.IsZero() { // ended, but its end never reached us
			return c.convertTrace(t, end, true)
		}
		return c.convertTrace(t, t.Provider().Now(), false)
	case processors.SpanEnded:
		if it.Span == nil {
			return nil
		}
		return c.convertSpan(it.Span)
	}
	return nil
}

func unixNano(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(t.UnixNano())
}

// convertTrace returns the root span standing for the whole trace, ending at
// end; a trace that has not ended is marked agenttrace.trace.ended=false.
func (c converter) convertTrace(t *tracing.Trace, end time.Time, ended bool) *tracepb.Span {
	name := t.Name()
	if name == "" {
		name = "invoke_workflow"
	}
	a := attrs{list: make([]*commonpb.KeyValue, 0, 12), ar: c.ar, prof: c.profile}
	a.raw(keySpanType, "agent")
	a.raw(keyOIKind, "AGENT")
	a.raw(keyOperation, "invoke_workflow")
	a.str("agenttrace.trace.id", t.ID())
	a.str("agenttrace.workflow.name", t.Name())
	a.group(t.GroupID())
	c.serviceName(&a)
	a.metadata(t.Metadata())
	a.ioValue(true, t.Input())
	a.ioValue(false, t.Output())
	if !ended {
		a.bool(keyTraceEnded, false)
	}
	if end.IsZero() || (!ended && end.Before(t.StartTime())) {
		end = t.StartTime()
	}
	sc, parent := t.SpanContext(), t.ParentSpanContext()
	return &tracepb.Span{
		TraceId:           c.traceID(t),
		SpanId:            spanIDBytes(sc.SpanID()),
		ParentSpanId:      spanIDBytes(parent.SpanID()),
		Flags:             spanFlags(sc.TraceFlags(), parent),
		Name:              clip.Valid(name, clip.MaxValue),
		Kind:              tracepb.Span_SPAN_KIND_INTERNAL,
		StartTimeUnixNano: unixNano(t.StartTime()),
		EndTimeUnixNano:   unixNano(end),
		Attributes:        a.list,
	}
}

// group adds the trace's group id as the conversation (thread) id.
func (a *attrs) group(id string) {
	if id == "" {
		return
	}
	a.str(keySession, id)
	a.str(keyConversatn, id)
}

func (c converter) convertSpan(s *tracing.Span) *tracepb.Span {
	tr := s.Trace()
	sc, parent := s.SpanContext(), s.ParentSpanContext()
	a := attrs{list: make([]*commonpb.KeyValue, 0, 24), ar: c.ar, prof: c.profile}
	name, kind := c.describe(&a, s.Data())
	a.group(tr.GroupID())
	c.serviceName(&a)
	a.metadata(s.Metadata())
	ps := &tracepb.Span{
		TraceId:           c.traceID(tr),
		SpanId:            spanIDBytes(sc.SpanID()),
		ParentSpanId:      spanIDBytes(parent.SpanID()),
		Flags:             spanFlags(sc.TraceFlags(), parent),
		Name:              clip.Valid(name, clip.MaxValue),
		Kind:              kind,
		StartTimeUnixNano: unixNano(s.StartTime()),
		EndTimeUnixNano:   unixNano(s.EndTime()),
	}
	if e := s.Error(); e != nil {
		c.setError(ps, &a, e)
	}
	ps.Attributes = a.list
	return ps
}

// io adds an input (in) or output value to input.value/output.value and
// cozeloop.input/cozeloop.output with the same text, and its mime type, as
// far as the profile sends them. The text is added last, twice in a row
// (see arena.str).
func (a *attrs) io(in bool, text, mime string) {
	if text == "" {
		return
	}
	if in {
		a.raw(keyInputMime, mime)
		a.raw(keyInput, text)
		a.raw(keyCozeInput, text)
		return
	}
	a.raw(keyOutputMime, mime)
	a.raw(keyOutput, text)
	a.raw(keyCozeOutput, text)
}

// ioText adds plain or JSON text as an input or output, choosing the mime
// type by whether it parses as JSON, clipped to clip.MaxContent, and returns
// the clipped text.
func (a *attrs) ioText(in bool, s string) string {
	if s == "" {
		return ""
	}
	if json.Valid([]byte(s)) {
		s = clip.JSON(s, clip.MaxContent)
		a.io(in, s, mimeJSON)
		return s
	}
	s = clip.Text(s, clip.MaxContent)
	a.io(in, s, mimeText)
	return s
}

// ioJSON adds v encoded as JSON as an input or output.
func (a *attrs) ioJSON(in bool, v any) string {
	s := jsonText(v, clip.MaxContent)
	a.io(in, s, mimeJSON)
	return s
}

// spanName joins an operation and a name with a space, leaving out an empty
// name.
func spanName(op, name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return op
	}
	return op + " " + name
}

// kindOf classifies the span for the three families at once.
type kindOf struct {
	coze, oi, op string
}

func (a *attrs) kinds(k kindOf) {
	a.raw(keySpanType, k.coze)
	a.raw(keyOIKind, k.oi)
	if k.op != "" {
		a.raw(keyOperation, k.op)
	}
}

// describe adds the attributes of the span's data and returns its name and
// OTel kind.
func (c converter) describe(a *attrs, d spans.Data) (string, tracepb.Span_SpanKind) {
	internal, client := tracepb.Span_SPAN_KIND_INTERNAL, tracepb.Span_SPAN_KIND_CLIENT
	switch d := d.(type) {
	case *spans.Agent:
		return agentAttrs(a, d), internal
	case *spans.Generation:
		return generationAttrs(a, d, c.messages, c.coze), client
	case *spans.Response:
		return responseAttrs(a, d, c.coze), client
	case *spans.Function:
		return functionAttrs(a, d, c.coze), internal
	case *spans.Guardrail:
		return guardrailAttrs(a, d), internal
	case *spans.Handoff:
		return handoffAttrs(a, d), internal
	case *spans.Transcription:
		return transcriptionAttrs(a, d, c.coze), client
	case *spans.Speech:
		return speechAttrs(a, d, c.coze), client
	case *spans.SpeechGroup:
		return speechGroupAttrs(a, d), internal
	case *spans.Custom:
		return customAttrs(a, d), internal
	case *spans.MCPListTools:
		return mcpAttrs(a, d), client
	case *spans.Task:
		return taskAttrs(a, d), internal
	case *spans.Turn:
		return turnAttrs(a, d), internal
	case *spans.Embedding:
		return embeddingAttrs(a, d), client
	case *spans.Retriever:
		return retrieverAttrs(a, d), internal
	case *spans.Prompt:
		return promptAttrs(a, d), internal
	}
	a.kinds(kindOf{coze: "custom", oi: "CHAIN"})
	return "span", internal
}

// serviceName adds the resource's service.name to a span for Coze Loop,
// whose newer converter reads it from spans (into psm), not from the
// resource. Other backends read the resource's.
func (c converter) serviceName(a *attrs) {
	if c.coze {
		a.str(keyServiceName, c.service)
	}
}
