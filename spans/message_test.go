package spans_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
)

// The messages and tools of a recorded chat-completions request decode into
// the typed fields and encode back to the same JSON.
func TestMessagesRoundTripRequest(t *testing.T) {
	var body struct {
		Messages []json.RawMessage `json:"messages"`
		Tools    []json.RawMessage `json:"tools"`
	}
	readJSON(t, "testdata/chat-request.json", &body)
	for i, raw := range body.Messages {
		var m spans.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		assertSameJSON(t, raw, m)
	}
	for i, raw := range body.Tools {
		var tool spans.Tool
		if err := json.Unmarshal(raw, &tool); err != nil {
			t.Fatalf("tool %d: %v", i, err)
		}
		assertSameJSON(t, raw, tool)
	}

	var msgs []spans.Message
	var whole struct {
		Messages *[]spans.Message `json:"messages"`
	}
	whole.Messages = &msgs
	readJSON(t, "testdata/chat-request.json", &whole)
	user := msgs[2]
	wantParts := []spans.Part{
		{Type: spans.PartText, Text: "What is in this image, and what does the recording say?"},
		{Type: spans.PartImageURL, URL: "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg", Detail: "high"},
		{Type: spans.PartImageURL, URL: "data:image/png;base64,iVBORw0KGgo="},
		{Type: spans.PartInputAudio, Data: "UklGRiQAAABXQVZF", Format: "wav"},
		{Type: spans.PartFile, Filename: "report.pdf", Data: "data:application/pdf;base64,JVBERi0x"},
		{Type: spans.PartFile, FileID: "file-6F2ksmvXxt4VdoqmHRw6kL"},
	}
	if diff := cmp.Diff(wantParts, user.Parts); diff != "" {
		t.Errorf("user parts (-want +got):\n%s", diff)
	}
	wantCalls := []spans.ToolCall{
		{ID: "call_abc123", Type: "function", Name: "get_current_weather", Arguments: `{"location":"Boston, MA"}`},
		{ID: "call_def456", Type: "function", Name: "get_time", Arguments: "{}"},
	}
	if diff := cmp.Diff(wantCalls, msgs[3].ToolCalls); diff != "" {
		t.Errorf("tool calls (-want +got):\n%s", diff)
	}
	if msgs[3].Content != "" || msgs[3].Parts != nil {
		t.Errorf("null content decoded as %q / %v", msgs[3].Content, msgs[3].Parts)
	}
	if msgs[4].ToolCallID != "call_abc123" || msgs[4].Content != `{"temperature":22,"unit":"celsius"}` {
		t.Errorf("tool message: %+v", msgs[4])
	}
	if msgs[7].Refusal != "I can't help with that." || msgs[9].Audio == nil || msgs[9].Audio.ID != "audio_abc123" {
		t.Errorf("refusal or audio lost: %+v %+v", msgs[7], msgs[9])
	}
	if msgs[1].Text() != "Answer briefly." || user.Text() != wantParts[0].Text || msgs[6].Text() != "It is 22°C in Boston at 10:42." {
		t.Error("Text")
	}
}

// The messages of a recorded response decode and encode back to the same
// JSON, less the keys that only say "nothing" (null values, no annotations).
func TestMessagesRoundTripResponse(t *testing.T) {
	var body struct {
		Choices []struct {
			Message json.RawMessage `json:"message"`
		} `json:"choices"`
	}
	readJSON(t, "testdata/chat-response.json", &body)
	for i, c := range body.Choices {
		var m spans.Message
		if err := json.Unmarshal(c.Message, &m); err != nil {
			t.Fatalf("choice %d: %v", i, err)
		}
		var want map[string]any
		if err := json.Unmarshal(c.Message, &want); err != nil {
			t.Fatal(err)
		}
		for k, v := range want {
			if v == nil && k != "content" {
				delete(want, k)
			}
			if a, ok := v.([]any); ok && len(a) == 0 && k == "annotations" {
				delete(want, k)
			}
		}
		assertSameJSON(t, mustJSON(t, want), m)
	}
}

func TestMessageEncoding(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    spans.Message
		want string
	}{
		{"text", spans.Message{Role: "user", Content: "hi"}, `{"role":"user","content":"hi"}`},
		{"empty text stays a string", spans.Message{Role: "user"}, `{"role":"user","content":""}`},
		{"tool calls only: null content", spans.Message{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: "c", Name: "f", Arguments: "{}"}}},
			`{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}`},
		{"empty parts stay a list", spans.Message{Role: "user", Parts: []spans.Part{}}, `{"role":"user","content":[]}`},
		{"parts win over content", spans.Message{Role: "user", Content: "ignored", Parts: []spans.Part{{Type: "text", Text: ""}}},
			`{"role":"user","content":[{"type":"text","text":""}]}`},
		{"unknown part type", spans.Message{Role: "user", Parts: []spans.Part{{Type: "input_video"}}}, `{"role":"user","content":[{"type":"input_video"}]}`},
		{"reasoning", spans.Message{Role: "assistant", Content: "4", ReasoningContent: "2+2"}, `{"role":"assistant","content":"4","reasoning_content":"2+2"}`},
		{"no HTML escaping", spans.Message{Role: "user", Parts: []spans.Part{{Type: "text", Text: "<b>&</b>"}}}, `{"role":"user","content":[{"type":"text","text":"<b>&</b>"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.MarshalJSON() // json.Marshal would escape HTML itself
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestMessageDecodingForms(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     spans.Message
	}{
		{"absent content", `{"role":"assistant"}`, spans.Message{Role: "assistant"}},
		{"flat tool call", `{"role":"assistant","tool_calls":[{"id":"c","name":"f","arguments":"{}"}]}`,
			spans.Message{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: "c", Type: "function", Name: "f", Arguments: "{}"}}}},
		{"legacy function_call", `{"role":"assistant","content":null,"function_call":{"name":"f","arguments":"{\"a\":1}"}}`,
			spans.Message{Role: "assistant", ToolCalls: []spans.ToolCall{{Type: "function", Name: "f", Arguments: `{"a":1}`}}}},
		{"image_url as a string", `{"role":"user","content":[{"type":"image_url","image_url":"https://x/y.png"}]}`,
			spans.Message{Role: "user", Parts: []spans.Part{{Type: "image_url", URL: "https://x/y.png"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m spans.Message
			if err := json.Unmarshal([]byte(tc.in), &m); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, m); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{`{"role":"user","content":42}`, `{"role":"user","content":{"a":1}}`, `[1]`, `{"content":[1]}`} {
		var m spans.Message
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("%s: decoded without error: %+v", bad, m)
		}
	}
}

func TestToolEncoding(t *testing.T) {
	for _, tc := range []struct {
		tool spans.Tool
		want string
	}{
		{spans.Tool{Name: "f"}, `{"type":"function","function":{"name":"f"}}`},
		{spans.Tool{Name: "f", Description: "d", Parameters: `{"type":"object"}`, Strict: true},
			`{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"},"strict":true}}`},
		{spans.Tool{Name: "f", Parameters: "not json"}, `{"type":"function","function":{"name":"f","parameters":"not json"}}`},
	} {
		got, err := json.Marshal(tc.tool)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	var flat spans.Tool
	if err := json.Unmarshal([]byte(`{"type":"function","name":"f","parameters":{"type":"object"},"strict":false}`), &flat); err != nil {
		t.Fatal(err)
	}
	if want := (spans.Tool{Name: "f", Parameters: `{"type":"object"}`}); flat != want {
		t.Errorf("Responses-style tool = %+v, want %+v", flat, want)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// assertSameJSON fails t unless v encodes to JSON equal to want, key order
// aside.
func assertSameJSON(t *testing.T, want []byte, v any) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(mustJSON(t, v), &g); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("round trip changed the JSON (-want +got):\n%s", cmp.Diff(w, g))
	}
}
