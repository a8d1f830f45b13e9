package anthropictrace_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestConversionsMatchTheMiddleware builds a span's data by hand, as a
// hand-written loop does, and compares it with the middleware's.
func TestConversionsMatchTheMiddleware(t *testing.T) {
	api := newFakeAPI(t, reply{file: "message_tool_use.json"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	var msg *anthropic.Message
	inAgent(tp, func(ctx context.Context) {
		var err error
		if msg, err = client.Messages.New(ctx, weatherParams()); err != nil {
			t.Fatal(err)
		}
	})
	_, recorded := onlyGeneration(t, rec)
	delete(recorded.ModelConfig, "base_url") // known to the middleware only

	gen := anthropictrace.Generation(weatherParams())
	anthropictrace.SetMessage(gen, msg)
	if diff := cmp.Diff(recorded, gen); diff != "" {
		t.Errorf("hand-built generation (-middleware +hand-built):\n%s", diff)
	}
	if diff := cmp.Diff(toolUseOutput, anthropictrace.Message(msg)); diff != "" {
		t.Errorf("Message (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(weatherInput, anthropictrace.Messages(weatherParams())); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(weatherTools, anthropictrace.Tools(weatherParams().Tools)); diff != "" {
		t.Errorf("Tools (-want +got):\n%s", diff)
	}
}

func TestMessagesOfEveryBlockType(t *testing.T) {
	params := anthropic.MessageNewParams{
		Model:     "claude-sonnet-4-5",
		MaxTokens: 256,
		System:    []anthropic.TextBlockParam{{Text: "Rule one."}, {Text: "Rule two."}},
		Messages: []anthropic.MessageParam{
			anthropic.NewUserMessage(
				anthropic.NewImageBlock(anthropic.URLImageSourceParam{URL: "https://example.com/cat.jpg"}),
				anthropic.NewImageBlock(anthropic.FileImageSourceParam{FileID: "file_img"}),
				anthropic.NewDocumentBlock(anthropic.PlainTextSourceParam{Data: "Plain notes."}),
				anthropic.NewDocumentBlock(anthropic.URLPDFSourceParam{URL: "https://example.com/a.pdf"}),
				anthropic.NewDocumentBlock(anthropic.FileDocumentSourceParam{FileID: "file_doc"}),
				anthropic.NewDocumentBlock(anthropic.ContentBlockSourceParam{Content: anthropic.ContentBlockSourceContentUnionParam{
					OfContentBlockSourceContent: []anthropic.ContentBlockSourceContentItemUnionParam{
						{OfText: &anthropic.TextBlockParam{Text: "Chunk one."}},
					},
				}}),
				anthropic.NewSearchResultBlock([]anthropic.TextBlockParam{{Text: "Result text."}}, "https://example.com/r", "A result"),
			),
			anthropic.NewAssistantMessage(
				anthropic.NewRedactedThinkingBlock("c2VjcmV0"),
				anthropic.NewTextBlock("Two calls."),
				anthropic.NewToolUseBlock("toolu_a", map[string]any{"q": 1}, "lookup"),
				anthropic.NewToolUseBlock("toolu_b", map[string]any{}, "clock"),
			),
			anthropic.NewUserMessage(
				anthropic.NewToolResultBlock("toolu_a", "not found", true),
				anthropic.ContentBlockParamUnion{OfToolResult: &anthropic.ToolResultBlockParam{
					ToolUseID: "toolu_b",
					Content: []anthropic.ToolResultBlockParamContentUnion{
						{OfText: &anthropic.TextBlockParam{Text: "12:00"}},
						{OfImage: &anthropic.ImageBlockParam{Source: anthropic.ImageBlockParamSourceUnion{OfBase64: &anthropic.Base64ImageSourceParam{Data: "R0lG", MediaType: "image/gif"}}}},
					},
				}},
				anthropic.NewTextBlock("Thanks."),
			),
		},
	}
	want := []spans.Message{
		{Role: "system", Parts: []spans.Part{{Type: "text", Text: "Rule one."}, {Type: "text", Text: "Rule two."}}},
		{Role: "user", Parts: []spans.Part{
			{Type: spans.PartImageURL, URL: "https://example.com/cat.jpg"},
			{Type: spans.PartFile, FileID: "file_img"},
			{Type: spans.PartText, Text: "Plain notes."},
			{Type: spans.PartFile, Data: "https://example.com/a.pdf"},
			{Type: spans.PartFile, FileID: "file_doc"},
			{Type: spans.PartText, Text: "Chunk one."},
			{Type: "search_result"},
		}},
		{Role: "assistant", Content: "Two calls.", ToolCalls: []spans.ToolCall{
			{ID: "toolu_a", Type: "function", Name: "lookup", Arguments: `{"q":1}`},
			{ID: "toolu_b", Type: "function", Name: "clock", Arguments: `{}`},
		}},
		{Role: "tool", ToolCallID: "toolu_a", Content: "not found"},
		{Role: "tool", ToolCallID: "toolu_b", Parts: []spans.Part{
			{Type: spans.PartText, Text: "12:00"},
			{Type: spans.PartImageURL, URL: "data:image/gif;base64,R0lG"},
		}},
		{Role: "user", Content: "Thanks."},
	}
	if diff := cmp.Diff(want, anthropictrace.Messages(params)); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}
}

func TestServerToolsAndChoice(t *testing.T) {
	params := anthropic.MessageNewParams{
		Model: "claude-sonnet-4-5", MaxTokens: 10,
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hi"))},
		Tools: []anthropic.ToolUnionParam{
			{OfWebSearchTool20250305: &anthropic.WebSearchTool20250305Param{}},
			{OfTool: &anthropic.ToolParam{Name: "exact", InputSchema: anthropic.ToolInputSchemaParam{}, Strict: anthropic.Bool(true)}},
		},
		ToolChoice: anthropic.ToolChoiceParamOfTool("exact"),
	}
	want := []spans.Tool{
		{Name: "web_search", Description: "web_search_20250305"},
		{Name: "exact", Strict: true},
	}
	if diff := cmp.Diff(want, anthropictrace.Tools(params.Tools)); diff != "" {
		t.Errorf("Tools (-want +got):\n%s", diff)
	}
	gen := anthropictrace.Generation(params)
	if diff := cmp.Diff(map[string]any{"type": "tool", "name": "exact"}, gen.ModelConfig["tool_choice"]); diff != "" {
		t.Errorf("tool_choice (-want +got):\n%s", diff)
	}
}

func TestUsage(t *testing.T) {
	var msg anthropic.Message
	if err := json.Unmarshal(readFile(t, "message_tool_use.json"), &msg); err != nil {
		t.Fatal(err)
	}
	want := &spans.Usage{InputTokens: 1233, OutputTokens: 393, CachedInputTokens: 1024, CacheWriteInputTokens: 188, ReasoningTokens: 120}
	if diff := cmp.Diff(want, anthropictrace.Usage(msg.Usage)); diff != "" {
		t.Errorf("Usage (-want +got):\n%s", diff)
	}
}

// TestMessageOfAnAccumulatedStream converts what a program assembles from
// a stream with the SDK's Accumulate.
func TestMessageOfAnAccumulatedStream(t *testing.T) {
	api := newFakeAPI(t, reply{file: "stream_tool_use.sse"})
	client := api.client(nil)
	stream := client.Messages.NewStreaming(background, weatherParams())
	acc := readStream(t, stream, nil)
	_ = stream.Close()
	if diff := cmp.Diff(streamOutput, anthropictrace.Message(&acc)); diff != "" {
		t.Errorf("Message (-want +got):\n%s", diff)
	}
	gen := &spans.Generation{}
	anthropictrace.SetMessage(gen, &acc)
	if gen.FinishReason != "tool_use" || gen.Usage.OutputTokens != 89 || gen.Usage.CachedInputTokens != 2048 {
		t.Errorf("SetMessage gave %+v", gen)
	}
	anthropictrace.SetMessage(nil, &acc) // a nil gen is fine
	anthropictrace.SetMessage(gen, nil)  // so is a nil message
}
