package otelmap

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/google/go-cmp/cmp"
)

// The struct types below are the reference encoding of the message shapes,
// through encoding/json.

// The OpenAI chat-completions shapes that Coze Loop renders as a chat:
// input {"messages":[...],"tools":[...]}, output {"choices":[...]}.

type chatInput struct {
	Messages []chatMessage `json:"messages"`
	Tools    []chatTool    `json:"tools,omitempty"`
}

type chatOutput struct {
	Choices []chatChoice `json:"choices"`
}

type chatChoice struct {
	Index        int         `json:"index"`
	FinishReason string      `json:"finish_reason,omitempty"`
	Message      chatMessage `json:"message"`
}

type chatMessage struct {
	Role       string         `json:"role"`
	Content    *string        `json:"content"` // null for a message that only calls tools
	Name       string         `json:"name,omitempty"`
	ToolCallID string         `json:"tool_call_id,omitempty"`
	ToolCalls  []chatToolCall `json:"tool_calls,omitempty"` // absent, never null
}

type chatToolCall struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Function chatFunction `json:"function"`
}

type chatFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type chatTool struct {
	Type     string      `json:"type"`
	Function chatToolDef `json:"function"`
}

type chatToolDef struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Parameters is the JSON Schema object; a schema that is not valid JSON
	// is sent as a string rather than lost.
	Parameters any `json:"parameters,omitempty"`
}

func toChatMessage(m spans.Message) chatMessage {
	c := chatMessage{Role: m.Role, Content: &m.Content, Name: m.Name, ToolCallID: m.ToolCallID}
	if m.Content == "" && len(m.ToolCalls) > 0 {
		c.Content = nil
	}
	if len(m.ToolCalls) > 0 {
		c.ToolCalls = make([]chatToolCall, len(m.ToolCalls))
		for i, tc := range m.ToolCalls {
			c.ToolCalls[i] = chatToolCall{ID: tc.ID, Type: "function", Function: chatFunction{Name: tc.Name, Arguments: tc.Arguments}}
		}
	}
	return c
}

// jsonOrString returns s as raw JSON (valid UTF-8) when it is valid JSON,
// else s itself.
func jsonOrString(s string) any {
	if s != "" && json.Valid([]byte(s)) {
		return json.RawMessage(clip.ValidUTF8(s))
	}
	return s
}

func chatInputOf(msgs []spans.Message, tools []spans.Tool) chatInput {
	in := chatInput{Messages: make([]chatMessage, len(msgs))}
	for i, m := range msgs {
		in.Messages[i] = toChatMessage(m)
	}
	for _, t := range tools {
		def := chatToolDef{Name: t.Name, Description: t.Description}
		if t.Parameters != "" {
			def.Parameters = jsonOrString(t.Parameters)
		}
		in.Tools = append(in.Tools, chatTool{Type: "function", Function: def})
	}
	return in
}

func chatOutputOf(msgs []spans.Message, finish string) chatOutput {
	out := chatOutput{Choices: make([]chatChoice, len(msgs))}
	for i, m := range msgs {
		out.Choices[i] = chatChoice{Index: i, FinishReason: finish, Message: toChatMessage(m)}
	}
	return out
}

// The OTel GenAI message shapes (gen_ai.input.messages, gen_ai.output.messages):
// {role, parts:[{type:"text",content}|{type:"tool_call",id,name,arguments}|
// {type:"tool_call_response",id,response}]}, output messages with finish_reason.

type genaiMessage struct {
	Role         string      `json:"role"`
	Parts        []genaiPart `json:"parts"`
	Name         string      `json:"name,omitempty"`
	FinishReason string      `json:"finish_reason,omitempty"`
}

type genaiPart struct {
	Type      string  `json:"type"`
	Content   string  `json:"content,omitempty"`
	ID        string  `json:"id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Arguments any     `json:"arguments,omitempty"`
	Response  *string `json:"response,omitempty"`
}

func genaiMessages(msgs []spans.Message, finish string) []genaiMessage {
	out := make([]genaiMessage, len(msgs))
	for i, m := range msgs {
		g := genaiMessage{Role: m.Role, Name: m.Name, FinishReason: finish, Parts: []genaiPart{}}
		switch {
		case m.Role == "tool" && m.ToolCallID != "":
			content := m.Content
			g.Parts = append(g.Parts, genaiPart{Type: "tool_call_response", ID: m.ToolCallID, Response: &content})
		case m.Content != "":
			g.Parts = append(g.Parts, genaiPart{Type: "text", Content: m.Content})
		}
		for _, tc := range m.ToolCalls {
			var args any // empty arguments are left out
			if tc.Arguments != "" {
				args = jsonOrString(tc.Arguments)
			}
			g.Parts = append(g.Parts, genaiPart{Type: "tool_call", ID: tc.ID, Name: tc.Name, Arguments: args})
		}
		out[i] = g
	}
	return out
}

// TestJSONEncodersMatchEncodingJSON checks the hand-written encoders against
// encoding/json on the types of messages.go, with awkward text.
func TestJSONEncodersMatchEncodingJSON(t *testing.T) {
	awkward := "quote \" back \\ nl \n tab \t ctl \x01 \x1f html <&> uni é 语 \u2028 \u2029 bad \xff end"
	cases := []struct {
		msgs  []spans.Message
		tools []spans.Tool
		fin   string
	}{
		{msgs: []spans.Message{}},
		{msgs: []spans.Message{{Role: "user", Content: awkward, Name: "n"}}, fin: "stop"},
		{msgs: []spans.Message{
			{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: "c1", Name: "f", Arguments: `{"a": [1, 2], "s":"x"}`}, {ID: "c2", Name: "g", Arguments: "not json " + awkward}}},
			{Role: "tool", ToolCallID: "c1", Content: `{"ok":true}`},
			{Role: "tool", ToolCallID: "c2"},
			{Role: "assistant", ToolCalls: []spans.ToolCall{{Arguments: `{"u":"é\u2028"}`}}},
		}, tools: []spans.Tool{
			{Name: "f", Description: awkward, Parameters: `{"type":"object", "properties":{}}`},
			{Name: "g", Parameters: "{bad"},
			{Name: "h"},
		}, fin: "tool_calls"},
	}
	mustJSON := func(v any) string {
		b, err := clip.MarshalNoEscape(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for i, c := range cases {
		if got, want := chatInputJSON(c.msgs, c.tools), mustJSON(chatInputOf(c.msgs, c.tools)); got != want {
			t.Errorf("case %d chat input:\n got %s\nwant %s", i, got, want)
		}
		if got, want := chatOutputJSON(c.msgs, c.fin), mustJSON(chatOutputOf(c.msgs, c.fin)); got != want {
			t.Errorf("case %d chat output:\n got %s\nwant %s", i, got, want)
		}
		if got, want := genaiMessagesJSON(c.msgs, c.fin), mustJSON(genaiMessages(c.msgs, c.fin)); got != want {
			t.Errorf("case %d genai:\n got %s\nwant %s", i, got, want)
		}
		if !json.Valid([]byte(chatInputJSON(c.msgs, c.tools))) {
			t.Errorf("case %d: invalid JSON", i)
		}
	}
}

// The hand-written chat encoder writes what spans.Message's own JSON
// encoding writes, for every message that has no inline audio or file data
// (whose bytes the exporter never inlines).
func TestChatMessageEncoderMatchesSpansJSON(t *testing.T) {
	msgs := []spans.Message{
		{Role: "user", Content: "hi <b>&</b>"},
		{Role: "user"},
		{Role: "system", Name: "policy", Parts: []spans.Part{{Type: spans.PartText, Text: "Be brief."}}},
		{Role: "user", Parts: []spans.Part{
			{Type: spans.PartText, Text: "What is this?"},
			{Type: spans.PartImageURL, URL: "https://x.test/a.png", Detail: "low"},
			{Type: spans.PartImageURL, URL: "https://x.test/b.png"},
			{Type: spans.PartFile, FileID: "file-1", Filename: "a.pdf"},
			{Type: "input_video"},
		}},
		{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: "c1", Name: "f", Arguments: `{"a":1}`}}},
		{Role: "tool", ToolCallID: "c1", Content: `{"ok":true}`},
		{Role: "assistant", Refusal: "no"},
		{Role: "assistant", Parts: []spans.Part{{Type: spans.PartText, Text: "Partly"}, {Type: spans.PartRefusal, Text: "no"}}},
		{Role: "assistant", Content: "4", ReasoningContent: "2+2"},
		{Role: "assistant", Audio: &spans.Audio{ID: "audio_1", Transcript: "hello"}},
	}
	for _, m := range msgs {
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendChatMessage(nil, m); !sameJSON(t, want, got) {
			t.Errorf("encoder differs from spans.Message JSON:\n got %s\nwant %s", got, want)
		}
	}
	// Inline bytes are never sent: their size stands in.
	big := spans.Message{Role: "user", Parts: []spans.Part{
		{Type: spans.PartInputAudio, Data: "UklGRiQAAABXQVZF", Format: "wav"},
		{Type: spans.PartFile, Data: "JVBERi0x", Filename: "r.pdf"},
	}}
	want := `{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"[audio: 16 bytes, wav]","format":"wav"}},` +
		`{"type":"file","file":{"filename":"r.pdf","file_data":"[file: 8 bytes of base64]"}}]}`
	if got := string(appendChatMessage(nil, big)); got != want {
		t.Errorf("inline data:\n got %s\nwant %s", got, want)
	}
}

func TestGenAIPartsOfMultipartMessages(t *testing.T) {
	got := genaiMessagesJSON([]spans.Message{
		{Role: "user", Parts: []spans.Part{
			{Type: spans.PartText, Text: "What is this?"},
			{Type: spans.PartImageURL, URL: "https://x.test/a.png"},
			{Type: spans.PartImageURL, URL: "data:image/png;base64,AAAA"},
			{Type: spans.PartInputAudio, Data: "AAAA", Format: "wav"},
			{Type: spans.PartFile, FileID: "file-1"},
		}},
		{Role: "assistant", Content: "A cat.", ReasoningContent: "whiskers", Refusal: "no"},
		{Role: "tool", ToolCallID: "c1", Parts: []spans.Part{{Type: spans.PartText, Text: "10:42"}}},
	}, "")
	want := `[{"role":"user","parts":[{"type":"text","content":"What is this?"},{"type":"uri","modality":"image","uri":"https://x.test/a.png"},` +
		`{"type":"blob","modality":"image","content":"[image: 26 bytes of data URL]"},{"type":"blob","modality":"audio","content":"[audio: 4 bytes, wav]"},` +
		`{"type":"file","file_id":"file-1"}]},` +
		`{"role":"assistant","parts":[{"type":"reasoning","content":"whiskers"},{"type":"text","content":"A cat."},{"type":"refusal","content":"no"}]},` +
		`{"role":"tool","parts":[{"type":"tool_call_response","id":"c1","response":"10:42"}]}]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return cmp.Equal(x, y)
}

// TestEscapesCopyWhatTheyRecord checks that the GenAI encoding written with
// texts copied from the chat encoding (see escapes) is the one written
// without, for long and short texts, reasoning before content (the encoders
// visit them in different orders), parts, refusals, tool responses, and a
// text the chat encoding never wrote.
func TestEscapesCopyWhatTheyRecord(t *testing.T) {
	long := strings.Repeat("long text \" é \xff <&> ", 8)
	parts := []spans.Part{{Type: spans.PartText, Text: long + "a"}, {Type: spans.PartRefusal, Text: long + "b"}, {Type: spans.PartText, Text: "short"}}
	msgs := []spans.Message{
		{Role: "system", Content: long},
		{Role: "user", Parts: parts},
		{Role: "assistant", Content: long + "c", ReasoningContent: long + "d", Refusal: long + "e"},
		{Role: "tool", ToolCallID: "c1", Content: long + "f"},
		{Role: "tool", ToolCallID: "c2", Parts: parts},
		{Role: "assistant", Content: long}, // the same text again
	}
	for _, out := range []bool{false, true} {
		var e escapes
		e.reset()
		if out {
			chatOutputJSONMemo(msgs, "stop", &e)
		} else {
			chatInputJSONMemo(msgs, nil, &e)
		}
		if len(e.list) == 0 {
			t.Fatal("nothing recorded")
		}
		if got, want := genaiMessagesJSONMemo(msgs, "stop", &e), genaiMessagesJSON(msgs, "stop"); got != want {
			t.Errorf("output %v:\n got %s\nwant %s", out, got, want)
		}
		if e.next == 0 {
			t.Errorf("output %v: no text copied", out)
		}
	}
	var nilMemo *escapes
	if got, want := genaiMessagesJSONMemo(msgs, "", nilMemo), genaiMessagesJSON(msgs, ""); got != want {
		t.Errorf("nil memo:\n got %s\nwant %s", got, want)
	}
}
