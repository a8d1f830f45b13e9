package otlpexport

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
)

// TestToolCallOnlyMessages checks the messages that only call tools: in the
// chat shapes (input.value, output.value and Coze Loop's copies) "content"
// is null, as OpenAI writes it, not ""; in the OTel GenAI shape they have
// only tool_call parts; in OpenInference's flat attributes no content.
func TestToolCallOnlyMessages(t *testing.T) {
	call := spans.ToolCall{ID: "call_1", Name: "lookup", Arguments: `{"id":"A1"}`}
	gen := &spans.Generation{
		Model: "gpt-4.1",
		Input: []spans.Message{
			{Role: "user", Content: "Where is A1?"},
			{Role: "assistant", ToolCalls: []spans.ToolCall{call}},
			{Role: "tool", ToolCallID: "call_1", Content: "shipped"},
			{Role: "assistant"}, // no text and no calls: content stays ""
		},
		Output: []spans.Message{{Role: "assistant", ToolCalls: []spans.ToolCall{call}}},
	}
	for _, coze := range []bool{false, true} {
		opts := []Option{WithMessageAttributes(true)}
		if coze {
			opts = append(opts, WithHeaders(map[string]string{"cozeloop-workspace-id": "1"}), WithAttributes(ProfileAll))
		}
		got, err := sendItems(t, recordItems(gen, nil, nil), opts...)
		if err != nil {
			t.Fatal(err)
		}
		a := childAttrs(t, got)
		var in struct {
			Messages []map[string]any `json:"messages"`
		}
		var out struct {
			Choices []struct {
				Message map[string]any `json:"message"`
			} `json:"choices"`
		}
		for _, k := range []string{"input.value", "cozeloop.input"} {
			if err := json.Unmarshal([]byte(a[k].(string)), &in); err != nil {
				t.Fatal(err)
			}
			var contents []any
			for _, m := range in.Messages {
				c, ok := m["content"]
				if !ok {
					t.Errorf("%s: a message without content: %v", k, m)
				}
				contents = append(contents, c)
			}
			if diff := cmp.Diff([]any{"Where is A1?", nil, "shipped", ""}, contents); diff != "" {
				t.Errorf("coze=%v %s contents (-want +got):\n%s", coze, k, diff)
			}
		}
		for _, k := range []string{"output.value", "cozeloop.output"} {
			if err := json.Unmarshal([]byte(a[k].(string)), &out); err != nil {
				t.Fatal(err)
			}
			if c, ok := out.Choices[0].Message["content"]; !ok || c != nil {
				t.Errorf("coze=%v %s: content = %v (present %v), want null", coze, k, c, ok)
			}
		}
		var genai []struct {
			Role  string           `json:"role"`
			Parts []map[string]any `json:"parts"`
		}
		if err := json.Unmarshal([]byte(a["gen_ai.output.messages"].(string)), &genai); err != nil {
			t.Fatal(err)
		}
		if len(genai) != 1 || len(genai[0].Parts) != 1 || genai[0].Parts[0]["type"] != "tool_call" {
			t.Errorf("gen_ai.output.messages = %v, want one tool_call part", genai)
		}
		if err := json.Unmarshal([]byte(a["gen_ai.input.messages"].(string)), &genai); err != nil {
			t.Fatal(err)
		}
		if p := genai[1].Parts; len(p) != 1 || p[0]["type"] != "tool_call" {
			t.Errorf("gen_ai.input.messages[1].parts = %v, want one tool_call part", p)
		}
		if _, ok := a["llm.output_messages.0.message.content"]; ok {
			t.Error("OpenInference content attribute for a message without text")
		}
	}
}
