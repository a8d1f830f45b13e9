package openaitrace

import (
	"bytes"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// streamHandler receives the events of a server-sent event stream.
type streamHandler interface {
	// event handles one event and reports whether it ends the stream.
	event(typ string, data []byte) (done bool)
	// finish ends the call with what the stream held: err is a failure to
	// read it, early a Close before its end.
	finish(err *tracing.SpanError, early bool)
}

// sseReader splits the bytes of a text/event-stream into events, as
// openai-go's decoder does: lines end with LF (a CR before it is dropped),
// "event:" names the event, "data:" lines are joined with LF, ":" lines
// are comments, and a blank line dispatches the event.
type sseReader struct {
	handler streamHandler
	line    []byte
	long    bool // the current line is over maxBody and is dropped
	typ     string
	data    []byte
	ended   bool
}

// feed reads p and reports whether the stream has ended.
func (s *sseReader) feed(p []byte) bool {
	for len(p) > 0 && !s.ended {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.add(p)
			return false
		}
		s.add(p[:i])
		p = p[i+1:]
		s.endLine()
	}
	return s.ended
}

func (s *sseReader) add(p []byte) {
	if s.long {
		return
	}
	if len(s.line)+len(p) > maxBody {
		s.long, s.line = true, s.line[:0]
		return
	}
	s.line = append(s.line, p...)
}

func (s *sseReader) endLine() {
	line := bytes.TrimSuffix(s.line, []byte{'\r'})
	long := s.long
	s.line, s.long = s.line[:0], false
	if long {
		return
	}
	if len(line) == 0 {
		if len(s.data) > 0 {
			data := bytes.TrimSuffix(s.data, []byte{'\n'})
			s.ended = s.handler.event(s.typ, data)
		}
		s.typ, s.data = "", s.data[:0]
		return
	}
	name, value, _ := bytes.Cut(line, []byte{':'})
	value = bytes.TrimPrefix(value, []byte{' '})
	switch string(name) {
	case "event":
		s.typ = string(value)
	case "data":
		if len(s.data)+len(value) < maxBody {
			s.data = append(append(s.data, value...), '\n')
		}
	}
}
