package anthropictrace_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// weatherParams is the second turn of a tool-using conversation: a system
// prompt, a user message with text, an image and a PDF, the assistant's
// thinking and tool call, and the tool's result.
func weatherParams() anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		Model:     "claude-sonnet-4-5",
		MaxTokens: 1024,
		System:    []anthropic.TextBlockParam{{Text: "You are a weather assistant."}},
		Messages: []anthropic.MessageParam{
			anthropic.NewUserMessage(
				anthropic.NewTextBlock("What is the weather in Paris? The photo and the forecast are attached."),
				anthropic.NewImageBlockBase64("image/png", "iVBORw0KGgo="),
				anthropic.ContentBlockParamUnion{OfDocument: &anthropic.DocumentBlockParam{
					Source: anthropic.DocumentBlockParamSourceUnion{OfBase64: &anthropic.Base64PDFSourceParam{Data: "JVBERi0xLjQ="}},
					Title:  anthropic.String("forecast.pdf"),
				}},
			),
			anthropic.NewAssistantMessage(
				anthropic.NewThinkingBlock("sig", "Paris weather needs a tool call."),
				anthropic.NewToolUseBlock("toolu_01", map[string]any{"location": "Paris, France"}, "get_weather"),
			),
			anthropic.NewUserMessage(anthropic.NewToolResultBlock("toolu_01", "18°C, sunny", false)),
		},
		Tools: []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{
			Name:        "get_weather",
			Description: anthropic.String("Current weather of a city"),
			InputSchema: anthropic.ToolInputSchemaParam{
				Properties: map[string]any{"location": map[string]any{"type": "string"}},
				Required:   []string{"location"},
			},
		}}},
		ToolChoice:    anthropic.ToolChoiceUnionParam{OfAuto: &anthropic.ToolChoiceAutoParam{}},
		Thinking:      anthropic.ThinkingConfigParamOfEnabled(2048),
		StopSequences: []string{"END"},
	}
}

// weatherInput is weatherParams' system prompt and messages as spans messages.
var weatherInput = []spans.Message{
	{Role: "system", Content: "You are a weather assistant."},
	{Role: "user", Parts: []spans.Part{
		{Type: spans.PartText, Text: "What is the weather in Paris? The photo and the forecast are attached."},
		{Type: spans.PartImageURL, URL: "data:image/png;base64,iVBORw0KGgo="},
		{Type: spans.PartFile, Data: "data:application/pdf;base64,JVBERi0xLjQ=", Filename: "forecast.pdf"},
	}},
	{Role: "assistant", ReasoningContent: "Paris weather needs a tool call.", ToolCalls: []spans.ToolCall{
		{ID: "toolu_01", Type: "function", Name: "get_weather", Arguments: `{"location":"Paris, France"}`},
	}},
	{Role: "tool", ToolCallID: "toolu_01", Content: "18°C, sunny"},
}

var weatherTools = []spans.Tool{{
	Name:        "get_weather",
	Description: "Current weather of a city",
	Parameters:  `{"properties":{"location":{"type":"string"}},"required":["location"],"type":"object"}`,
}}

// toolUseOutput is testdata/message_tool_use.json's message.
var toolUseOutput = spans.Message{
	Role:             "assistant",
	Content:          "I'll check the current weather in Paris for you.",
	ReasoningContent: "The user asks about the weather in Paris. I should call get_weather.",
	ToolCalls: []spans.ToolCall{
		{ID: "toolu_01A09q90qw90lq917835lq9", Type: "function", Name: "get_weather", Arguments: `{"location":"Paris, France","unit":"celsius"}`},
	},
}

func TestMessagesNewRecordsGeneration(t *testing.T) {
	api := newFakeAPI(t, reply{file: "message_tool_use.json"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()

	var msg *anthropic.Message
	inAgent(tp, func(ctx context.Context) {
		var err error
		msg, err = client.Messages.New(ctx, weatherParams(),
			option.WithJSONSet("temperature", 0.2), option.WithJSONSet("top_p", 0.9), option.WithJSONSet("top_k", 40))
		if err != nil {
			t.Fatal(err)
		}
	})

	if diff := cmp.Diff(agentTree("claude-sonnet-4-5-20250929", ""), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	span, gen := onlyGeneration(t, rec)
	want := &spans.Generation{
		Input:  weatherInput,
		Output: []spans.Message{toolUseOutput},
		Tools:  weatherTools,
		Model:  "claude-sonnet-4-5-20250929",
		ModelConfig: map[string]any{
			"max_tokens": int64(1024), "temperature": 0.2, "top_p": 0.9, "top_k": int64(40),
			"stop_sequences": []string{"END"}, "tool_choice": "auto",
			"thinking": "enabled", "thinking_budget_tokens": int64(2048),
			"base_url": api.srv.URL,
		},
		Usage: &spans.Usage{
			InputTokens: 21 + 188 + 1024, OutputTokens: 393,
			CachedInputTokens: 1024, CacheWriteInputTokens: 188, ReasoningTokens: 120,
		},
		Provider:     "anthropic",
		FinishReason: "tool_use",
		ResponseID:   "msg_01Aq9w938a90dw8q",
	}
	if diff := cmp.Diff(want, gen); diff != "" {
		t.Errorf("generation (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"attempts": 1}, span.Metadata()); diff != "" || span.Error() != nil {
		t.Errorf("metadata (-want +got):\n%s\nerror %v, want none", diff, span.Error())
	}
	if msg.StopReason != "tool_use" || msg.Content[2].Name != "get_weather" {
		t.Errorf("the program got %+v", msg)
	}
	assertNoSecret(t, rec)
}

// TestResultsUnchanged checks that the middleware changes neither what the
// API receives nor what the program gets.
func TestResultsUnchanged(t *testing.T) {
	call := func(mw []anthropictrace.Option) (sent []byte, got string) {
		api := newFakeAPI(t, reply{file: "message_tool_use.json"})
		tp, _ := tracingtest.NewProvider()
		inAgent(tp, func(ctx context.Context) {
			client := api.client(mw)
			msg, err := client.Messages.New(ctx, weatherParams())
			if err != nil {
				t.Fatal(err)
			}
			got = msg.RawJSON()
		})
		return api.received()[0].body, got
	}
	bareSent, bareGot := call(nil)
	sent, got := call(traced)
	if !bytes.Equal(bareSent, sent) {
		t.Errorf("request body changed:\n%s\nwant\n%s", sent, bareSent)
	}
	if got != bareGot {
		t.Errorf("response changed:\n%s\nwant\n%s", got, bareGot)
	}
}

func TestUnrecordedCallsPassThrough(t *testing.T) {
	api := newFakeAPI(t, reply{file: "message_text.json"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()

	// No trace in the context, then a disabled provider.
	if _, err := client.Messages.New(background, weatherParams()); err != nil {
		t.Fatal(err)
	}
	tp.SetDisabled(true)
	inAgent(tp, func(ctx context.Context) {
		if _, err := client.Messages.New(ctx, weatherParams()); err != nil {
			t.Fatal(err)
		}
	})
	if n := len(rec.Spans()); n != 0 {
		t.Errorf("%d spans recorded, want 0", n)
	}
	if n := len(api.received()); n != 2 {
		t.Errorf("the API got %d requests, want 2", n)
	}
}

func TestOtherEndpointsPassThrough(t *testing.T) {
	api := newFakeAPI(t, reply{body: `{"input_tokens":42}`})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		res, err := client.Messages.CountTokens(ctx, anthropic.MessageCountTokensParams{
			Model:    "claude-sonnet-4-5",
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))},
		})
		if err != nil || res.InputTokens != 42 {
			t.Fatalf("count tokens: %v, %v", res, err)
		}
	})
	want := &tracingtest.Node{Kind: "trace", Name: "weather run", Children: []*tracingtest.Node{{Kind: "agent", Name: "Weather agent"}}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

func TestBetaMessagesRecorded(t *testing.T) {
	api := newFakeAPI(t, reply{file: "message_text.json"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		_, err := client.Beta.Messages.New(ctx, anthropic.BetaMessageNewParams{
			Model:     "claude-sonnet-4-5",
			MaxTokens: 64,
			Messages:  []anthropic.BetaMessageParam{anthropic.NewBetaUserMessage(anthropic.NewBetaTextBlock("Weather in Paris?"))},
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	_, gen := onlyGeneration(t, rec)
	want := []spans.Message{{Role: "user", Content: "Weather in Paris?"}}
	if diff := cmp.Diff(want, gen.Input); diff != "" {
		t.Errorf("input (-want +got):\n%s", diff)
	}
	if gen.Output[0].Content != "It is 18°C and sunny in Paris." || gen.Usage.InputTokens != 1290 {
		t.Errorf("output %+v, usage %+v", gen.Output, gen.Usage)
	}
}
