package spans

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Message is one chat message in the OpenAI chat-completions shape. Its JSON
// form (see [Message.MarshalJSON] and [Message.UnmarshalJSON]) is the wire
// shape of that API, so the messages of a real request or response body
// decode into it and encode back to the same JSON:
//
//	{"role":"user","content":[{"type":"text","text":"What is this?"},
//	  {"type":"image_url","image_url":{"url":"https://...","detail":"low"}}]}
//	{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
//	  "function":{"name":"lookup","arguments":"{\"id\":1}"}}]}
//	{"role":"tool","tool_call_id":"call_1","content":"{\"status\":\"shipped\"}"}
//
// Content holds text content and Parts multi-part content; a message uses
// one of the two. Vendors with other shapes map onto it: Anthropic's
// tool_use blocks are ToolCalls, its tool_result blocks "tool" messages, its
// thinking blocks ReasoningContent.
type Message struct {
	// Role is "system", "developer", "user", "assistant" or "tool".
	Role string
	// Content is the text of the message, when it is a plain string.
	Content string
	// Parts is the content when it is a list of parts (text, images, audio,
	// files). When Parts is non-nil it is the content and Content is ignored.
	Parts []Part
	// Name is an optional participant name.
	Name string
	// ToolCallID links a "tool" message to the call it answers.
	ToolCallID string
	// ToolCalls are the calls an assistant message requests.
	ToolCalls []ToolCall
	// Refusal is an assistant's refusal message.
	Refusal string
	// Audio is an assistant's audio reply, or a reference to an earlier one.
	Audio *Audio
	// ReasoningContent is the model's reasoning text, where the vendor
	// returns it (DeepSeek's and Volcengine Ark's reasoning_content,
	// Anthropic's thinking blocks).
	ReasoningContent string
}

// The content part types of [Part].
const (
	PartText       = "text"        // Text
	PartImageURL   = "image_url"   // URL (an https or data: URL) and Detail
	PartInputAudio = "input_audio" // Data (base64) and Format
	PartFile       = "file"        // Data (base64 file_data), FileID, Filename
	PartRefusal    = "refusal"     // Text (the refusal)
)

// Part is one part of multi-part message content. Type says which fields
// are used (see the Part* constants); a part of another type keeps its Type
// and Text.
type Part struct {
	// Type is the part type: PartText, PartImageURL, PartInputAudio,
	// PartFile or PartRefusal.
	Type string
	// Text is the text of a text part, or the refusal of a refusal part.
	Text string
	// URL is the image URL of an image_url part; it may be a data: URL.
	URL string
	// Detail is the image detail of an image_url part ("low", "high", "auto").
	Detail string
	// Data is the base64 data of an input_audio part, or the file_data of a
	// file part.
	Data string
	// Format is the audio format of an input_audio part ("wav", "mp3").
	Format string
	// FileID is the id of an uploaded file, in a file part.
	FileID string
	// Filename is the file name of a file part.
	Filename string
}

// ToolCall is a call a model requests. Its JSON form is the chat-completions
// shape {"id","type":"function","function":{"name","arguments"}} (for Type
// "custom": {"id","type":"custom","custom":{"name","input"}}).
type ToolCall struct {
	// ID identifies the call; the answering tool message repeats it.
	ID string
	// Type is "function" (also when empty) or "custom".
	Type string
	// Name is the function name.
	Name string
	// Arguments is the JSON text of the arguments (a custom tool's input
	// text).
	Arguments string
}

// Audio is an assistant's audio reply in the chat-completions shape.
type Audio struct {
	// ID identifies the audio; later requests refer to it by ID alone.
	ID string `json:"id"`
	// Data is the base64 audio, in responses.
	Data string `json:"data,omitempty"`
	// Transcript is the text of the audio, in responses.
	Transcript string `json:"transcript,omitempty"`
	// ExpiresAt is when the audio stops being available, in Unix seconds.
	ExpiresAt int64 `json:"expires_at,omitempty"`
}

// Tool describes a function offered to a model.
type Tool struct {
	// Name is the function name.
	Name string
	// Description says what the tool does.
	Description string
	// Parameters is the JSON Schema of the arguments, as JSON text.
	Parameters string
	// Strict reports whether the model must follow the schema exactly
	// (OpenAI's strict mode).
	Strict bool
}

// Text returns the message's text: Content, or the text of its text parts
// joined with newlines when it has parts.
func (m *Message) Text() string {
	if m.Parts == nil {
		return m.Content
	}
	var b []byte
	n := 0
	for _, p := range m.Parts {
		if p.Type != PartText {
			continue
		}
		if n > 0 {
			b = append(b, '\n')
		}
		b = append(b, p.Text...)
		n++
	}
	return string(b)
}

// contentNull reports whether the message's content encodes as null: it has
// no parts and no text but tool calls, a refusal or audio, as OpenAI writes
// such a message.
func (m *Message) contentNull() bool {
	return m.Parts == nil && m.Content == "" && (len(m.ToolCalls) > 0 || m.Refusal != "" || m.Audio != nil)
}

// messageJSON is the wire shape of a Message; Content is a string, a list
// of parts or null.
type messageJSON struct {
	Role             string          `json:"role"`
	Content          json.RawMessage `json:"content"`
	Name             string          `json:"name,omitempty"`
	ToolCallID       string          `json:"tool_call_id,omitempty"`
	ToolCalls        []ToolCall      `json:"tool_calls,omitempty"`
	Refusal          string          `json:"refusal,omitempty"`
	Audio            *Audio          `json:"audio,omitempty"`
	ReasoningContent string          `json:"reasoning_content,omitempty"`
}

// MarshalJSON encodes m in the chat-completions shape: content is a string,
// a list of parts when Parts is non-nil, or null for a message with no text
// that calls tools, refuses or carries audio. Empty optional fields are
// left out.
func (m Message) MarshalJSON() ([]byte, error) {
	w := messageJSON{
		Role: m.Role, Name: m.Name, ToolCallID: m.ToolCallID, ToolCalls: m.ToolCalls,
		Refusal: m.Refusal, Audio: m.Audio, ReasoningContent: m.ReasoningContent,
	}
	var err error
	switch {
	case m.Parts != nil:
		w.Content, err = marshal(m.Parts)
	case m.contentNull():
		w.Content = json.RawMessage("null")
	default:
		w.Content, err = marshal(m.Content)
	}
	if err != nil {
		return nil, err
	}
	return marshal(w)
}

// UnmarshalJSON decodes a chat-completions message: content as a string, a
// list of parts, or null (or absent). The legacy function_call field is
// read as one tool call.
func (m *Message) UnmarshalJSON(b []byte) error {
	var w struct {
		messageJSON
		FunctionCall *struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function_call"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*m = Message{
		Role: w.Role, Name: w.Name, ToolCallID: w.ToolCallID, ToolCalls: w.ToolCalls,
		Refusal: w.Refusal, Audio: w.Audio, ReasoningContent: w.ReasoningContent,
	}
	if fc := w.FunctionCall; fc != nil && len(m.ToolCalls) == 0 {
		m.ToolCalls = []ToolCall{{Type: "function", Name: fc.Name, Arguments: fc.Arguments}}
	}
	c := bytes.TrimSpace(w.Content)
	switch {
	case len(c) == 0 || string(c) == "null":
	case c[0] == '"':
		return json.Unmarshal(c, &m.Content)
	case c[0] == '[':
		if err := json.Unmarshal(c, &m.Parts); err != nil {
			return err
		}
		if m.Parts == nil {
			m.Parts = []Part{}
		}
	default:
		return fmt.Errorf("spans: message content is neither a string, a list of parts nor null: %.40s", c)
	}
	return nil
}

// marshal encodes v as encoding/json does, without escaping HTML
// characters: an encoder's SetEscapeHTML(false) cannot undo escapes made
// inside a MarshalJSON method.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

type imageURLJSON struct {
	URL    string `json:"url"`
	Detail string `json:"detail,omitempty"`
}

type inputAudioJSON struct {
	Data   string `json:"data"`
	Format string `json:"format"`
}

type fileJSON struct {
	FileData string `json:"file_data,omitempty"`
	FileID   string `json:"file_id,omitempty"`
	Filename string `json:"filename,omitempty"`
}

// MarshalJSON encodes p as a chat-completions content part:
// {"type":"text","text"}, {"type":"image_url","image_url":{"url","detail"}},
// {"type":"input_audio","input_audio":{"data","format"}},
// {"type":"file","file":{"file_data","file_id","filename"}} or
// {"type":"refusal","refusal"}. A part of another type encodes its type and,
// when set, its text.
func (p Part) MarshalJSON() ([]byte, error) {
	switch p.Type {
	case PartText:
		return marshal(struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}{p.Type, p.Text})
	case PartImageURL:
		return marshal(struct {
			Type     string       `json:"type"`
			ImageURL imageURLJSON `json:"image_url"`
		}{p.Type, imageURLJSON{p.URL, p.Detail}})
	case PartInputAudio:
		return marshal(struct {
			Type       string         `json:"type"`
			InputAudio inputAudioJSON `json:"input_audio"`
		}{p.Type, inputAudioJSON{p.Data, p.Format}})
	case PartFile:
		return marshal(struct {
			Type string   `json:"type"`
			File fileJSON `json:"file"`
		}{p.Type, fileJSON{p.Data, p.FileID, p.Filename}})
	case PartRefusal:
		return marshal(struct {
			Type    string `json:"type"`
			Refusal string `json:"refusal"`
		}{p.Type, p.Text})
	}
	return marshal(struct {
		Type string `json:"type"`
		Text string `json:"text,omitempty"`
	}{p.Type, p.Text})
}

// UnmarshalJSON decodes a chat-completions content part (see
// [Part.MarshalJSON]).
func (p *Part) UnmarshalJSON(b []byte) error {
	var w struct {
		Type       string          `json:"type"`
		Text       string          `json:"text"`
		Refusal    string          `json:"refusal"`
		ImageURL   json.RawMessage `json:"image_url"`
		InputAudio *inputAudioJSON `json:"input_audio"`
		File       *fileJSON       `json:"file"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Part{Type: w.Type, Text: w.Text}
	switch w.Type {
	case PartRefusal:
		p.Text = w.Refusal
	case PartImageURL:
		// image_url is an object; some older clients send the URL as a string.
		var img imageURLJSON
		if len(w.ImageURL) > 0 && w.ImageURL[0] == '"' {
			if err := json.Unmarshal(w.ImageURL, &img.URL); err != nil {
				return err
			}
		} else if len(w.ImageURL) > 0 {
			if err := json.Unmarshal(w.ImageURL, &img); err != nil {
				return err
			}
		}
		p.URL, p.Detail = img.URL, img.Detail
	case PartInputAudio:
		if a := w.InputAudio; a != nil {
			p.Data, p.Format = a.Data, a.Format
		}
	case PartFile:
		if f := w.File; f != nil {
			p.Data, p.FileID, p.Filename = f.FileData, f.FileID, f.Filename
		}
	}
	return nil
}

type functionCallJSON struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type customCallJSON struct {
	Name  string `json:"name"`
	Input string `json:"input"`
}

// MarshalJSON encodes tc in the chat-completions shape
// {"id","type":"function","function":{"name","arguments"}}, or
// {"id","type":"custom","custom":{"name","input"}} for a custom tool call.
func (tc ToolCall) MarshalJSON() ([]byte, error) {
	if tc.Type == "custom" {
		return marshal(struct {
			ID     string         `json:"id"`
			Type   string         `json:"type"`
			Custom customCallJSON `json:"custom"`
		}{tc.ID, tc.Type, customCallJSON{tc.Name, tc.Arguments}})
	}
	return marshal(struct {
		ID       string           `json:"id"`
		Type     string           `json:"type"`
		Function functionCallJSON `json:"function"`
	}{tc.ID, "function", functionCallJSON{tc.Name, tc.Arguments}})
}

// UnmarshalJSON decodes a chat-completions tool call (see
// [ToolCall.MarshalJSON]). The flat form {"id","name","arguments"} is read
// too.
func (tc *ToolCall) UnmarshalJSON(b []byte) error {
	var w struct {
		ID        string            `json:"id"`
		Type      string            `json:"type"`
		Function  *functionCallJSON `json:"function"`
		Custom    *customCallJSON   `json:"custom"`
		Name      string            `json:"name"`
		Arguments string            `json:"arguments"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*tc = ToolCall{ID: w.ID, Type: w.Type, Name: w.Name, Arguments: w.Arguments}
	switch {
	case w.Function != nil:
		tc.Name, tc.Arguments = w.Function.Name, w.Function.Arguments
	case w.Custom != nil:
		tc.Name, tc.Arguments = w.Custom.Name, w.Custom.Input
	}
	if tc.Type == "" {
		tc.Type = "function"
	}
	return nil
}

type toolFunctionJSON struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
	Strict      bool            `json:"strict,omitempty"`
}

// MarshalJSON encodes t in the chat-completions tools shape
// {"type":"function","function":{"name","description","parameters","strict"}}.
// Parameters that are not valid JSON are encoded as a JSON string.
func (t Tool) MarshalJSON() ([]byte, error) {
	f := toolFunctionJSON{Name: t.Name, Description: t.Description, Strict: t.Strict}
	switch {
	case t.Parameters == "":
	case json.Valid([]byte(t.Parameters)):
		f.Parameters = json.RawMessage(t.Parameters)
	default:
		s, err := marshal(t.Parameters)
		if err != nil {
			return nil, err
		}
		f.Parameters = s
	}
	return marshal(struct {
		Type     string           `json:"type"`
		Function toolFunctionJSON `json:"function"`
	}{"function", f})
}

// UnmarshalJSON decodes a chat-completions tool definition (see
// [Tool.MarshalJSON]); the flat form {"name","description","parameters"}
// (Responses API function tools) is read too.
func (t *Tool) UnmarshalJSON(b []byte) error {
	type fn struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
		Strict      *bool           `json:"strict"`
	}
	var w struct {
		fn
		Function *fn `json:"function"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	f := w.fn
	if w.Function != nil {
		f = *w.Function
	}
	*t = Tool{Name: f.Name, Description: f.Description, Strict: f.Strict != nil && *f.Strict}
	if p := bytes.TrimSpace(f.Parameters); len(p) > 0 && string(p) != "null" {
		if p[0] == '"' {
			var s string
			if err := json.Unmarshal(p, &s); err != nil {
				return err
			}
			t.Parameters = s
		} else {
			t.Parameters = string(p)
		}
	}
	return nil
}
