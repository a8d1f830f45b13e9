package otlpexport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// cozeView is what Coze Loop shows for a span, read with the rules of its
// OTLP converter (shared/reference/cozeloop-otlp.md, checked against
// backend/modules/observability/lib/otel/otel_convert.go): for each field
// the first listed key that is present gives a value, a present prefix then
// replaces it, and a matching event replaces that.
type cozeView struct {
	SpanType     string
	Input        string
	Output       string
	Model        string
	Provider     string
	InputTokens  int64
	OutputTokens int64
	Failed       bool
	Thread       string
}

var (
	cozeSpanTypeKeys = []string{"cozeloop.span_type", "gen_ai.request.type", "gen_ai.operation.name", "openinference.span.kind"}
	cozeInputKeys    = []string{"input.value", "cozeloop.input", "gen_ai.input", "gen_ai.tool.call.arguments"}
	cozeInputPrefix  = []string{"llm.input_messages", "tool", "gen_ai.prompt", "gen_ai.input.messages"}
	cozeInputEvents  = []string{"gen_ai.system.message", "gen_ai.user.message", "gen_ai.tool.message", "gen_ai.assistant.message", "gen_ai.content.prompt"}
	cozeOutputKeys   = []string{"output.value", "cozeloop.output", "gen_ai.output", "gen_ai.tool.call.result"}
	cozeOutputPrefix = []string{"llm.output_messages", "gen_ai.completion", "gen_ai.output.messages"}
	cozeOutputEvents = []string{"gen_ai.choice", "gen_ai.content.completion"}
	cozeModelKeys    = []string{"gen_ai.request.model", "gen_ai.response.model", "llm.model_name"}
	cozeProvKeys     = []string{"gen_ai.system", "gen_ai.provider.name"}
	cozeInTokKeys    = []string{"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"}
	cozeOutTokKeys   = []string{"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"}
	cozeErrorPrefix  = []string{"error", "exception"}
	// cozeOtherKeys are read into fields too, so they are not custom tags.
	cozeOtherKeys = []string{"session.id", "user.id", "messaging.message.id", "cozeloop.logid",
		"cozeloop.time_to_first_token", "cozeloop.stream", "cozeloop.status_code", "service.name",
		"gen_ai.request.temperature", "gen_ai.request.top_p", "gen_ai.request.top_k", "gen_ai.request.max_tokens",
		"gen_ai.request.frequency_penalty", "gen_ai.request.presence_penalty", "gen_ai.request.stop_sequences",
		"cozeloop.prompt_key", "cozeloop.prompt_version", "cozeloop.prompt_provider"}
)

var cozeTypeMap = map[string]string{
	"": "custom", "chat": "model", "generate_content": "model", "text_completion": "model", "LLM": "model",
	"execute_tool": "tool", "TOOL": "tool", "RETRIEVER": "retriever", "AGENT": "agent",
}

func firstKey(m map[string]*commonpb.AnyValue, keys []string) (*commonpb.AnyValue, bool) {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v, true
		}
	}
	return nil, false
}

func hasPrefix(m map[string]*commonpb.AnyValue, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		for k, v := range m {
			if strings.HasPrefix(k, p) {
				return v.GetStringValue(), true
			}
		}
	}
	return "", false
}

func hasEvent(evs []*tracepb.Span_Event, names []string) bool {
	return slices.ContainsFunc(evs, func(e *tracepb.Span_Event) bool { return slices.Contains(names, e.GetName()) })
}

func readCoze(ps *tracepb.Span) cozeView {
	m := map[string]*commonpb.AnyValue{}
	for _, kv := range ps.GetAttributes() {
		m[kv.GetKey()] = kv.GetValue()
	}
	var v cozeView
	if x, ok := firstKey(m, cozeSpanTypeKeys); ok {
		v.SpanType = x.GetStringValue()
	}
	if t, ok := cozeTypeMap[v.SpanType]; ok {
		v.SpanType = t
	}
	str := func(keys, prefixes, events []string) string {
		var out string
		if x, ok := firstKey(m, keys); ok {
			out = x.GetStringValue() // a non-string value is dropped
		}
		if p, ok := hasPrefix(m, prefixes); ok {
			out = "<prefix:" + p + ">"
		}
		if hasEvent(ps.GetEvents(), events) {
			out = "<event>"
		}
		return out
	}
	v.Input = str(cozeInputKeys, cozeInputPrefix, cozeInputEvents)
	v.Output = str(cozeOutputKeys, cozeOutputPrefix, cozeOutputEvents)
	if x, ok := firstKey(m, cozeModelKeys); ok {
		v.Model = x.GetStringValue()
	}
	if x, ok := firstKey(m, cozeProvKeys); ok {
		v.Provider = x.GetStringValue()
	}
	if x, ok := firstKey(m, cozeInTokKeys); ok {
		v.InputTokens = x.GetIntValue()
	}
	if x, ok := firstKey(m, cozeOutTokKeys); ok {
		v.OutputTokens = x.GetIntValue()
	}
	_, errAttr := hasPrefix(m, cozeErrorPrefix)
	v.Failed = errAttr || hasEvent(ps.GetEvents(), []string{"exception"})
	if x, ok := m["session.id"]; ok {
		v.Thread = x.GetStringValue()
	}
	return v
}

// cozeCustomTags counts the attributes Coze Loop keeps as custom tags: those
// no field reads.
func cozeCustomTags(ps *tracepb.Span) []string {
	read := slices.Concat(cozeSpanTypeKeys, cozeInputKeys, cozeOutputKeys, cozeModelKeys, cozeProvKeys,
		cozeInTokKeys, cozeOutTokKeys, cozeOtherKeys)
	prefixes := slices.Concat(cozeInputPrefix, cozeOutputPrefix, cozeErrorPrefix)
	var tags []string
	for _, kv := range ps.GetAttributes() {
		k := kv.GetKey()
		if slices.Contains(read, k) || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		tags = append(tags, k)
	}
	return tags
}

// exportToCoze sends one trace holding data (and err) to a sink posing as
// Coze Loop (its path, its headers) and returns the received child span and
// root span.
func exportToCoze(t *testing.T, data spans.Data, spanErr error, md map[string]any) (child, root *tracepb.Span) {
	t.Helper()
	s := newSink(t, nil)
	exp, err := New(WithCozeLoop("7486", "pat_secret"), WithCozeLoopBaseURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)), tracing.WithDisabled(false),
		tracing.WithIDGenerator(&seqIDs{}), tracing.WithClock(stepClock(t0)))
	ctx, tr := tp.StartTrace(context.Background(), "Support run", tracing.WithGroupID("group_7"), tracing.WithMetadata(md))
	_, sp := tracing.StartSpan(ctx, data, tracing.WithSpanMetadata(md))
	sp.SetError(spanErr)
	sp.End()
	tr.End()
	tp.Shutdown(context.Background())
	reqs := s.requests()
	if len(reqs) == 0 {
		t.Fatal("nothing received")
	}
	h := reqs[0].Header
	if h.Get("cozeloop-workspace-id") != "7486" || h.Get("Authorization") != "Bearer pat_secret" ||
		h.Get("Content-Type") != "application/x-protobuf" || !reqs[0].Gzip {
		t.Errorf("request headers = %v, gzip %v", h, reqs[0].Gzip)
	}
	got := s.spans()
	if len(got) != 2 {
		t.Fatalf("received %d spans, want 2", len(got))
	}
	return got[0], got[1]
}

// hostile metadata: keys that Coze Loop would read as a tool input or an
// error if they were sent as they are.
var hostileMetadata = map[string]any{"tool_choice": "auto", "tools": "x", "errors_seen": 0, "exception_count": 0, "error": "none"}

func TestCozeLoopConformance(t *testing.T) {
	gen := &spans.Generation{
		Model: "gpt-4.1", Provider: "openai", FinishReason: "tool_calls",
		ModelConfig: map[string]any{"temperature": 0.3},
		Usage:       &spans.Usage{InputTokens: 12, OutputTokens: 7},
		Input:       []spans.Message{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Where is A1?"}},
		Tools:       []spans.Tool{{Name: "lookup", Parameters: `{"type":"object","properties":{"id":{"type":"string"}}}`}},
		Output: []spans.Message{{Role: "assistant", ToolCalls: []spans.ToolCall{
			{ID: "call_1", Name: "lookup", Arguments: `{"id":"A1"}`}}}},
	}
	tests := []struct {
		name string
		data spans.Data
		err  error
		want cozeView
	}{
		{"agent", &spans.Agent{Name: "Triage", Tools: []string{"lookup"}},
			nil, cozeView{SpanType: "agent"}},
		{"generation", gen, nil, cozeView{
			SpanType: "model", Model: "gpt-4.1", Provider: "openai", InputTokens: 12, OutputTokens: 7,
			Input:  `{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Where is A1?"}],"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"id":{"type":"string"}}}}}]}`,
			Output: `{"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"id\":\"A1\"}"}}]}}]}`,
		}},
		{"response", &spans.Response{ResponseID: "resp_1", Model: "gpt-5", Usage: &spans.Usage{InputTokens: 1, OutputTokens: 2}},
			nil, cozeView{SpanType: "model", Model: "gpt-5", InputTokens: 1, OutputTokens: 2}},
		{"function", &spans.Function{Name: "lookup", CallID: "call_1", Input: `{"id":"A1"}`, Output: "shipped"},
			nil, cozeView{SpanType: "tool", Input: `{"id":"A1"}`, Output: "shipped"}},
		{"function failed", &spans.Function{Name: "refund", Input: `{"id":"A1"}`},
			&tracing.SpanError{Message: "billing timed out"}, cozeView{SpanType: "tool", Input: `{"id":"A1"}`, Failed: true}},
		{"guardrail tripped", &spans.Guardrail{Name: "on_topic", Triggered: true},
			nil, cozeView{SpanType: "guardrail", Output: `{"triggered":true}`}},
		{"handoff", &spans.Handoff{From: "Triage", To: "Billing"},
			nil, cozeView{SpanType: "handoff", Input: "Triage", Output: "Billing"}},
		{"transcription", &spans.Transcription{Model: "whisper-1", Input: []byte{1, 2}, InputFormat: "pcm", Output: "hi"},
			nil, cozeView{SpanType: "model", Model: "whisper-1",
				Input:  `{"messages":[{"role":"user","content":"[audio: 2 bytes, pcm]"}]}`,
				Output: `{"choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]}`}},
		{"speech", &spans.Speech{Model: "tts-1", Input: "hi", Output: []byte{1}, OutputFormat: "mp3"},
			nil, cozeView{SpanType: "model", Model: "tts-1",
				Input:  `{"messages":[{"role":"user","content":"hi"}]}`,
				Output: `{"choices":[{"index":0,"message":{"role":"assistant","content":"[audio: 1 bytes, mp3]"}}]}`}},
		{"speech group", &spans.SpeechGroup{Input: "hi"}, nil, cozeView{SpanType: "speech_group", Input: "hi"}},
		{"custom", &spans.Custom{Name: "rerank", Data: map[string]any{"tool_name": "x", "error_rate": 0.1}},
			nil, cozeView{SpanType: "custom", Output: `{"error_rate":0.1,"tool_name":"x"}`}},
		{"mcp tools", &spans.MCPListTools{Server: "orders", Result: []string{"lookup"}},
			nil, cozeView{SpanType: "mcp_tools", Output: `["lookup"]`}},
		{"task", &spans.Task{Name: "support", Usage: &spans.Usage{InputTokens: 5}}, nil, cozeView{SpanType: "agent"}},
		{"turn", &spans.Turn{Turn: 1, AgentName: "Triage"}, nil, cozeView{SpanType: "turn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			child, root := exportToCoze(t, tt.data, tt.err, hostileMetadata)
			want := tt.want
			want.Thread = "group_7"
			if diff := cmp.Diff(want, readCoze(child)); diff != "" {
				t.Errorf("Coze Loop view (-want +got):\n%s", diff)
			}
			if err := cozeModelViewRenders(readCoze(child)); err != nil {
				t.Error(err)
			}
			if diff := cmp.Diff(cozeView{SpanType: "agent", Thread: "group_7"}, readCoze(root)); diff != "" {
				t.Errorf("root span view (-want +got):\n%s", diff)
			}
			for _, ps := range []*tracepb.Span{child, root} {
				if tags := cozeCustomTags(ps); len(tags) > 30 {
					t.Errorf("%s: %d custom tags (Coze Loop keeps 51): %v", ps.GetName(), len(tags), tags)
				}
				checkCozeIDs(t, ps)
			}
		})
	}
}

// checkCozeIDs checks Coze Loop's validation: ids not all zero (their hex
// form is lowercase by construction of protobuf bytes).
func checkCozeIDs(t *testing.T, ps *tracepb.Span) {
	t.Helper()
	if len(ps.GetTraceId()) != 16 || allZero(ps.GetTraceId()) || len(ps.GetSpanId()) != 8 || allZero(ps.GetSpanId()) {
		t.Errorf("%s: bad ids %x / %x", ps.GetName(), ps.GetTraceId(), ps.GetSpanId())
	}
}

// TestCozeLoopChatShapes checks that the model span's input and output are in
// the shapes Coze Loop renders as a chat: tool_calls an array or absent
// (never null), tool parameters an object.
func TestCozeLoopChatShapes(t *testing.T) {
	gen := &spans.Generation{
		Model:  "m",
		Input:  []spans.Message{{Role: "user", Content: "hi"}, {Role: "assistant", Content: "", ToolCalls: []spans.ToolCall{{ID: "c", Name: "f", Arguments: "{}"}}}, {Role: "tool", ToolCallID: "c", Content: "ok"}},
		Tools:  []spans.Tool{{Name: "f", Parameters: `{"type":"object"}`}, {Name: "g"}},
		Output: []spans.Message{{Role: "assistant", Content: "done"}},
	}
	child, _ := exportToCoze(t, gen, nil, nil)
	v := readCoze(child)
	var in struct {
		Messages []map[string]json.RawMessage `json:"messages"`
		Tools    []struct {
			Type     string                     `json:"type"`
			Function map[string]json.RawMessage `json:"function"`
		} `json:"tools"`
	}
	if err := json.Unmarshal([]byte(v.Input), &in); err != nil {
		t.Fatalf("input %q: %v", v.Input, err)
	}
	for i, m := range in.Messages {
		if tc, ok := m["tool_calls"]; ok && (string(tc) == "null" || tc[0] != '[') {
			t.Errorf("message %d tool_calls = %s, want an array or absent", i, tc)
		}
	}
	if len(in.Tools) != 2 || in.Tools[0].Type != "function" || string(in.Tools[0].Function["parameters"]) != `{"type":"object"}` {
		t.Errorf("tools = %+v", in.Tools)
	}
	if _, ok := in.Tools[1].Function["parameters"]; ok {
		t.Errorf("tool without a schema has parameters %s", in.Tools[1].Function["parameters"])
	}
	var out struct {
		Choices []struct {
			Index   int                        `json:"index"`
			Message map[string]json.RawMessage `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal([]byte(v.Output), &out); err != nil || len(out.Choices) != 1 || string(out.Choices[0].Message["content"]) != `"done"` {
		t.Errorf("output %q: %v", v.Output, err)
	}
	if _, ok := out.Choices[0].Message["tool_calls"]; ok {
		t.Errorf("output message without calls has tool_calls")
	}
}

// TestMessageAttributesDefault checks the per-destination default of
// WithMessageAttributes: on for a generic OTLP endpoint, off for Coze Loop,
// and that the option overrides it.
func TestMessageAttributesDefault(t *testing.T) {
	gen := &spans.Generation{Model: "m", Input: []spans.Message{{Role: "user", Content: "hi"}}, Output: []spans.Message{{Role: "assistant", Content: "yo"}}}
	has := func(ps *tracepb.Span, key string) bool {
		_, ok := attrMap(ps.GetAttributes())[key]
		return ok
	}
	child, _ := exportToCoze(t, gen, nil, nil)
	if has(child, "gen_ai.input.messages") || has(child, "llm.input_messages.0.message.role") || has(child, "gen_ai.output.messages") {
		t.Error("Coze Loop span has message attributes that would replace input.value")
	}
	r := recordOne(t, gen, nil)
	if r.span.Attrs["gen_ai.input.messages"] == nil || r.span.Attrs["llm.output_messages.0.message.content"] != "yo" {
		t.Error("generic OTLP span lacks message attributes")
	}
	for _, on := range []bool{true, false} {
		s := newSink(t, nil)
		exp, err := New(WithCozeLoop("1", "t"), WithCozeLoopBaseURL(s.URL), WithMessageAttributes(on))
		if err != nil {
			t.Fatal(err)
		}
		tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)), tracing.WithDisabled(false))
		ctx, tr := tp.StartTrace(context.Background(), "w")
		_, sp := tracing.StartSpan(ctx, gen)
		sp.End()
		tr.End()
		tp.Shutdown(context.Background())
		if got := has(s.spans()[0], "gen_ai.input.messages"); got != on {
			t.Errorf("WithMessageAttributes(%v): gen_ai.input.messages present = %v", on, got)
		}
	}
}

// TestCozeLoopTagBudget checks that a span with many metadata keys stays
// well under Coze Loop's 51 custom tags (beyond which tags are dropped at
// random), spending them on what users read, while every key still reaches
// the "metadata" JSON attribute.
func TestCozeLoopTagBudget(t *testing.T) {
	md := map[string]any{}
	for i := range 40 {
		md[fmt.Sprintf("key_%02d", i)] = i
	}
	gen := &spans.Generation{Model: "m", Provider: "p", ModelConfig: map[string]any{"temperature": 0.1, "top_p": 0.9, "max_tokens": 9},
		Usage: &spans.Usage{InputTokens: 1, OutputTokens: 1, CachedInputTokens: 1, ReasoningTokens: 1},
		Input: []spans.Message{{Role: "user", Content: "hi"}}, Output: []spans.Message{{Role: "assistant", Content: "yo"}}}
	child, root := exportToCoze(t, gen, nil, md)
	for _, ps := range []*tracepb.Span{child, root} {
		// 16 metadata keys of their own, the metadata JSON, and the two
		// token tags Coze Loop reads; nothing twice.
		if tags := cozeCustomTags(ps); len(tags) > 16+1+2 {
			t.Errorf("%s: %d custom tags: %v", ps.GetName(), len(tags), tags)
		}
		var all map[string]any
		if err := json.Unmarshal([]byte(attrMap(ps.GetAttributes())["metadata"].(string)), &all); err != nil || len(all) != 40 {
			t.Errorf("%s: metadata JSON has %d keys (%v)", ps.GetName(), len(all), err)
		}
	}
}

// allZero reports whether an id is all zero bytes, which Coze Loop rejects.
func allZero(b []byte) bool { return bytes.Count(b, []byte{0}) == len(b) }

// cozeErrorTag builds the "error" tag as Coze Loop does: the exception
// event's attributes, error.type and any other error* or exception*
// attribute together, keys split on dots into nested objects, as JSON
// (encoding/json escapes <, > and &, so its size is an upper bound of
// Coze's own encoder's). It returns "" for a span with none of them.
func cozeErrorTag(ps *tracepb.Span) string {
	tag := map[string]any{}
	put := func(k string, v any) {
		m := tag
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
	for _, ev := range ps.GetEvents() {
		if ev.GetName() == "exception" {
			for k, v := range attrMap(ev.GetAttributes()) {
				put(k, v)
			}
		}
	}
	for k, v := range attrMap(ps.GetAttributes()) {
		if strings.HasPrefix(k, "error") || strings.HasPrefix(k, "exception") {
			put(k, v)
		}
	}
	if len(tag) == 0 {
		return ""
	}
	b, _ := json.Marshal(tag)
	return string(b)
}

// TestCozeLoopErrorTagBounded checks that the error tag Coze Loop builds
// stays within its 1024-byte tag limit, so that it is never cut into invalid
// JSON, however long the error's message, type and data, and that it keeps
// the start of each.
func TestCozeLoopErrorTagBounded(t *testing.T) {
	long := strings.Repeat(`卡号 "<4111>" & `, 200)
	tests := []struct {
		name string
		err  *tracing.SpanError
	}{
		{"short", &tracing.SpanError{Message: "billing timed out", Data: map[string]any{"type": "timeout"}}},
		{"long message", &tracing.SpanError{Message: long}},
		{"long data", &tracing.SpanError{Message: "failed", Data: map[string]any{"stderr": long, "exit": 2}}},
		{"long everything", &tracing.SpanError{Message: long, Data: map[string]any{"type": long, "stderr": long, "argv": []any{long, long}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			child, _ := exportToCoze(t, &spans.Function{Name: "refund", Input: "{}"}, tt.err, nil)
			tag := cozeErrorTag(child)
			if len(tag) > 1024 || !json.Valid([]byte(tag)) {
				t.Fatalf("error tag: %d bytes, valid JSON %v: %.120s", len(tag), json.Valid([]byte(tag)), tag)
			}
			var v struct {
				Exception struct{ Message, Type string }
				Error     struct{ Type string }
			}
			if err := json.Unmarshal([]byte(tag), &v); err != nil {
				t.Fatal(err)
			}
			prefix := tt.err.Message[:min(len(tt.err.Message), 8)]
			if !strings.HasPrefix(v.Exception.Message, prefix) || v.Error.Type == "" || v.Exception.Type != v.Error.Type {
				t.Errorf("tag = %s", tag)
			}
			if tt.name != "short" && len(tag) < 900 {
				t.Errorf("error tag cut to %d bytes, more than needed", len(tag))
			}
			if !readCoze(child).Failed {
				t.Error("span not failed")
			}
		})
	}
}

// cozeChatViewAccepts applies the check of Coze Loop's chat view to a model
// span's input: each tool's function.parameters is absent or a JSON object,
// and every "type" in it (at any depth) is a string. Otherwise the view
// falls back to raw text for the whole conversation.
func cozeChatViewAccepts(input string) error {
	var in struct {
		Tools []struct {
			Function struct {
				Parameters json.RawMessage `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
	}
	if err := json.Unmarshal([]byte(input), &in); err != nil {
		return err
	}
	var check func(v any) error
	check = func(v any) error {
		switch x := v.(type) {
		case map[string]any:
			if t, ok := x["type"]; ok {
				if _, isStr := t.(string); !isStr {
					if _, isMap := t.(map[string]any); !isMap { // a property named "type"
						return fmt.Errorf("type %v is not a string", t)
					}
				}
			}
			for _, e := range x {
				if err := check(e); err != nil {
					return err
				}
			}
		case []any:
			for _, e := range x {
				if err := check(e); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, tool := range in.Tools {
		p := tool.Function.Parameters
		if p == nil {
			continue
		}
		var v any
		if err := json.Unmarshal(p, &v); err != nil {
			return err
		}
		if _, ok := v.(map[string]any); !ok {
			return fmt.Errorf("tool %d: parameters %s are not an object", i, p)
		}
		if err := check(v); err != nil {
			return fmt.Errorf("tool %d: %w", i, err)
		}
	}
	return nil
}

// TestCozeLoopToolSchemas checks that strict-mode schemas (type lists) and
// parameters that are not a JSON object are sent to Coze Loop in a form its
// chat view accepts, and that the tools as given are kept in
// gen_ai.tool.definitions; a generic backend gets them unchanged.
func TestCozeLoopToolSchemas(t *testing.T) {
	strict := `{"type":"object","properties":{"note":{"type":["string","null"]},"type":{"type":"string"},` +
		`"tags":{"type":"array","items":{"type":["integer","null"]}}},"required":["note","type","tags"],"additionalProperties":false}`
	gen := &spans.Generation{Model: "m",
		Input: []spans.Message{{Role: "user", Content: "hi"}},
		Tools: []spans.Tool{
			{Name: "note", Parameters: strict, Strict: true},
			{Name: "legacy", Parameters: "city: string"},
			{Name: "list", Parameters: `["a"]`},
			{Name: "plain", Parameters: `{"type":"object","properties":{"q":{"type":"string"}}}`},
		}}
	child, _ := exportToCoze(t, gen, nil, nil)
	v := readCoze(child)
	if err := cozeChatViewAccepts(v.Input); err != nil {
		t.Errorf("Coze Loop's chat view rejects the input: %v\n%s", err, v.Input)
	}
	var in struct {
		Tools []struct {
			Function struct {
				Name       string
				Parameters map[string]any
			}
		}
	}
	if err := json.Unmarshal([]byte(v.Input), &in); err != nil || len(in.Tools) != 4 {
		t.Fatalf("tools: %v %+v", err, in.Tools)
	}
	note := in.Tools[0].Function.Parameters["properties"].(map[string]any)["note"].(map[string]any)
	if note["type"] != "string" || note["nullable"] != true || in.Tools[1].Function.Parameters != nil ||
		!strings.Contains(v.Input, `"plain","parameters":{"type":"object","properties":{"q":{"type":"string"}}}`) {
		t.Errorf("tools sent to Coze Loop: %s", v.Input)
	}
	var defs []struct {
		Name       string
		Parameters json.RawMessage
	}
	if err := json.Unmarshal([]byte(attrMap(child.GetAttributes())["gen_ai.tool.definitions"].(string)), &defs); err != nil ||
		len(defs) != 4 || !strings.Contains(string(defs[0].Parameters), `["string","null"]`) || string(defs[1].Parameters) != `"city: string"` {
		t.Errorf("gen_ai.tool.definitions = %+v (%v)", defs, err)
	}
	r := recordOne(t, gen, nil)
	if in := r.span.Attrs["input.value"].(string); !strings.Contains(in, `"note":{"type":["string","null"]}`) {
		t.Errorf("generic backend got a rewritten schema: %s", in)
	}
}

// TestCozeLoopProfile pins what a Coze Loop span carries: each thing Coze
// Loop reads or shows once (no llm.*, input.value, mime types, second agent
// name, conversation id, provider.name twin or token-count twins, which
// would only spend its 51 custom tags), its token tags
// (reasoning_tokens, input_cached_tokens, input_creation_cached_tokens),
// service.name on the span for the newer converter's psm, and the finish
// reason as a string rather than an array Coze Loop shows as protobuf JSON.
func TestCozeLoopProfile(t *testing.T) {
	gen := &spans.Generation{Model: "gpt-4.1", Provider: "openai", FinishReason: "tool_calls", ResponseID: "resp_1", Stream: true,
		ModelConfig: map[string]any{"temperature": 0.3, "seed": 7, "base_url": "https://x"},
		Usage:       &spans.Usage{InputTokens: 12, OutputTokens: 7, CachedInputTokens: 3, CacheWriteInputTokens: 2, ReasoningTokens: 5},
		Input:       []spans.Message{{Role: "user", Content: "Where is A1?"}},
		Output:      []spans.Message{{Role: "assistant", Content: "Shipped."}}}
	service := "unknown_service:" + filepath.Base(os.Args[0])
	tests := []struct {
		name string
		data spans.Data
		want map[string]any
	}{
		{"generation", gen, map[string]any{
			"cozeloop.span_type": "model", "gen_ai.request.model": "gpt-4.1", "gen_ai.system": "openai",
			"gen_ai.request.temperature": 0.3, "gen_ai.request.seed": int64(7),
			"gen_ai.response.id": "resp_1", "gen_ai.response.finish_reasons": "tool_calls",
			"gen_ai.usage.input_tokens": int64(12), "gen_ai.usage.output_tokens": int64(7),
			"reasoning_tokens": int64(5), "input_cached_tokens": int64(3), "input_creation_cached_tokens": int64(2),
			"cozeloop.stream": true,
			"cozeloop.input":  `{"messages":[{"role":"user","content":"Where is A1?"}]}`,
			"cozeloop.output": `{"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"Shipped."}}]}`,
		}},
		{"function", &spans.Function{Name: "lookup", CallID: "call_1", Input: `{"id":"A1"}`, Output: "shipped"}, map[string]any{
			"cozeloop.span_type": "tool", "gen_ai.tool.name": "lookup", "gen_ai.tool.call.id": "call_1",
			"cozeloop.input": `{"id":"A1"}`, "cozeloop.output": "shipped",
		}},
		{"agent", &spans.Agent{Name: "Triage", Input: "hi"}, map[string]any{
			"cozeloop.span_type": "agent", "gen_ai.agent.name": "Triage", "cozeloop.input": "hi",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			child, root := exportToCoze(t, tt.data, nil, map[string]any{"tenant": "acme"})
			want := tt.want
			want["session.id"], want["service.name"], want["tenant"] = "group_7", service, "acme"
			if diff := cmp.Diff(want, attrMap(child.GetAttributes())); diff != "" {
				t.Errorf("span (-want +got):\n%s", diff)
			}
			wantRoot := map[string]any{"cozeloop.span_type": "agent", "session.id": "group_7", "service.name": service,
				"tenant": "acme", "agenttrace.trace.id": "trace_" + goldenTraceID, "agenttrace.workflow.name": "Support run"}
			if diff := cmp.Diff(wantRoot, attrMap(root.GetAttributes())); diff != "" {
				t.Errorf("root span (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWithAttributes checks that a profile chosen with WithAttributes sends
// its families' keys and no others', whatever the destination.
func TestWithAttributes(t *testing.T) {
	gen := &spans.Generation{Model: "m", Provider: "p", Usage: &spans.Usage{InputTokens: 1, OutputTokens: 2, ReasoningTokens: 1},
		Input: []spans.Message{{Role: "user", Content: "hi"}}, Output: []spans.Message{{Role: "assistant", Content: "yo"}}}
	tests := []struct {
		p          Profile
		want, none []string
	}{
		{ProfileGenAI, []string{"gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.input.messages", "gen_ai.usage.input_tokens"},
			[]string{"input.value", "cozeloop.input", "llm.model_name", "openinference.span.kind", "cozeloop.span_type", "reasoning_tokens", "service.name", "session.id"}},
		{ProfileOpenInference, []string{"input.value", "input.mime_type", "llm.model_name", "llm.input_messages.0.message.role", "openinference.span.kind"},
			[]string{"gen_ai.operation.name", "gen_ai.system", "cozeloop.input", "gen_ai.input.messages", "reasoning_tokens"}},
		{ProfileGenAI | ProfileCozeLoop, []string{"gen_ai.provider.name", "cozeloop.input", "reasoning_tokens", "gen_ai.input.messages"},
			[]string{"input.value", "llm.model_name", "llm.input_messages.0.message.role"}},
		{ProfileAll, []string{"gen_ai.provider.name", "cozeloop.input", "input.value", "llm.model_name", "reasoning_tokens"}, nil},
	}
	for _, tt := range tests {
		got, err := sendItems(t, recordItems(gen, map[string]any{"tenant": "acme"}, nil), WithAttributes(tt.p))
		if err != nil {
			t.Fatal(err)
		}
		a := childAttrs(t, got)
		for _, k := range append(tt.want, "tenant") {
			if _, ok := a[k]; !ok {
				t.Errorf("profile %d: no %s", tt.p, k)
			}
		}
		for _, k := range tt.none {
			if _, ok := a[k]; ok {
				t.Errorf("profile %d: %s sent", tt.p, k)
			}
		}
	}
}

// cozeModelViewRenders checks that a model span's input and output are in
// the shapes Coze Loop's model view renders (a chat: {"messages":[...]} in,
// {"choices":[...]} out; or the Responses API's {"input":[...]} in,
// {"output":[...]} out), rather than text it shows raw.
func cozeModelViewRenders(v cozeView) error {
	if v.SpanType != "model" {
		return nil
	}
	for _, side := range []struct {
		text string
		keys []string
	}{{v.Input, []string{"messages", "input"}}, {v.Output, []string{"choices", "output"}}} {
		if side.text == "" {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(side.text), &m); err != nil {
			return fmt.Errorf("model view cannot render %.80q: %v", side.text, err)
		}
		if !slices.ContainsFunc(side.keys, func(k string) bool { return len(m[k]) > 0 && m[k][0] == '[' }) {
			return fmt.Errorf("model view cannot render %.80q: no %v list", side.text, side.keys)
		}
	}
	return nil
}
