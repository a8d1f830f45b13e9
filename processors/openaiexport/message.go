package openaiexport

import (
	"encoding/json"

	"github.com/agenttrace/agenttrace-go/spans"
)

// outputMessageJSON is a message a model returned, as the Python Runner
// records it: the model_dump() of the OpenAI client's ChatCompletionMessage,
// every key present, null when unset:
//
//	{"role":"assistant","content":null,"refusal":null,"annotations":[],
//	 "audio":null,"function_call":null,"tool_calls":[{"id":"call_1",
//	 "type":"function","function":{"name":"lookup","arguments":"{\"id\":1}"}}]}
//
// reasoning_content, which vendors such as DeepSeek return next to these
// keys (and model_dump keeps), is sent when set.
type outputMessageJSON struct {
	Role             string           `json:"role"`
	Content          any              `json:"content"`
	Refusal          *string          `json:"refusal"`
	Annotations      json.RawMessage  `json:"annotations"`
	Audio            *outputAudioJSON `json:"audio"`
	FunctionCall     json.RawMessage  `json:"function_call"`
	ToolCalls        []spans.ToolCall `json:"tool_calls"`
	ReasoningContent string           `json:"reasoning_content,omitempty"`
}

// outputAudioJSON is the model_dump() of ChatCompletionAudio.
type outputAudioJSON struct {
	ID         string `json:"id"`
	Data       string `json:"data"`
	ExpiresAt  int64  `json:"expires_at"`
	Transcript string `json:"transcript"`
}

var (
	emptyList = json.RawMessage("[]")
	null      = json.RawMessage("null")
)

// outputMessages returns a generation's output in the Runner's shape.
func outputMessages(msgs []spans.Message) []outputMessageJSON {
	if msgs == nil {
		return nil
	}
	out := make([]outputMessageJSON, len(msgs))
	for i := range msgs {
		m := &msgs[i]
		o := outputMessageJSON{
			Role:             m.Role,
			Refusal:          optString(m.Refusal),
			Annotations:      emptyList,
			FunctionCall:     null,
			ToolCalls:        m.ToolCalls,
			ReasoningContent: m.ReasoningContent,
		}
		if o.Role == "" {
			o.Role = "assistant" // model_dump's role is always "assistant"
		}
		switch {
		case m.Parts != nil:
			o.Content = m.Parts
		case m.Content != "" || (len(m.ToolCalls) == 0 && m.Refusal == "" && m.Audio == nil):
			o.Content = m.Content
		}
		if a := m.Audio; a != nil {
			o.Audio = &outputAudioJSON{ID: a.ID, Data: a.Data, ExpiresAt: a.ExpiresAt, Transcript: a.Transcript}
		}
		out[i] = o
	}
	return out
}
