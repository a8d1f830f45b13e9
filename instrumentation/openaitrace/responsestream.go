package openaitrace

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// responseStream follows a streamed Responses API call: the response
// object of its created event, then of its terminal event
// (response.completed, response.incomplete or response.failed), which
// carries the whole output and the usage.
type responseStream struct {
	c     *call
	req   *http.Request
	res   *responseJSON // the latest response object seen
	final bool          // a terminal event was seen
	err   *tracing.SpanError
}

// responseEventJSON is one event of a Responses stream.
type responseEventJSON struct {
	Type     string          `json:"type"`
	Response *responseJSON   `json:"response"`
	Message  string          `json:"message"` // an error event's
	Code     json.RawMessage `json:"code"`
	Param    json.RawMessage `json:"param"`
	Error    json.RawMessage `json:"error"`
}

func (s *responseStream) event(typ string, data []byte) bool {
	var ev responseEventJSON
	if err := json.Unmarshal(data, &ev); err != nil {
		s.err = &tracing.SpanError{Message: "stream: an event is not JSON: " + errorText(err)}
		return true
	}
	if e := bytes.TrimSpace(ev.Error); len(e) > 0 && string(e) != "null" {
		s.err = streamError(s.req, e) // openai-go ends the stream on a top-level error
		return true
	}
	if ev.Type == "" {
		ev.Type = typ
	}
	if ev.Response != nil {
		s.res = ev.Response
	}
	switch ev.Type {
	case "response.completed", "response.incomplete", "response.failed":
		s.final = true
		return true
	case "error":
		se := statusError(s.req, 0, ev.Message, "", ev.Code, ev.Param)
		se.Message = "stream error: " + se.Message
		s.err = se
	}
	return false
}

func (s *responseStream) finish(err *tracing.SpanError, early bool) {
	if err == nil {
		err = s.err
	}
	c := s.c
	c.finish(func() *tracing.SpanError {
		var o outcome
		if s.res != nil {
			o = setResponse(c.res, s.res, c.content)
		}
		if early && !s.final {
			c.metaLocked("stream_closed_early", true)
		}
		return c.outcomeLocked(o)
	}, err)
}
