package otlpexport

import (
	"encoding/json"
	"strconv"

	"github.com/agenttrace/agenttrace-go/spans"
)

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
	Content    string         `json:"content"`
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
	c := chatMessage{Role: m.Role, Content: m.Content, Name: m.Name, ToolCallID: m.ToolCallID}
	if len(m.ToolCalls) > 0 {
		c.ToolCalls = make([]chatToolCall, len(m.ToolCalls))
		for i, tc := range m.ToolCalls {
			c.ToolCalls[i] = chatToolCall{ID: tc.ID, Type: "function", Function: chatFunction{Name: tc.Name, Arguments: tc.Arguments}}
		}
	}
	return c
}

// jsonOrString returns s as raw JSON when it is valid JSON, else s itself.
func jsonOrString(s string) any {
	if s != "" && json.Valid([]byte(s)) {
		return json.RawMessage(s)
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
	Type      string `json:"type"`
	Content   string `json:"content,omitempty"`
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	Arguments any    `json:"arguments,omitempty"`
	Response  any    `json:"response,omitempty"`
}

func genaiMessages(msgs []spans.Message, finish string) []genaiMessage {
	out := make([]genaiMessage, len(msgs))
	for i, m := range msgs {
		g := genaiMessage{Role: m.Role, Name: m.Name, FinishReason: finish, Parts: []genaiPart{}}
		switch {
		case m.Role == "tool" && m.ToolCallID != "":
			g.Parts = append(g.Parts, genaiPart{Type: "tool_call_response", ID: m.ToolCallID, Response: m.Content})
		case m.Content != "":
			g.Parts = append(g.Parts, genaiPart{Type: "text", Content: m.Content})
		}
		for _, tc := range m.ToolCalls {
			g.Parts = append(g.Parts, genaiPart{Type: "tool_call", ID: tc.ID, Name: tc.Name, Arguments: jsonOrString(tc.Arguments)})
		}
		out[i] = g
	}
	return out
}

// maxFlatInput and maxFlatOutput bound the OpenInference
// llm.{input,output}_messages.N.* attributes of one span: a conversation that
// needs more is read from input.value / output.value instead, so that a span
// stays well under Coze Loop's 51 custom tags.
const (
	maxFlatInput  = 12
	maxFlatOutput = 8
)

// flatCount returns how many attributes flatMessages adds for msgs.
func flatCount(msgs []spans.Message) int {
	n := 0
	for _, m := range msgs {
		n++ // role
		if m.Content != "" {
			n++
		}
		if m.ToolCallID != "" {
			n++
		}
		n += 3 * len(m.ToolCalls)
	}
	return n
}

// flatMessages adds OpenInference's flattened message attributes under
// prefix ("llm.input_messages" or "llm.output_messages") when they take at
// most max attributes; otherwise none.
func (a *attrs) flatMessages(prefix string, msgs []spans.Message, max int) {
	if len(msgs) == 0 || flatCount(msgs) > max {
		return
	}
	budget := maxContentBytes / len(msgs)
	for i, m := range msgs {
		p := prefix + "." + strconv.Itoa(i) + ".message."
		a.raw(p+"role", clipText(m.Role, maxValueBytes))
		a.text(p+"content", clipText(m.Content, budget))
		a.str(p+"tool_call_id", m.ToolCallID)
		for j, tc := range m.ToolCalls {
			q := p + "tool_calls." + strconv.Itoa(j) + ".tool_call."
			a.raw(q+"id", clipText(tc.ID, maxValueBytes))
			a.raw(q+"function.name", clipText(tc.Name, maxValueBytes))
			a.raw(q+"function.arguments", clipText(tc.Arguments, budget))
		}
	}
}
