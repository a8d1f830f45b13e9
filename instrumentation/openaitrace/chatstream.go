package openaitrace

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// chunkJSON is one chunk of a streamed chat completion.
type chunkJSON struct {
	ID      string `json:"id"`
	Model   string `json:"model"`
	Choices []struct {
		Index        int        `json:"index"`
		Delta        deltaJSON  `json:"delta"`
		FinishReason string     `json:"finish_reason"`
		Message      *deltaJSON `json:"message"` // a few compatible servers send whole messages
	} `json:"choices"`
	Usage *chatUsage      `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// deltaJSON is the part of a message one chunk carries.
type deltaJSON struct {
	Role             string `json:"role"`
	Content          string `json:"content"`
	ReasoningContent string `json:"reasoning_content"`
	Reasoning        string `json:"reasoning"` // vLLM, OpenRouter
	Refusal          string `json:"refusal"`
	ToolCalls        []struct {
		Index    *int   `json:"index"`
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function"`
	} `json:"tool_calls"`
	Audio *struct {
		ID         string `json:"id"`
		Data       string `json:"data"`
		Transcript string `json:"transcript"`
		ExpiresAt  int64  `json:"expires_at"`
	} `json:"audio"`
}

// chatStream assembles a streamed chat completion: the message of each
// choice from its deltas, the usage of the final chunk, the time of the
// first token.
type chatStream struct {
	c       *call
	req     *http.Request
	id      string
	model   string
	choices []*choiceState
	usage   *spans.Usage
	first   time.Time
	err     *tracing.SpanError
	done    bool // [DONE] was seen
}

// choiceState is the message of one choice so far.
type choiceState struct {
	index     int
	role      string
	content   []byte
	reasoning []byte
	refusal   []byte
	calls     []*callState
	audio     *spans.Audio
	finish    string
}

// callState is one tool call so far.
type callState struct {
	index int
	id    string
	typ   string
	name  string
	args  []byte
}

func (s *chatStream) event(_ string, data []byte) bool {
	if bytes.HasPrefix(data, []byte("[DONE]")) {
		s.done = true
		return true
	}
	var ch chunkJSON
	if err := json.Unmarshal(data, &ch); err != nil {
		s.err = &tracing.SpanError{Message: "stream: an event is not JSON: " + errorText(err)}
		return true // openai-go stops the stream here
	}
	if e := bytes.TrimSpace(ch.Error); len(e) > 0 && string(e) != "null" {
		s.err = streamError(s.req, e)
		return true
	}
	if s.id == "" {
		s.id = ch.ID
	}
	if s.model == "" {
		s.model = ch.Model
	}
	if ch.Usage != nil {
		s.usage = ch.Usage.usage()
	}
	for _, chc := range ch.Choices {
		st := s.choice(chc.Index)
		d := chc.Delta
		if chc.Message != nil {
			d = *chc.Message
		}
		if s.first.IsZero() && (d.Content != "" || d.ReasoningContent != "" || d.Reasoning != "" ||
			d.Refusal != "" || len(d.ToolCalls) > 0 || d.Audio != nil) {
			s.first = s.c.now()
		}
		st.add(&d)
		if chc.FinishReason != "" {
			st.finish = chc.FinishReason
		}
	}
	return false
}

// choice returns the state of the choice with the given index.
func (s *chatStream) choice(index int) *choiceState {
	for _, st := range s.choices {
		if st.index == index {
			return st
		}
	}
	st := &choiceState{index: index}
	s.choices = append(s.choices, st)
	return st
}

// add appends a delta to the choice.
func (st *choiceState) add(d *deltaJSON) {
	if d.Role != "" {
		st.role = d.Role
	}
	st.content = append(st.content, d.Content...)
	st.reasoning = append(st.reasoning, d.ReasoningContent...)
	st.reasoning = append(st.reasoning, d.Reasoning...)
	st.refusal = append(st.refusal, d.Refusal...)
	for _, tc := range d.ToolCalls {
		var cs *callState
		switch {
		case tc.Index != nil:
			for _, e := range st.calls {
				if e.index == *tc.Index {
					cs = e
				}
			}
		case len(st.calls) > 0 && (tc.ID == "" || tc.ID == st.calls[len(st.calls)-1].id):
			cs = st.calls[len(st.calls)-1] // no index: the call continues until a new id
		}
		if cs == nil {
			cs = &callState{index: len(st.calls)}
			if tc.Index != nil {
				cs.index = *tc.Index
			}
			st.calls = append(st.calls, cs)
		}
		if tc.ID != "" {
			cs.id = tc.ID
		}
		if tc.Type != "" {
			cs.typ = tc.Type
		}
		cs.name += tc.Function.Name
		cs.args = append(cs.args, tc.Function.Arguments...)
	}
	if a := d.Audio; a != nil {
		if st.audio == nil {
			st.audio = &spans.Audio{}
		}
		if a.ID != "" {
			st.audio.ID = a.ID
		}
		if a.ExpiresAt != 0 {
			st.audio.ExpiresAt = a.ExpiresAt
		}
		st.audio.Data += a.Data
		st.audio.Transcript += a.Transcript
	}
}

// message returns the assembled message.
func (st *choiceState) message() spans.Message {
	m := spans.Message{
		Role:             st.role,
		Content:          string(st.content),
		ReasoningContent: string(st.reasoning),
		Refusal:          string(st.refusal),
		Audio:            st.audio,
	}
	if m.Role == "" {
		m.Role = "assistant"
	}
	for _, cs := range st.calls {
		typ := cs.typ
		if typ == "" {
			typ = "function"
		}
		m.ToolCalls = append(m.ToolCalls, spans.ToolCall{ID: cs.id, Type: typ, Name: cs.name, Arguments: string(cs.args)})
	}
	return m
}

func (s *chatStream) finish(err *tracing.SpanError, early bool) {
	if err == nil {
		err = s.err
	}
	c := s.c
	c.finish(func() *tracing.SpanError {
		g := c.gen
		g.Stream = true
		g.FirstTokenAt = s.first
		if len(s.choices) > 0 {
			slices.SortStableFunc(s.choices, func(a, b *choiceState) int { return cmp.Compare(a.index, b.index) })
			if c.content {
				g.Output = make([]spans.Message, len(s.choices))
				for i, st := range s.choices {
					g.Output[i] = st.message()
				}
			}
			g.FinishReason = s.choices[0].finish
		}
		g.Usage = s.usage
		g.ResponseID = s.id
		if g.Model == "" {
			g.Model = s.model
		} else if s.model != "" && s.model != g.Model {
			c.metaLocked("response_model", s.model)
		}
		if early && !s.done {
			c.metaLocked("stream_closed_early", true)
		}
		return nil
	}, err)
}

// streamError returns the span error of an error event: openai-go ends the
// stream with it.
func streamError(req *http.Request, raw json.RawMessage) *tracing.SpanError {
	var e struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
		Param   json.RawMessage `json:"param"`
	}
	if raw[0] == '"' {
		_ = json.Unmarshal(raw, &e.Message)
	} else {
		_ = json.Unmarshal(raw, &e)
	}
	se := statusError(req, 0, e.Message, e.Type, e.Code, e.Param)
	se.Message = "stream error: " + se.Message
	return se
}
