package openaitrace

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// supportParams is a request with every kind of input message, a tool and
// a full model config.
func supportParams() openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model: "gpt-4.1",
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage("You are a support agent."),
			openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
				openai.TextContentPart("Where is order A1? Here is the label:"),
				openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{URL: "https://example.com/label.png", Detail: "low"}),
			}),
			{OfAssistant: &openai.ChatCompletionAssistantMessageParam{
				ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
					ID:       "call_1",
					Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "lookup_order", Arguments: `{"id":"A1"}`},
				}}},
			}},
			openai.ToolMessage(`{"status":"shipped"}`, "call_1"),
		},
		Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name:        "lookup_order",
			Description: openai.String("Looks up an order"),
			Parameters: shared.FunctionParameters{
				"type":       "object",
				"properties": map[string]any{"id": map[string]any{"type": "string"}},
				"required":   []string{"id"},
			},
			Strict: openai.Bool(true),
		})},
		Temperature:         openai.Float(0.2),
		TopP:                openai.Float(0.9),
		MaxCompletionTokens: openai.Int(256),
		Seed:                openai.Int(7),
		ToolChoice:          openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("auto")},
		ResponseFormat:      openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}},
	}
}

// supportReply is the model's answer to supportParams: two tool calls,
// usage with cached and reasoning tokens.
const supportReply = `{
  "id": "chatcmpl-1",
  "object": "chat.completion",
  "created": 1767225600,
  "model": "gpt-4.1-2025-04-14",
  "choices": [{
    "index": 0,
    "message": {
      "role": "assistant",
      "content": null,
      "refusal": null,
      "tool_calls": [
        {"id": "call_2", "type": "function", "function": {"name": "lookup_order", "arguments": "{\"id\":\"A2\"}"}},
        {"id": "call_3", "type": "function", "function": {"name": "refund_status", "arguments": "{\"id\":\"A1\"}"}}
      ],
      "annotations": []
    },
    "logprobs": null,
    "finish_reason": "tool_calls"
  }],
  "usage": {
    "prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150,
    "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 12, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": "fp_1"
}`

// supportInput is what supportParams' messages record.
var supportInput = []spans.Message{
	{Role: "system", Content: "You are a support agent."},
	{Role: "user", Parts: []spans.Part{
		{Type: spans.PartText, Text: "Where is order A1? Here is the label:"},
		{Type: spans.PartImageURL, URL: "https://example.com/label.png", Detail: "low"},
	}},
	{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: "call_1", Type: "function", Name: "lookup_order", Arguments: `{"id":"A1"}`}}},
	{Role: "tool", ToolCallID: "call_1", Content: `{"status":"shipped"}`},
}

// supportOutput is what supportReply's message records.
var supportOutput = []spans.Message{{Role: "assistant", ToolCalls: []spans.ToolCall{
	{ID: "call_2", Type: "function", Name: "lookup_order", Arguments: `{"id":"A2"}`},
	{ID: "call_3", Type: "function", Name: "refund_status", Arguments: `{"id":"A1"}`},
}}}

var supportTools = []spans.Tool{{
	Name:        "lookup_order",
	Description: "Looks up an order",
	Parameters:  `{"properties":{"id":{"type":"string"}},"required":["id"],"type":"object"}`,
	Strict:      true,
}}

func TestChatCompletion(t *testing.T) {
	api := newFakeAPI(t, reply{body: supportReply})
	client := api.client()
	ctx, end := recorded(t)
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "Support"})
	completion, err := client.Chat.Completions.New(ctx, supportParams())
	agent.End()
	rec := end()
	if err != nil {
		t.Fatal(err)
	}

	if completion.RawJSON() != supportReply {
		t.Errorf("the program got a different body:\n%s", completion.RawJSON())
	}
	want := &tracingtest.Node{Kind: "trace", Name: "test", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "Support", Children: []*tracingtest.Node{{Kind: "generation", Name: "gpt-4.1"}}},
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}

	span := rec.Spans()[0]
	wantGen := &spans.Generation{
		Model:    "gpt-4.1",
		Provider: "openai",
		Input:    supportInput,
		Output:   supportOutput,
		Tools:    supportTools,
		ModelConfig: map[string]any{
			"temperature":           json.Number("0.2"),
			"top_p":                 json.Number("0.9"),
			"max_completion_tokens": json.Number("256"),
			"seed":                  json.Number("7"),
			"tool_choice":           "auto",
			"response_format":       map[string]any{"type": "json_object"},
			"base_url":              api.URL + "/v1/",
		},
		Usage: &spans.Usage{
			Requests: 1, InputTokens: 120, OutputTokens: 30, TotalTokens: 150,
			CachedInputTokens: 64, ReasoningTokens: 12,
		},
		FinishReason: "tool_calls",
		ResponseID:   "chatcmpl-1",
	}
	if diff := cmp.Diff(wantGen, span.Data()); diff != "" {
		t.Errorf("generation (-want +got):\n%s", diff)
	}
	wantMeta := map[string]any{"attempts": 1, "response_model": "gpt-4.1-2025-04-14"}
	if diff := cmp.Diff(wantMeta, span.Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	if span.Error() != nil {
		t.Errorf("error %v, want none", span.Error())
	}
}

// TestChatRequestUnchanged checks that the API receives from a traced
// client exactly what it receives from an untraced one.
func TestChatRequestUnchanged(t *testing.T) {
	api := newFakeAPI(t, reply{body: supportReply}, reply{body: supportReply})
	ctx, end := recorded(t)
	if _, err := api.client().Chat.Completions.New(ctx, supportParams()); err != nil {
		t.Fatal(err)
	}
	plain := openaiClient(api.URL+"/v1/", api.Client())
	if _, err := plain.Chat.Completions.New(ctx, supportParams()); err != nil {
		t.Fatal(err)
	}
	end()
	reqs := api.requests()
	if reqs[0].Body != reqs[1].Body {
		t.Errorf("traced request body\n%s\nuntraced\n%s", reqs[0].Body, reqs[1].Body)
	}
	for _, h := range []string{"Authorization", "Content-Type", "Content-Length", "X-Stainless-Retry-Count"} {
		if a, b := reqs[0].Header.Get(h), reqs[1].Header.Get(h); a != b {
			t.Errorf("%s: traced %q, untraced %q", h, a, b)
		}
	}
}

// TestHandWrittenConversions checks that the exported conversions give
// the span data the middleware records for the same call.
func TestHandWrittenConversions(t *testing.T) {
	api := newFakeAPI(t, reply{body: supportReply})
	ctx, end := recorded(t)
	params := supportParams()
	completion, err := api.client().Chat.Completions.New(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	byMiddleware := *onlySpan(t, end()).Data().(*spans.Generation)

	gen := Generation(params)
	SetCompletion(gen, completion)
	byMiddleware.Provider = ""
	delete(byMiddleware.ModelConfig, "base_url")
	if diff := cmp.Diff(&byMiddleware, gen); diff != "" {
		t.Errorf("conversion (-middleware +hand):\n%s", diff)
	}

	if diff := cmp.Diff(supportInput, Messages(params.Messages)); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(supportOutput[0], Message(completion.Choices[0].Message)); diff != "" {
		t.Errorf("Message (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(supportTools, Tools(params.Tools)); diff != "" {
		t.Errorf("Tools (-want +got):\n%s", diff)
	}
	wantUsage := &spans.Usage{Requests: 1, InputTokens: 120, OutputTokens: 30, TotalTokens: 150, CachedInputTokens: 64, ReasoningTokens: 12}
	if diff := cmp.Diff(wantUsage, Usage(completion.Usage)); diff != "" {
		t.Errorf("Usage (-want +got):\n%s", diff)
	}

	// A message the program built itself has no JSON of its own.
	var built openai.ChatCompletionMessage
	built.Role = "assistant"
	built.Content = "Shipped."
	if diff := cmp.Diff(spans.Message{Role: "assistant", Content: "Shipped."}, Message(built)); diff != "" {
		t.Errorf("Message of a built value (-want +got):\n%s", diff)
	}
	SetCompletion(nil, completion) // no panic
	SetCompletion(gen, nil)
}

// TestMessageShapes: a message of a shape spans.Message does not read
// keeps its role and its JSON text; the others are read as usual. Custom
// and legacy tools are read too.
func TestMessageShapes(t *testing.T) {
	got := messages(json.RawMessage(`[{"role":"user","content":"hi"},{"role":"user","content":42}]`))
	want := []spans.Message{{Role: "user", Content: "hi"}, {Role: "user", Content: `{"role":"user","content":42}`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	gotTools := tools(
		json.RawMessage(`[{"type":"custom","custom":{"name":"sql","description":"Runs SQL","format":{"type":"grammar"}}},{"type":"web_search"}]`),
		json.RawMessage(`[{"name":"legacy_fn","parameters":{"type":"object"}}]`))
	wantTools := []spans.Tool{
		{Name: "sql", Description: "Runs SQL", Parameters: `{"type":"grammar"}`},
		{Name: "web_search"},
		{Name: "legacy_fn", Parameters: `{"type":"object"}`},
	}
	if diff := cmp.Diff(wantTools, gotTools); diff != "" {
		t.Errorf("tools (-want +got):\n%s", diff)
	}
}
