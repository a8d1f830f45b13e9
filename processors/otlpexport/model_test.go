package otlpexport

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The span-model additions show in Coze Loop: agent and trace input and
// output, Responses shapes, and the retriever, prompt and embedding kinds.
func TestCozeLoopModelAdditions(t *testing.T) {
	tests := []struct {
		name string
		data spans.Data
		want cozeView
	}{
		{"agent input and output", &spans.Agent{Name: "Triage", Input: "Where is A1?", Output: []spans.Message{{Role: "assistant", Content: "Shipped."}}},
			cozeView{SpanType: "agent", Input: "Where is A1?",
				Output: `{"choices":[{"index":0,"message":{"role":"assistant","content":"Shipped."}}]}`}},
		{"agent structured output", &spans.Agent{Name: "Triage", Input: []spans.Message{{Role: "user", Content: "A1?"}}, Output: map[string]any{"eta_days": 2}},
			cozeView{SpanType: "agent", Input: `{"messages":[{"role":"user","content":"A1?"}]}`, Output: `{"eta_days":2}`}},
		{"response items", &spans.Response{ResponseID: "resp_1", Model: "gpt-5", Provider: "openai",
			Input:  json.RawMessage(`[{"role":"user","content":"hi"}]`),
			Output: []any{map[string]any{"type": "message", "role": "assistant", "content": []any{map[string]any{"type": "output_text", "text": "hello"}}}}},
			cozeView{SpanType: "model", Model: "gpt-5", Provider: "openai",
				Input:  `{"input":[{"role":"user","content":"hi"}]}`,
				Output: `{"id":"resp_1","output":[{"content":[{"text":"hello","type":"output_text"}],"role":"assistant","type":"message"}]}`}},
		{"response with tools", &spans.Response{ResponseID: "resp_2", Model: "gpt-5",
			ModelConfig: map[string]any{"temperature": 0.5},
			Tools:       []spans.Tool{{Name: "lookup", Parameters: `{"type":"object","properties":{"id":{"type":["string","null"]}}}`}},
			Input:       "hi"},
			cozeView{SpanType: "model", Model: "gpt-5",
				Input: `{"input":"hi","tools":[{"type":"function","function":{"name":"lookup","parameters":{"properties":{"id":{"nullable":true,"type":"string"}},"type":"object"}}}]}`}},
		{"custom with input and output", &spans.Custom{Name: "lambda", Input: "hello", Output: map[string]any{"n": 5}, Data: map[string]any{"node": "n1"}},
			cozeView{SpanType: "custom", Input: "hello", Output: `{"n":5}`}},
		{"retriever", &spans.Retriever{Name: "kb", Query: "refund policy", Documents: []spans.Document{{ID: "d1", Content: "30 days", Score: 0.9}}},
			cozeView{SpanType: "retriever", Input: "refund policy", Output: `[{"id":"d1","content":"30 days","score":0.9}]`}},
		{"prompt", &spans.Prompt{Name: "greet", Variables: map[string]any{"name": "Ann"},
			Template: []spans.Message{{Role: "system", Content: "Greet {name}."}}, Output: []spans.Message{{Role: "system", Content: "Greet Ann."}}},
			cozeView{SpanType: "prompt", Input: `{"arguments":{"name":"Ann"},"templates":[{"role":"system","content":"Greet {name}."}]}`,
				Output: `{"messages":[{"role":"system","content":"Greet Ann."}]}`}},
		{"embedding", &spans.Embedding{Model: "text-embedding-3-small", Input: []string{"a", "b"}, Dimensions: 1536, Count: 2, Usage: &spans.Usage{InputTokens: 2}},
			cozeView{SpanType: "embedding", Model: "text-embedding-3-small", Input: `["a","b"]`, InputTokens: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			child, _ := exportToCoze(t, tt.data, nil, nil)
			want := tt.want
			want.Thread = "group_7"
			if diff := cmp.Diff(want, readCoze(child)); diff != "" {
				t.Errorf("Coze Loop view (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTraceInputOutputOnTheRootSpan(t *testing.T) {
	s := newSink(t, nil)
	exp, err := New(WithCozeLoop("7486", "pat_secret"), WithCozeLoopBaseURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)), tracing.WithDisabled(false))
	_, tr := tp.StartTrace(context.Background(), "Support run")
	tr.SetInput("Where is A1?")
	tr.SetOutput("It ships today.")
	tr.End()
	tp.Shutdown(context.Background())
	got := s.spans()
	if len(got) != 1 {
		t.Fatalf("%d spans", len(got))
	}
	if diff := cmp.Diff(cozeView{SpanType: "agent", Input: "Where is A1?", Output: "It ships today."}, readCoze(got[0])); diff != "" {
		t.Errorf("root (-want +got):\n%s", diff)
	}
}

func TestStreamedGenerationAttributes(t *testing.T) {
	first := time.Date(2026, 12, 1, 10, 0, 0, 123456000, time.UTC)
	child, _ := exportToCoze(t, &spans.Generation{Model: "m", Stream: true, FirstTokenAt: first}, nil, nil)
	var stream bool
	var ttft int64
	for _, kv := range child.GetAttributes() {
		switch kv.GetKey() {
		case "cozeloop.stream":
			stream = kv.GetValue().GetBoolValue()
		case "cozeloop.time_to_first_token":
			ttft = kv.GetValue().GetIntValue()
		}
	}
	if !stream || ttft != first.UnixMicro() {
		t.Errorf("cozeloop.stream %v, cozeloop.time_to_first_token %d (want %d)", stream, ttft, first.UnixMicro())
	}
}

// TestLongConversationFlattened checks OpenInference's flattened messages
// of a conversation too long for their attribute budget: the first
// message, a marker for the ones left out and the newest that fit, within
// 48 attributes, instead of no llm.input_messages at all.
func TestLongConversationFlattened(t *testing.T) {
	msgs := []spans.Message{{Role: "system", Content: "Be brief."}}
	for i := range 40 {
		msgs = append(msgs, spans.Message{Role: "user", Content: fmt.Sprintf("question %d", i)},
			spans.Message{Role: "assistant", Content: fmt.Sprintf("answer %d", i)})
	}
	got, err := sendItems(t, recordItems(&spans.Generation{Model: "m", Input: msgs}, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	a := childAttrs(t, got)
	n := 0
	for k := range a {
		if strings.HasPrefix(k, "llm.input_messages.") {
			n++
		}
	}
	last := n/2 - 1 // role and content per message
	if n == 0 || n > 48 || a["llm.input_messages.0.message.content"] != "Be brief." ||
		a["llm.input_messages.1.message.role"] != "user" ||
		a["llm.input_messages.1.message.content"] != fmt.Sprintf("…[%d messages truncated]", len(msgs)-(last+1)+2-1) ||
		a[fmt.Sprintf("llm.input_messages.%d.message.content", last)] != "answer 39" {
		t.Errorf("%d attributes: first %v, marker %v %v, last (%d) %v", n, a["llm.input_messages.0.message.content"],
			a["llm.input_messages.1.message.role"], a["llm.input_messages.1.message.content"], last,
			a[fmt.Sprintf("llm.input_messages.%d.message.content", last)])
	}
}
