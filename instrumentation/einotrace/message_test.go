//lint:file-ignore SA1019 the deprecated MultiContent field is still read, so it is tested

package einotrace_test

import (
	"encoding/json"
	"testing"

	"github.com/cloudwego/eino/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/spans"
)

func ptr(s string) *string { return &s }

func TestMessage(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   *schema.Message
		want spans.Message
		json string
	}{
		{
			name: "nil",
			in:   nil,
			want: spans.Message{},
		},
		{
			name: "assistant with reasoning and tool calls",
			in: &schema.Message{Role: schema.Assistant, ReasoningContent: "Paris is a city.", ToolCalls: []schema.ToolCall{
				{ID: "c1", Type: "function", Function: schema.FunctionCall{Name: "get_weather", Arguments: `{"city":"Paris"}`}},
			}},
			want: spans.Message{Role: "assistant", ReasoningContent: "Paris is a city.", ToolCalls: []spans.ToolCall{
				{ID: "c1", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`},
			}},
			json: `{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}],"reasoning_content":"Paris is a city."}`,
		},
		{
			name: "tool result",
			in:   schema.ToolMessage(`{"forecast":"sunny"}`, "c1", schema.WithToolName("get_weather")),
			want: spans.Message{Role: "tool", Content: `{"forecast":"sunny"}`, ToolCallID: "c1", Name: "get_weather"},
			json: `{"role":"tool","content":"{\"forecast\":\"sunny\"}","name":"get_weather","tool_call_id":"c1"}`,
		},
		{
			name: "user input parts",
			in: &schema.Message{Role: schema.User, UserInputMultiContent: []schema.MessageInputPart{
				{Type: schema.ChatMessagePartTypeText, Text: "What is this?"},
				{Type: schema.ChatMessagePartTypeImageURL, Image: &schema.MessageInputImage{MessagePartCommon: schema.MessagePartCommon{URL: ptr("https://x/cat.png")}, Detail: schema.ImageURLDetailLow}},
				{Type: schema.ChatMessagePartTypeImageURL, Image: &schema.MessageInputImage{MessagePartCommon: schema.MessagePartCommon{Base64Data: ptr("iVBO"), MIMEType: "image/png"}}},
				{Type: schema.ChatMessagePartTypeAudioURL, Audio: &schema.MessageInputAudio{MessagePartCommon: schema.MessagePartCommon{Base64Data: ptr("UklG"), MIMEType: "audio/wav"}}},
				{Type: schema.ChatMessagePartTypeAudioURL, Audio: &schema.MessageInputAudio{MessagePartCommon: schema.MessagePartCommon{URL: ptr("https://x/a.mp3")}}},
				{Type: schema.ChatMessagePartTypeFileURL, File: &schema.MessageInputFile{MessagePartCommon: schema.MessagePartCommon{Base64Data: ptr("JVBE"), MIMEType: "application/pdf"}, Name: "a.pdf"}},
				{Type: schema.ChatMessagePartTypeVideoURL, Video: &schema.MessageInputVideo{MessagePartCommon: schema.MessagePartCommon{URL: ptr("https://x/v.mp4")}}},
			}},
			want: spans.Message{Role: "user", Parts: []spans.Part{
				{Type: "text", Text: "What is this?"},
				{Type: "image_url", URL: "https://x/cat.png", Detail: "low"},
				{Type: "image_url", URL: "data:image/png;base64,iVBO"},
				{Type: "input_audio", Data: "UklG", Format: "wav"},
				{Type: "audio_url", Text: "https://x/a.mp3"},
				{Type: "file", Data: "data:application/pdf;base64,JVBE", Filename: "a.pdf"},
				{Type: "video_url", Text: "https://x/v.mp4"},
			}},
		},
		{
			name: "older multi content with text",
			in: &schema.Message{Role: schema.User, Content: "Look:", MultiContent: []schema.ChatMessagePart{
				{Type: schema.ChatMessagePartTypeImageURL, ImageURL: &schema.ChatMessageImageURL{URL: "https://x/dog.png", Detail: schema.ImageURLDetailHigh}},
				{Type: schema.ChatMessagePartTypeAudioURL, AudioURL: &schema.ChatMessageAudioURL{URL: "data:audio/mpeg;base64,SUQz"}},
			}},
			want: spans.Message{Role: "user", Parts: []spans.Part{
				{Type: "text", Text: "Look:"},
				{Type: "image_url", URL: "https://x/dog.png", Detail: "high"},
				{Type: "input_audio", Data: "SUQz", Format: "mp3"},
			}},
			json: `{"role":"user","content":[{"type":"text","text":"Look:"},{"type":"image_url","image_url":{"url":"https://x/dog.png","detail":"high"}},{"type":"input_audio","input_audio":{"data":"SUQz","format":"mp3"}}]}`,
		},
		{
			name: "assistant output parts",
			in: &schema.Message{Role: schema.Assistant, AssistantGenMultiContent: []schema.MessageOutputPart{
				{Type: schema.ChatMessagePartTypeText, Text: "Here:"},
				{Type: schema.ChatMessagePartTypeImageURL, Image: &schema.MessageOutputImage{MessagePartCommon: schema.MessagePartCommon{Base64Data: ptr("R0lG"), MIMEType: "image/gif"}}},
			}},
			want: spans.Message{Role: "assistant", Parts: []spans.Part{
				{Type: "text", Text: "Here:"},
				{Type: "image_url", URL: "data:image/gif;base64,R0lG"},
			}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := einotrace.Message(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tc.json == "" {
				return
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.json {
				t.Errorf("json\n got %s\nwant %s", b, tc.json)
			}
		})
	}
}

func TestMessagesSkipsNil(t *testing.T) {
	got := einotrace.Messages([]*schema.Message{schema.UserMessage("hi"), nil, schema.AssistantMessage("hello", nil)})
	want := []spans.Message{{Role: "user", Content: "hi"}, {Role: "assistant", Content: "hello"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if einotrace.Messages(nil) != nil {
		t.Error("no messages should convert to nil")
	}
}
