package otelmap

import (
	"strconv"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
)

// The message shapes (written by jsonenc.go):
//
// Coze Loop renders OpenAI chat-completions shapes as a chat: input
// {"messages":[{role,content,name?,tool_call_id?,tool_calls?}],"tools":[{type:"function",
// function:{name,description?,parameters?}}]}, output {"choices":[{index,finish_reason?,message}]},
// with tool_calls [{id,type:"function",function:{name,arguments}}] an array or
// absent, never null, and parameters a JSON object. content is a string,
// except that a message with tool calls and no text has "content":null, as
// OpenAI writes it (not "", which some renderers show as an empty bubble).
//
// OTel GenAI (gen_ai.input.messages, gen_ai.output.messages):
// [{role, parts:[{type:"text",content}|{type:"tool_call",id,name,arguments}|
// {type:"tool_call_response",id,response}], name?, finish_reason?}]. Empty
// text has no part: a message that only calls tools has only tool_call parts.

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
		if m.Text() != "" {
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
	budget := clip.MaxContent / len(msgs)
	for i, m := range msgs {
		p := prefix + "." + strconv.Itoa(i) + ".message."
		a.raw(p+"role", clip.Text(m.Role, clip.MaxValue))
		a.text(p+"content", clip.Text(m.Text(), budget))
		a.str(p+"tool_call_id", m.ToolCallID)
		for j, tc := range m.ToolCalls {
			q := p + "tool_calls." + strconv.Itoa(j) + ".tool_call."
			a.raw(q+"id", clip.Text(tc.ID, clip.MaxValue))
			a.raw(q+"function.name", clip.Text(tc.Name, clip.MaxValue))
			a.raw(q+"function.arguments", clip.Text(tc.Arguments, budget))
		}
	}
}
