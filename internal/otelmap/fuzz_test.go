package otelmap

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// recorder keeps the items of one trace, as an exporter would get them.
type recorder struct {
	mu    sync.Mutex
	items []processors.Item
}

func (r *recorder) OnTraceStart(*tracing.Trace) {}
func (r *recorder) OnTraceEnd(t *tracing.Trace) {
	r.mu.Lock()
	r.items = append(r.items, processors.TraceItem(processors.TraceEnded, t))
	r.mu.Unlock()
}
func (r *recorder) OnSpanStart(*tracing.Span) {}
func (r *recorder) OnSpanEnd(s *tracing.Span) {
	r.mu.Lock()
	r.items = append(r.items, processors.SpanItem(s))
	r.mu.Unlock()
}
func (r *recorder) ForceFlush(context.Context) error { return nil }
func (r *recorder) Shutdown(context.Context) error   { return nil }

// fuzzSpans builds spans of several kinds whose every user text comes from
// the fuzzer: a model call with messages, tools and model config, a tool
// call, a custom span, a transcription, with metadata and an error.
func fuzzSpans(text, key, args string, n int64, f float64, sensitive bool) []processors.Item {
	r := &recorder{}
	tp := tracing.NewProvider(tracing.WithProcessor(r), tracing.WithDisabled(false), tracing.WithSensitiveData(sensitive))
	md := map[string]any{key: text, "n": n, "f": f, text: []any{key, n}}
	ctx, tr := tp.StartTrace(context.Background(), text, tracing.WithGroupID(key), tracing.WithMetadata(md))
	tr.SetInput(text)
	msgs := []spans.Message{
		{Role: "system", Content: text},
		{Role: key, Parts: []spans.Part{{Type: spans.PartText, Text: text}, {Type: spans.PartImageURL, URL: args}, {Type: key, Text: args}}},
		{Role: "assistant", ReasoningContent: key, ToolCalls: []spans.ToolCall{{ID: key, Name: text, Arguments: args}}},
		{Role: "tool", ToolCallID: key, Content: args, Name: text},
	}
	data := []spans.Data{
		&spans.Generation{Model: text, Provider: key, FinishReason: key, Input: msgs, Output: msgs[2:],
			Tools:       []spans.Tool{{Name: key, Description: text, Parameters: args}},
			ModelConfig: map[string]any{"temperature": f, "max_tokens": n, "stop": []any{text, f}, key: args},
			Usage:       &spans.Usage{InputTokens: n, OutputTokens: 1, ReasoningTokens: n, CachedInputTokens: 2}},
		&spans.Function{Name: key, CallID: text, Input: args, Output: map[string]any{key: f, "t": text}},
		&spans.Custom{Name: text, Data: map[string]any{key: args, "error": text}},
		&spans.Transcription{Model: key, Input: []byte(text), InputFormat: key, Output: args},
	}
	for i, d := range data {
		_, sp := tracing.StartSpan(ctx, d, tracing.WithSpanMetadata(md))
		if i%2 == 0 {
			sp.SetError(&tracing.SpanError{Message: text, Data: map[string]any{"type": key, "args": args, "f": f}})
		}
		sp.End()
	}
	tr.End()
	return r.items
}

// checkSpan checks what every converted span must be, whatever its input:
// it marshals (every string valid UTF-8), keys and values within their
// limits, the JSON-typed inputs and outputs valid JSON, twins equal, and
// for Coze Loop the error tag within 1024 bytes and the span's JSON within
// its limit.
func checkSpan(t *testing.T, ps *tracepb.Span, cfg Config) {
	t.Helper()
	if _, err := proto.Marshal(ps); err != nil {
		t.Fatalf("%q does not marshal: %v", ps.GetName(), err)
	}
	if len(ps.GetName()) > clip.MaxValue || len(ps.GetTraceId()) != 16 || len(ps.GetSpanId()) != 8 {
		t.Fatalf("name %d bytes, ids %x %x", len(ps.GetName()), ps.GetTraceId(), ps.GetSpanId())
	}
	m := map[string]*commonpb.AnyValue{}
	for _, kv := range ps.GetAttributes() {
		k := kv.GetKey()
		if len(k) > clip.MaxKey {
			t.Fatalf("key %q: %d bytes", k, len(k))
		}
		if _, dup := m[k]; dup {
			t.Fatalf("key %q twice", k)
		}
		if s := kv.GetValue().GetStringValue(); len(s) > clip.MaxContent {
			t.Fatalf("%s: %d bytes", k, len(s))
		}
		m[k] = kv.GetValue()
	}
	for _, side := range []string{"input", "output"} {
		v, twin := m[side+".value"].GetStringValue(), m["cozeloop."+side].GetStringValue()
		if m[side+".value"] != nil && m["cozeloop."+side] != nil && v != twin {
			t.Fatalf("%s.value and cozeloop.%s differ", side, side)
		}
		if m[side+".mime_type"].GetStringValue() == "application/json" && !json.Valid([]byte(v)) {
			t.Fatalf("%s.value is not JSON: %.200q", side, v)
		}
	}
	for _, k := range []string{"gen_ai.input.messages", "gen_ai.output.messages", "metadata", "llm.invocation_parameters", keyToolDefinitions} {
		if v, ok := m[k]; ok && !json.Valid([]byte(v.GetStringValue())) {
			t.Fatalf("%s is not JSON: %.200q", k, v.GetStringValue())
		}
	}
	if !cfg.CozeLoop {
		return
	}
	if !clip.FitSpanJSON(ps, cfg.SpanJSONLimit) {
		t.Fatal("span over Coze Loop's JSON limit")
	}
	size := cozeErrorSkeleton
	for _, ev := range ps.GetEvents() {
		for _, kv := range ev.GetAttributes() {
			size += clip.EscapedSize(kv.GetValue().GetStringValue())
		}
	}
	size += clip.EscapedSize(m[keyErrorType].GetStringValue())
	if size > cozeErrorTagLimit {
		t.Fatalf("Coze Loop error tag of %d bytes", size)
	}
}

// FuzzConvert converts spans whose texts, keys, JSON and numbers come from
// the fuzzer, under every destination shaping and profile, and checks each
// span (see checkSpan): no input may panic, lose a span or produce what a
// backend rejects.
func FuzzConvert(f *testing.F) {
	f.Add("hello", "k", `{"a":1}`, int64(3), 0.5, true)
	f.Add("查询订单"[:4]+"\xff\x00\u2028<&>", "tool_choice", `{"type":["string","null"]}`, int64(-1), math.NaN(), false)
	f.Add(strings.Repeat("\"\\\n", 400), strings.Repeat("é", 80), "[1,2", int64(math.MaxInt64), math.Inf(1), true)
	f.Add("", "", "", int64(0), 0.0, true)
	f.Add("error", "exception.message", `{"type":"object","properties":{"type":{"type":["null"]}}}`, int64(1e9), math.Copysign(0, -1), true)
	configs := []Config{
		{Messages: GenAI | OpenInference},
		{CozeLoop: true, Profile: CozeLoop},
		{CozeLoop: true, Profile: All, Messages: GenAI | OpenInference, SpanJSONLimit: 4 << 10},
		{Profile: GenAI, Messages: GenAI},
	}
	convs := make([]*Converter, len(configs))
	for i, cfg := range configs {
		convs[i] = New(cfg)
	}
	f.Fuzz(func(t *testing.T, text, key, args string, n int64, fl float64, sensitive bool) {
		items := fuzzSpans(text, key, args, n, fl, sensitive)
		for _, c := range convs {
			batch := c.NewBatch()
			for _, it := range items {
				ps, err := batch.Convert(it)
				if err == ErrSpanTooLarge && c.Config().SpanJSONLimit < clip.CozeMaxSpanJSON {
					continue // the lowered limit may leave no room
				}
				if err != nil || ps == nil {
					t.Fatalf("%+v: %v", c.Config(), err)
				}
				checkSpan(t, ps, c.Config())
			}
		}
	})
}

// FuzzJSONEncoders checks the hand-written message encoders against
// encoding/json on messages whose texts come from the fuzzer, the GenAI
// encoding written with texts copied from the chat encoding against the
// one written without, and Coze Loop's tool parameters: a JSON object
// without type lists, or none.
func FuzzJSONEncoders(f *testing.F) {
	f.Add("hello", "user", `{"a":1}`, "stop")
	f.Add("quote \" back \\ nl \n ctl \x01 html <&> \u2028 bad \xff", "tool", `{"a": [1, 2] }`, "")
	f.Add(strings.Repeat("long text é ", 10), "assistant", "not json \xff", "tool_calls")
	f.Add("", "", `{"type":["string","null"],"properties":{"x":{"type":[1]}}}`, "x")
	f.Fuzz(func(t *testing.T, text, role, args, finish string) {
		msgs := []spans.Message{
			{Role: role, Content: text, Name: role},
			{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: text, Name: role, Arguments: args}}},
			{Role: "tool", ToolCallID: role, Content: args},
			{Role: role, Content: text + text},
		}
		tools := []spans.Tool{{Name: text, Description: role, Parameters: args}}
		in := chatInputJSON(msgs, tools)
		if want, _ := clip.MarshalNoEscape(chatInputOf(msgs, tools)); in != string(want) {
			t.Fatalf("chat input:\n got %s\nwant %s", in, want)
		}
		out := chatOutputJSON(msgs, finish)
		if want, _ := clip.MarshalNoEscape(chatOutputOf(msgs, finish)); out != string(want) {
			t.Fatalf("chat output:\n got %s\nwant %s", out, want)
		}
		genai := genaiMessagesJSON(msgs, finish)
		if want, _ := clip.MarshalNoEscape(genaiMessages(msgs, finish)); genai != string(want) {
			t.Fatalf("genai:\n got %s\nwant %s", genai, want)
		}
		var e escapes
		e.reset()
		chatInputJSONMemo(msgs, tools, &e)
		if got := genaiMessagesJSONMemo(msgs, finish, &e); got != genai {
			t.Fatalf("genai with copied texts:\n got %s\nwant %s", got, genai)
		}
		for _, s := range []string{in, out, genai, toolDefinitionsJSON(tools)} {
			if !json.Valid([]byte(s)) || !utf8.ValidString(s) {
				t.Fatalf("invalid: %q", s)
			}
		}
		p, _ := cozeParameters(args)
		if p == "" {
			return
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(p), &v); err != nil {
			t.Fatalf("Coze Loop parameters %q: %v", p, err)
		}
		// Every schema position of JSON Schema, walked as the spec nests
		// them: no list of types may be left.
		var walk func(x any, depth int)
		walk = func(x any, depth int) {
			y, ok := x.(map[string]any)
			if !ok || depth > maxSchemaDepth {
				return
			}
			if l, ok := y["type"].([]any); ok {
				t.Fatalf("type list %v left in %s", l, p)
			}
			for k, e := range y {
				switch k {
				case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas":
					if mm, ok := e.(map[string]any); ok {
						for _, s := range mm {
							walk(s, depth+1)
						}
					}
				case "items", "prefixItems", "anyOf", "oneOf", "allOf":
					if l, ok := e.([]any); ok {
						for _, s := range l {
							walk(s, depth+1)
						}
					} else {
						walk(e, depth+1)
					}
				case "additionalProperties", "unevaluatedProperties", "not", "if", "then", "else", "contains", "propertyNames":
					walk(e, depth+1)
				}
			}
		}
		walk(v, 0)
	})
}
