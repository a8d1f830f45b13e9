package anthropictrace

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
)

// streamState assembles a streamed message from its server-sent events as
// they are read: message_start, content_block_start, content_block_delta
// (text, tool input JSON, thinking), message_delta, message_stop, error.
type streamState struct {
	content bool // keep the text of the message

	line []byte // a line not yet ended by the bytes read so far
	data []byte // the data lines of the event being read
	size int    // bytes buffered in line and data

	id, model  string
	stopReason string
	usage      wireUsage
	hasUsage   bool
	blocks     []streamBlock
	firstToken time.Time

	stopped bool       // message_stop was seen
	err     *wireError // the error event, if any
}

// streamBlock is one content block being assembled.
type streamBlock struct {
	b        wireBlock
	text     []byte
	thinking []byte
	input    []byte
	deltas   bool // input_json_delta seen: input replaces the block's initial {}
}

// feed parses p, the next bytes of the stream, and reports whether the
// stream is over (message_stop or an error event).
func (s *streamState) feed(p []byte, now func() time.Time) bool {
	for len(p) > 0 && !s.stopped && s.err == nil {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.buffer(&s.line, p)
			return false
		}
		line := p[:i]
		if len(s.line) > 0 {
			s.buffer(&s.line, line)
			line = s.line
		}
		s.handleLine(bytes.TrimSuffix(line, []byte{'\r'}), now)
		s.line = s.line[:0]
		p = p[i+1:]
	}
	return s.stopped || s.err != nil
}

// buffer appends p to *dst, unless the stream's buffers would pass
// maxCapture: such an event is lost, the rest of the stream is not.
func (s *streamState) buffer(dst *[]byte, p []byte) {
	if s.size+len(p) > maxCapture {
		return
	}
	s.size += len(p)
	*dst = append(*dst, p...)
}

func (s *streamState) handleLine(line []byte, now func() time.Time) {
	if len(line) == 0 {
		if len(s.data) > 0 {
			s.event(s.data, now)
		}
		s.data, s.size = s.data[:0], 0
		return
	}
	v, ok := bytes.CutPrefix(line, []byte("data:"))
	if !ok {
		return // event:, id:, retry: and comments; the data carries the type
	}
	v = bytes.TrimPrefix(v, []byte{' '})
	if len(s.data) > 0 {
		s.buffer(&s.data, []byte{'\n'})
	}
	s.buffer(&s.data, v)
}

// event applies the data of one event.
func (s *streamState) event(data []byte, now func() time.Time) {
	var ev wireEvent
	if json.Unmarshal(data, &ev) != nil {
		return
	}
	switch ev.Type {
	case "message_start":
		if m := ev.Message; m != nil {
			s.id, s.model = m.ID, m.Model
			if m.Usage != nil {
				mergeUsage(&s.usage, m.Usage)
				s.hasUsage = true
			}
		}
	case "content_block_start":
		if !s.content || ev.Index < 0 || ev.Index > len(s.blocks) {
			return
		}
		var sb streamBlock
		_ = json.Unmarshal(ev.ContentBlock, &sb.b)
		sb.text = append(sb.text, sb.b.Text...)
		sb.thinking = append(sb.thinking, sb.b.Thinking...)
		sb.input = append(sb.input, sb.b.Input...)
		if ev.Index == len(s.blocks) {
			s.blocks = append(s.blocks, streamBlock{})
		}
		s.blocks[ev.Index] = sb
	case "content_block_delta":
		if s.firstToken.IsZero() {
			s.firstToken = now()
		}
		if !s.content || ev.Delta == nil || ev.Index < 0 || ev.Index >= len(s.blocks) {
			return
		}
		sb := &s.blocks[ev.Index]
		switch ev.Delta.Type {
		case "text_delta":
			sb.text = append(sb.text, ev.Delta.Text...)
		case "thinking_delta":
			sb.thinking = append(sb.thinking, ev.Delta.Thinking...)
		case "input_json_delta":
			if !sb.deltas {
				sb.deltas, sb.input = true, sb.input[:0]
			}
			sb.input = append(sb.input, ev.Delta.PartialJSON...)
		}
	case "message_delta":
		if ev.Delta != nil && ev.Delta.StopReason != "" {
			s.stopReason = ev.Delta.StopReason
		}
		if ev.Usage != nil {
			mergeUsage(&s.usage, ev.Usage)
			s.hasUsage = true
		}
	case "message_stop":
		s.stopped = true
	case "error":
		var w wireError
		if json.Unmarshal(data, &w) == nil && w.Error != nil {
			s.err = &w
		}
	}
}

// result fills gen with the message assembled so far.
func (s *streamState) result(gen *spans.Generation) {
	r := wireResponse{wireResult: wireResult{ID: s.id, Model: s.model, StopReason: s.stopReason}}
	if s.hasUsage {
		r.Usage = &s.usage
	}
	responseData(gen, &r, false)
	if !s.firstToken.IsZero() {
		gen.FirstTokenAt = s.firstToken
	}
	if s.content && (len(s.blocks) > 0 || s.stopped) {
		blocks := make([]wireBlock, len(s.blocks))
		for i := range s.blocks {
			sb := &s.blocks[i]
			b := sb.b
			b.Text, b.Thinking = string(sb.text), string(sb.thinking)
			if len(sb.input) > 0 {
				b.Input = sb.input
			}
			blocks[i] = b
		}
		gen.Output = []spans.Message{outputMessage(blocks)}
	}
}
