package openaiexport

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestGenerationMessages checks a generation's messages on the wire: the
// input as the chat-completions messages sent, the output as the Python
// Runner records a model's message (model_dump() of ChatCompletionMessage,
// every key present), a tool-call message with content null.
func TestGenerationMessages(t *testing.T) {
	call := spans.ToolCall{ID: "call_1", Type: "function", Name: "lookup", Arguments: `{"id":1}`}
	gen := &spans.Generation{
		Model: "gpt-4.1",
		Input: []spans.Message{
			{Role: "system", Content: "Be brief."},
			{Role: "user", Parts: []spans.Part{{Type: spans.PartText, Text: "What is this?"},
				{Type: spans.PartImageURL, URL: "https://example.com/a.png", Detail: "low"}}},
			{Role: "assistant", ToolCalls: []spans.ToolCall{call}},
			{Role: "tool", ToolCallID: "call_1", Content: `{"status":"shipped"}`},
		},
		Output: []spans.Message{
			{Role: "assistant", ToolCalls: []spans.ToolCall{call}},
			{Role: "assistant", Content: "It ships today.", ReasoningContent: "The tool said so."},
			{Refusal: "I can't help with that."},
			{Role: "assistant", Audio: &spans.Audio{ID: "audio_1", Data: "UklG", Transcript: "Hi", ExpiresAt: 1700000000}},
		},
	}
	toolCall := map[string]any{"id": "call_1", "type": "function",
		"function": map[string]any{"name": "lookup", "arguments": `{"id":1}`}}
	wantInput := []any{
		map[string]any{"role": "system", "content": "Be brief."},
		map[string]any{"role": "user", "content": []any{
			map[string]any{"type": "text", "text": "What is this?"},
			map[string]any{"type": "image_url", "image_url": map[string]any{"url": "https://example.com/a.png", "detail": "low"}},
		}},
		map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{toolCall}},
		map[string]any{"role": "tool", "tool_call_id": "call_1", "content": `{"status":"shipped"}`},
	}
	dump := func(kv map[string]any) map[string]any {
		m := map[string]any{"role": "assistant", "content": nil, "refusal": nil, "annotations": []any{},
			"audio": nil, "function_call": nil, "tool_calls": nil}
		for k, v := range kv {
			m[k] = v
		}
		return m
	}
	wantOutput := []any{
		// The shape the Python Runner records for a tool call.
		dump(map[string]any{"tool_calls": []any{toolCall}}),
		dump(map[string]any{"content": "It ships today.", "reasoning_content": "The tool said so."}),
		dump(map[string]any{"refusal": "I can't help with that."}),
		dump(map[string]any{"audio": map[string]any{"id": "audio_1", "data": "UklG", "transcript": "Hi", "expires_at": 1700000000.0}}),
	}
	for _, rules := range []bool{false, true} {
		items := exportOne(t, []Option{WithPayloadRules(rules)}, func(ctx context.Context) {
			_, sp := tracing.StartSpan(ctx, gen)
			sp.End()
		})
		sd := items[1].(map[string]any)["span_data"].(map[string]any)
		if diff := cmp.Diff(wantInput, sd["input"]); diff != "" {
			t.Errorf("rules=%v: input (-want +got):\n%s", rules, diff)
		}
		if diff := cmp.Diff(wantOutput, sd["output"]); diff != "" {
			t.Errorf("rules=%v: output (-want +got):\n%s", rules, diff)
		}
	}
}
