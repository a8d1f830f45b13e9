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
// llm.{input,output}_messages.N.* attributes of one span, so that a span
// stays within the 128 attributes an OpenTelemetry SDK keeps by default (a
// bridge to a user's TracerProvider goes through one). A conversation that
// needs more keeps its first message, a marker message standing for the
// ones left out, and the newest messages that fit (see flatPick); the whole
// conversation is in input.value / output.value.
const (
	maxFlatInput  = 48
	maxFlatOutput = 24
)

// flatCost returns how many attributes flatMessages adds for m.
func flatCost(m spans.Message) int {
	n := 1 // role
	if m.Text() != "" {
		n++
	}
	if m.ToolCallID != "" {
		n++
	}
	return n + 3*len(m.ToolCalls)
}

// flatPick returns the messages to flatten within max attributes: all of
// them when they fit; otherwise the first, a marker message of the first
// left out's role ("…[k messages truncated]"), and the newest that fit. A
// message that alone does not fit is flattened in part (see flatMessages).
func flatPick(msgs []spans.Message, max int) []spans.Message {
	total := 0
	for _, m := range msgs {
		total += flatCost(m)
	}
	if total <= max || len(msgs) < 3 {
		return msgs
	}
	const markerCost = 2
	room := max - flatCost(msgs[0]) - markerCost
	j := len(msgs)
	for j > 2 && flatCost(msgs[j-1]) <= room {
		j--
		room -= flatCost(msgs[j])
	}
	if j == len(msgs) {
		j-- // the newest, in part
	}
	out := make([]spans.Message, 0, 2+len(msgs)-j)
	out = append(out, msgs[0], spans.Message{Role: msgs[1].Role, Content: "…[" + strconv.Itoa(j-1) + " messages truncated]"})
	return append(out, msgs[j:]...)
}

// flatMessages adds OpenInference's flattened message attributes under
// prefix ("llm.input_messages" or "llm.output_messages"), at most max of
// them (see flatPick): once max is reached, the rest of a message's tool
// calls and the messages after it are left out.
func (a *attrs) flatMessages(prefix string, msgs []spans.Message, max int) {
	if len(msgs) == 0 {
		return
	}
	msgs = flatPick(msgs, max)
	budget := clip.MaxContent / len(msgs)
	left := max
	for i, m := range msgs {
		if left <= 0 {
			return
		}
		p := prefix + "." + strconv.Itoa(i) + ".message."
		a.raw(p+"role", clip.Text(m.Role, clip.MaxValue))
		left--
		if t := m.Text(); t != "" && left > 0 {
			a.text(p+"content", clip.Text(t, budget))
			left--
		}
		if m.ToolCallID != "" && left > 0 {
			a.str(p+"tool_call_id", m.ToolCallID)
			left--
		}
		for j, tc := range m.ToolCalls {
			if left < 3 {
				break
			}
			q := p + "tool_calls." + strconv.Itoa(j) + ".tool_call."
			a.raw(q+"id", clip.Text(tc.ID, clip.MaxValue))
			a.raw(q+"function.name", clip.Text(tc.Name, clip.MaxValue))
			a.raw(q+"function.arguments", clip.Text(tc.Arguments, budget))
			left -= 3
		}
	}
}
