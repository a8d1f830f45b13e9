package otlpexport

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// seqIDs makes ids trace_000…1, span_000…1, span_000…2, ...
type seqIDs struct{ t, s atomic.Int64 }

func (g *seqIDs) NewTraceID() string { return fmt.Sprintf("trace_%032x", g.t.Add(1)) }
func (g *seqIDs) NewSpanID() string  { return fmt.Sprintf("span_%024x", g.s.Add(1)) }

// stepClock starts at t0 and advances one second per reading.
func stepClock(t0 time.Time) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return t0.Add(time.Duration(n.Add(1)-1) * time.Second) }
}

var t0 = time.Date(2026, 11, 22, 5, 0, 0, 0, time.UTC)

// gotSpan is the part of a received span the golden tests compare.
type gotSpan struct {
	Name     string
	Kind     tracepb.Span_SpanKind
	TraceID  string
	SpanID   string
	ParentID string
	Start    time.Time
	End      time.Time
	Attrs    map[string]any
	Status   *tracepb.Status
	Events   []gotEvent
}

type gotEvent struct {
	Name  string
	Attrs map[string]any
}

func toGot(ps *tracepb.Span) gotSpan {
	g := gotSpan{
		Name: ps.GetName(), Kind: ps.GetKind(),
		TraceID:  hex.EncodeToString(ps.GetTraceId()),
		SpanID:   hex.EncodeToString(ps.GetSpanId()),
		ParentID: hex.EncodeToString(ps.GetParentSpanId()),
		Start:    time.Unix(0, int64(ps.GetStartTimeUnixNano())).UTC(),
		End:      time.Unix(0, int64(ps.GetEndTimeUnixNano())).UTC(),
		Attrs:    attrMap(ps.GetAttributes()),
		Status:   ps.GetStatus(),
	}
	for _, ev := range ps.GetEvents() {
		g.Events = append(g.Events, gotEvent{Name: ev.GetName(), Attrs: attrMap(ev.GetAttributes())})
	}
	return g
}

// record runs one trace with a single span of data through an exporter
// pointed at a fresh sink and returns the received spans by name of kind:
// "trace" for the root span, "span" for the child.
type recorded struct {
	trace, span gotSpan
	sink        *sink
}

func recordOne(t *testing.T, data spans.Data, spanErr error, opts ...tracing.TraceOption) recorded {
	t.Helper()
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithServiceName("golden"))
	if err != nil {
		t.Fatal(err)
	}
	proc := processors.NewSync(exp)
	tp := tracing.NewProvider(tracing.WithProcessor(proc), tracing.WithDisabled(false),
		tracing.WithIDGenerator(&seqIDs{}), tracing.WithClock(stepClock(t0)))
	ctx, tr := tp.StartTrace(context.Background(), "Support run", opts...)
	_, sp := tracing.StartSpan(ctx, data, tracing.WithSpanMetadata(map[string]any{"step": 1}))
	sp.SetError(spanErr)
	sp.End()
	tr.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := proc.Stats(); st.Exported != 3 || st.DroppedTotal() != 0 {
		t.Fatalf("stats = %+v, want 3 exported (trace start, span, trace end)", st)
	}
	got := s.spans()
	if len(got) != 2 {
		t.Fatalf("received %d spans, want 2", len(got))
	}
	return recorded{span: toGot(got[0]), trace: toGot(got[1]), sink: s}
}

// The golden ids, by the rules of tracing.OTelTraceID and OTelSpanID: seqIDs
// is a custom generator, so its span ids are hashed whole and its traces'
// roots derived from their ids.
const (
	goldenTraceID = "00000000000000000000000000000001"
	goldenSpanID  = "735920988fcafe06" // SHA-256("span:span_000…01")[:8]
	goldenRootID  = "43a228804f412598" // SHA-256("root:trace_000…01")[:8]
)

// common are the attributes every child span of the golden trace carries.
func common(kind map[string]any) map[string]any {
	kind["step"] = int64(1)
	kind["metadata"] = `{"step":1}`
	return kind
}

func TestGoldenRootSpan(t *testing.T) {
	r := recordOne(t, &spans.Custom{Name: "x"}, nil,
		tracing.WithGroupID("group_42"),
		tracing.WithMetadata(map[string]any{"channel": "chat", "errors_seen": 0, "tool_choice": "auto", "input": "x"}))
	want := gotSpan{
		Name: "Support run", Kind: tracepb.Span_SPAN_KIND_INTERNAL,
		TraceID: goldenTraceID, SpanID: goldenRootID, ParentID: "",
		Start: t0, End: t0.Add(3 * time.Second),
		Attrs: map[string]any{
			"cozeloop.span_type":       "agent",
			"openinference.span.kind":  "AGENT",
			"gen_ai.operation.name":    "invoke_workflow",
			"agenttrace.trace.id":      "trace_" + goldenTraceID,
			"agenttrace.workflow.name": "Support run",
			"session.id":               "group_42",
			"gen_ai.conversation.id":   "group_42",
			"channel":                  "chat",
			// Reserved prefixes and keys are renamed, not dropped.
			"metadata.errors_seen": int64(0),
			"metadata.tool_choice": "auto",
			"metadata.input":       "x",
			"metadata":             `{"channel":"chat","errors_seen":0,"input":"x","tool_choice":"auto"}`,
		},
	}
	if diff := cmp.Diff(want, r.trace); diff != "" {
		t.Errorf("root span (-want +got):\n%s", diff)
	}
	// The child of the trace names the root span as its parent and carries
	// the group id too.
	if r.span.ParentID != goldenRootID || r.span.Attrs["session.id"] != "group_42" {
		t.Errorf("child parent = %s, session = %v", r.span.ParentID, r.span.Attrs["session.id"])
	}
	// The resource and scope.
	rs := r.sink.requests()[0].Req.GetResourceSpans()[0]
	res := attrMap(rs.GetResource().GetAttributes())
	wantRes := map[string]any{"service.name": "golden", "telemetry.sdk.name": "agenttrace-go",
		"telemetry.sdk.language": "go", "telemetry.sdk.version": Version}
	if diff := cmp.Diff(wantRes, res); diff != "" {
		t.Errorf("resource (-want +got):\n%s", diff)
	}
	if sc := rs.GetScopeSpans()[0].GetScope(); sc.GetName() != otelmap.ScopeName {
		t.Errorf("scope = %q", sc.GetName())
	}
}

func TestGoldenKinds(t *testing.T) {
	first := t0.Add(2*time.Second + 500*time.Millisecond)
	tests := []struct {
		name     string
		data     spans.Data
		err      error
		wantName string
		wantKind tracepb.Span_SpanKind
		attrs    map[string]any
	}{
		{
			name:     "agent",
			data:     &spans.Agent{Name: "Triage", Handoffs: []string{"Billing"}, Tools: []string{"lookup"}, OutputType: "str"},
			wantName: "invoke_agent Triage", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "agent", "openinference.span.kind": "AGENT", "gen_ai.operation.name": "invoke_agent",
				"gen_ai.agent.name": "Triage", "agent.name": "Triage",
				"agenttrace.agent.handoffs": `["Billing"]`, "agenttrace.agent.tools": `["lookup"]`,
				"agenttrace.agent.output_type": "str",
			},
		},
		{
			name: "generation",
			data: &spans.Generation{
				Model: "gpt-4.1", Provider: "openai", FinishReason: "tool_calls", ResponseID: "resp_1",
				ModelConfig: map[string]any{"temperature": 0.2, "max_tokens": 256, "base_url": "https://x"},
				Usage:       &spans.Usage{InputTokens: 10, OutputTokens: 5, CachedInputTokens: 4},
				Input:       []spans.Message{{Role: "user", Content: "Where is A1?"}},
				Tools:       []spans.Tool{{Name: "lookup", Description: "Find.", Parameters: `{"type":"object"}`}},
				Output: []spans.Message{{Role: "assistant", ToolCalls: []spans.ToolCall{
					{ID: "call_1", Name: "lookup", Arguments: `{"id":"A1"}`}}}},
			},
			wantName: "chat gpt-4.1", wantKind: tracepb.Span_SPAN_KIND_CLIENT,
			attrs: map[string]any{
				"cozeloop.span_type": "model", "openinference.span.kind": "LLM", "gen_ai.operation.name": "chat",
				"gen_ai.request.model": "gpt-4.1", "llm.model_name": "gpt-4.1",
				"gen_ai.system": "openai", "gen_ai.provider.name": "openai", "llm.provider": "openai",
				"gen_ai.request.temperature": 0.2, "gen_ai.request.max_tokens": int64(256),
				"llm.invocation_parameters":      `{"base_url":"https://x","max_tokens":256,"temperature":0.2}`,
				"gen_ai.response.id":             "resp_1",
				"gen_ai.response.finish_reasons": []any{"tool_calls"},
				"gen_ai.usage.input_tokens":      int64(10), "gen_ai.usage.output_tokens": int64(5),
				"llm.token_count.prompt": int64(10), "llm.token_count.completion": int64(5), "llm.token_count.total": int64(15),
				"gen_ai.usage.cache_read.input_tokens": int64(4), "llm.token_count.prompt_details.cache_read": int64(4),
				"input_cached_tokens":                  int64(4),
				"input.value":                          `{"messages":[{"role":"user","content":"Where is A1?"}],"tools":[{"type":"function","function":{"name":"lookup","description":"Find.","parameters":{"type":"object"}}}]}`,
				"cozeloop.input":                       `{"messages":[{"role":"user","content":"Where is A1?"}],"tools":[{"type":"function","function":{"name":"lookup","description":"Find.","parameters":{"type":"object"}}}]}`,
				"input.mime_type":                      "application/json",
				"gen_ai.input.messages":                `[{"role":"user","parts":[{"type":"text","content":"Where is A1?"}]}]`,
				"llm.input_messages.0.message.role":    "user",
				"llm.input_messages.0.message.content": "Where is A1?",
				"output.value":                         `{"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"id\":\"A1\"}"}}]}}]}`,
				"cozeloop.output":                      `{"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"id\":\"A1\"}"}}]}}]}`,
				"output.mime_type":                     "application/json",
				"gen_ai.output.messages":               `[{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"lookup","arguments":{"id":"A1"}}],"finish_reason":"tool_calls"}]`,
				"llm.output_messages.0.message.role":   "assistant",
				"llm.output_messages.0.message.tool_calls.0.tool_call.id":                 "call_1",
				"llm.output_messages.0.message.tool_calls.0.tool_call.function.name":      "lookup",
				"llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": `{"id":"A1"}`,
			},
		},
		{
			name:     "response",
			data:     &spans.Response{ResponseID: "resp_9", Model: "gpt-5", Usage: &spans.Usage{InputTokens: 3, OutputTokens: 4, TotalTokens: 9}},
			wantName: "chat gpt-5", wantKind: tracepb.Span_SPAN_KIND_CLIENT,
			attrs: map[string]any{
				"cozeloop.span_type": "model", "openinference.span.kind": "LLM", "gen_ai.operation.name": "chat",
				"gen_ai.request.model": "gpt-5", "llm.model_name": "gpt-5", "gen_ai.response.id": "resp_9",
				"gen_ai.usage.input_tokens": int64(3), "gen_ai.usage.output_tokens": int64(4),
				"llm.token_count.prompt": int64(3), "llm.token_count.completion": int64(4), "llm.token_count.total": int64(9),
			},
		},
		{
			name:     "function",
			data:     &spans.Function{Name: "lookup", CallID: "call_1", Input: `{"id":"A1"}`, Output: map[string]any{"status": "shipped"}, MCPData: map[string]any{"server": "orders"}},
			wantName: "execute_tool lookup", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "tool", "openinference.span.kind": "TOOL", "gen_ai.operation.name": "execute_tool",
				"gen_ai.tool.name": "lookup", "gen_ai.tool.call.id": "call_1", "gen_ai.tool.type": "function",
				"input.value": `{"id":"A1"}`, "cozeloop.input": `{"id":"A1"}`, "input.mime_type": "application/json",
				"gen_ai.tool.call.arguments": `{"id":"A1"}`,
				"output.value":               `{"status":"shipped"}`, "cozeloop.output": `{"status":"shipped"}`, "output.mime_type": "application/json",
				"gen_ai.tool.call.result": `{"status":"shipped"}`,
				"agenttrace.mcp.data":     `{"server":"orders"}`,
			},
		},
		{
			name:     "function text output",
			data:     &spans.Function{Name: "say", Input: "hello", Output: "done"},
			wantName: "execute_tool say", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "tool", "openinference.span.kind": "TOOL", "gen_ai.operation.name": "execute_tool",
				"gen_ai.tool.name": "say", "gen_ai.tool.type": "function",
				"input.value": "hello", "cozeloop.input": "hello", "input.mime_type": "text/plain", "gen_ai.tool.call.arguments": "hello",
				"output.value": "done", "cozeloop.output": "done", "output.mime_type": "text/plain", "gen_ai.tool.call.result": "done",
			},
		},
		{
			name:     "guardrail tripped is not an error",
			data:     &spans.Guardrail{Name: "on_topic", Triggered: true},
			wantName: "guardrail on_topic", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "guardrail", "openinference.span.kind": "GUARDRAIL",
				"agenttrace.guardrail.name": "on_topic", "agenttrace.guardrail.triggered": true,
				"output.value": `{"triggered":true}`, "cozeloop.output": `{"triggered":true}`, "output.mime_type": "application/json",
			},
		},
		{
			name:     "handoff",
			data:     &spans.Handoff{From: "Triage", To: "Billing"},
			wantName: "handoff to Billing", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "handoff", "openinference.span.kind": "CHAIN",
				"agenttrace.handoff.from": "Triage", "agenttrace.handoff.to": "Billing",
				"input.value": "Triage", "cozeloop.input": "Triage", "input.mime_type": "text/plain",
				"output.value": "Billing", "cozeloop.output": "Billing", "output.mime_type": "text/plain",
			},
		},
		{
			name:     "transcription",
			data:     &spans.Transcription{Model: "whisper-1", Input: make([]byte, 3200), InputFormat: "pcm", Output: "hello there", ModelConfig: map[string]any{"language": "en"}},
			wantName: "speech_to_text whisper-1", wantKind: tracepb.Span_SPAN_KIND_CLIENT,
			attrs: map[string]any{
				"cozeloop.span_type": "model", "openinference.span.kind": "LLM", "gen_ai.operation.name": "speech_to_text",
				"gen_ai.request.model": "whisper-1", "llm.model_name": "whisper-1",
				"llm.invocation_parameters":     `{"language":"en"}`,
				"agenttrace.audio.input_format": "pcm",
				"input.value":                   "[audio: 3200 bytes, pcm]", "cozeloop.input": "[audio: 3200 bytes, pcm]", "input.mime_type": "text/plain",
				"output.value": "hello there", "cozeloop.output": "hello there", "output.mime_type": "text/plain",
			},
		},
		{
			name:     "speech",
			data:     &spans.Speech{Model: "tts-1", Input: "Hi!", Output: make([]byte, 10), OutputFormat: "mp3", FirstContentAt: first},
			wantName: "text_to_speech tts-1", wantKind: tracepb.Span_SPAN_KIND_CLIENT,
			attrs: map[string]any{
				"cozeloop.span_type": "model", "openinference.span.kind": "LLM", "gen_ai.operation.name": "text_to_speech",
				"gen_ai.request.model": "tts-1", "llm.model_name": "tts-1",
				"agenttrace.audio.output_format": "mp3",
				"cozeloop.time_to_first_token":   first.UnixMicro(),
				"input.value":                    "Hi!", "cozeloop.input": "Hi!", "input.mime_type": "text/plain",
				"output.value": "[audio: 10 bytes, mp3]", "cozeloop.output": "[audio: 10 bytes, mp3]", "output.mime_type": "text/plain",
			},
		},
		{
			name:     "speech group",
			data:     &spans.SpeechGroup{Input: "Hi!"},
			wantName: "speech_group", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "speech_group", "openinference.span.kind": "CHAIN",
				"input.value": "Hi!", "cozeloop.input": "Hi!", "input.mime_type": "text/plain",
			},
		},
		{
			name:     "custom",
			data:     &spans.Custom{Name: "rerank", Data: map[string]any{"k": 3, "tools": "x", "error_rate": 0.5}},
			wantName: "rerank", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "custom", "openinference.span.kind": "CHAIN",
				"output.value": `{"error_rate":0.5,"k":3,"tools":"x"}`, "cozeloop.output": `{"error_rate":0.5,"k":3,"tools":"x"}`,
				"output.mime_type": "application/json",
				"k":                int64(3), "metadata.tools": "x", "metadata.error_rate": 0.5,
			},
		},
		{
			name:     "mcp tools",
			data:     &spans.MCPListTools{Server: "orders", Result: []string{"lookup", "cancel"}},
			wantName: "mcp_tools orders", wantKind: tracepb.Span_SPAN_KIND_CLIENT,
			attrs: map[string]any{
				"cozeloop.span_type": "mcp_tools", "openinference.span.kind": "CHAIN",
				"mcp.method.name": "tools/list", "agenttrace.mcp.server": "orders",
				"output.value": `["lookup","cancel"]`, "cozeloop.output": `["lookup","cancel"]`, "output.mime_type": "application/json",
			},
		},
		{
			name:     "task",
			data:     &spans.Task{Name: "support", Usage: &spans.Usage{Requests: 2, InputTokens: 10, OutputTokens: 5}},
			wantName: "task support", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "agent", "openinference.span.kind": "CHAIN", "gen_ai.operation.name": "invoke_workflow",
				"agenttrace.task.name":          "support",
				"agenttrace.usage.input_tokens": int64(10), "agenttrace.usage.output_tokens": int64(5),
				"agenttrace.usage.total_tokens": int64(15), "agenttrace.usage.requests": int64(2),
			},
		},
		{
			name:     "turn",
			data:     &spans.Turn{Turn: 2, AgentName: "Billing"},
			wantName: "turn 2 Billing", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "turn", "openinference.span.kind": "CHAIN",
				"agenttrace.turn": int64(2), "gen_ai.agent.name": "Billing", "agent.name": "Billing",
			},
		},
		{
			name:     "function error",
			data:     &spans.Function{Name: "refund", Input: `{}`},
			err:      &tracing.SpanError{Message: "Error running tool", Data: map[string]any{"type": "timeout", "tool_name": "refund"}},
			wantName: "execute_tool refund", wantKind: tracepb.Span_SPAN_KIND_INTERNAL,
			attrs: map[string]any{
				"cozeloop.span_type": "tool", "openinference.span.kind": "TOOL", "gen_ai.operation.name": "execute_tool",
				"gen_ai.tool.name": "refund", "gen_ai.tool.type": "function",
				"input.value": `{}`, "cozeloop.input": `{}`, "input.mime_type": "application/json", "gen_ai.tool.call.arguments": `{}`,
				"error.type": "timeout",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := recordOne(t, tt.data, tt.err)
			want := gotSpan{
				Name: tt.wantName, Kind: tt.wantKind,
				TraceID: goldenTraceID, SpanID: goldenSpanID, ParentID: goldenRootID,
				Start: t0.Add(time.Second), End: t0.Add(2 * time.Second),
				Attrs: common(tt.attrs),
			}
			if tt.err != nil {
				var se *tracing.SpanError
				errors.As(tt.err, &se)
				want.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: se.Message}
				want.Events = []gotEvent{{Name: "exception", Attrs: map[string]any{
					"exception.type": "timeout", "exception.message": se.Message,
					"agenttrace.error.data": `{"tool_name":"refund","type":"timeout"}`,
				}}}
			}
			if diff := cmp.Diff(want, r.span, cmp.Comparer(func(a, b *tracepb.Status) bool {
				return a.GetCode() == b.GetCode() && a.GetMessage() == b.GetMessage()
			})); diff != "" {
				t.Errorf("span (-want +got):\n%s", diff)
			}
		})
	}
}
