package anthropictrace

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// maxCapture bounds the bytes of a request or response body that a span
// decodes; a larger body is recorded without its content.
const maxCapture = 32 << 20

// maxErrorText bounds the API error message recorded on a span.
const maxErrorText = 1 << 10

// call is one logical Messages API call: one span, over one or more
// attempts.
type call struct {
	t       *tracer
	key     callKey
	span    *tracing.Span
	gen     *spans.Generation
	now     func() time.Time
	content bool // record messages: the provider keeps sensitive data

	// guarded by t.mu
	timer     *time.Timer
	parkedErr *tracing.SpanError

	mu       sync.Mutex
	attempts int // attempts made so far
	retry    int // the current attempt's number, 0 for the first
	ended    bool
}

// begin counts a new attempt, numbered retry by the client when known.
func (c *call) begin(retry int, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempts++
	if known {
		c.retry = retry
		c.attempts = max(c.attempts, retry+1)
	} else {
		c.retry = c.attempts - 1
	}
}

// answered handles the outcome of the current attempt: a network error
// ends the call or waits for the next attempt; a response gets a body
// that records the call as it is read.
func (c *call) answered(req *http.Request, res *http.Response, err error, resendable bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || res == nil {
		se := transportError(err)
		if resendable && c.retry < c.t.cfg.maxRetries && !canceled(req.Context()) {
			c.t.park(c, se, retryWait(nil, c.retry))
			return
		}
		c.finish(se)
		return
	}
	if res.Body == nil {
		c.finish(statusError(res.StatusCode, res.Header, nil))
		return
	}
	b := &body{c: c, rc: res.Body, status: res.StatusCode, header: res.Header, attempt: c.attempts, resendable: resendable}
	if res.StatusCode < 300 && isEventStream(res.Header) {
		c.gen.Stream = true
		b.stream = &streamState{content: c.content}
	}
	res.Body = b
	// The client reads an answer that ends the call, and closes one that it
	// retries unread: the body tells which it is. Until then the call waits
	// as if retried, in case the client gives up without either.
	if resendable && retryable(res) {
		b.parked = true
		c.t.park(c, statusError(res.StatusCode, res.Header, nil), retryWait(res, c.retry))
	}
}

// finish ends the call's span with err (nil for success). c.mu is held.
func (c *call) finish(err *tracing.SpanError) {
	if c.ended {
		return
	}
	c.ended = true
	if err != nil {
		c.span.SetError(err)
	}
	c.span.SetMetadata("attempts", c.attempts)
	c.span.End()
}

// transportError describes an attempt that got no response.
func transportError(err error) *tracing.SpanError {
	if err == nil {
		return &tracing.SpanError{Message: "no response"}
	}
	return &tracing.SpanError{Message: safetext.Error(err)}
}

// statusError describes an error response from its status and body
// ({"type":"error","error":{"type","message"}}), which may be nil. It
// records the status, the API's error type and message and the request id.
func statusError(status int, h http.Header, body []byte) *tracing.SpanError {
	data := map[string]any{"status_code": status}
	msg := strconv.Itoa(status) + " " + http.StatusText(status)
	var w wireError
	if len(body) > 0 && json.Unmarshal(body, &w) == nil && w.Error != nil {
		text := clip(w.Error.Message, maxErrorText)
		data["type"], data["message"] = w.Error.Type, text
		msg = strconv.Itoa(status) + " " + w.Error.Type + ": " + text
	}
	if id := h.Get("request-id"); id != "" {
		data["request_id"] = id
	} else if w.RequestID != "" {
		data["request_id"] = w.RequestID
	}
	return &tracing.SpanError{Message: msg, Data: data}
}

// eventError describes the error event of a stream.
func eventError(w *wireError) *tracing.SpanError {
	text := clip(w.Error.Message, maxErrorText)
	return &tracing.SpanError{
		Message: w.Error.Type + ": " + text,
		Data:    map[string]any{"type": w.Error.Type, "message": text},
	}
}

func isEventStream(h http.Header) bool {
	ct := h.Get("Content-Type")
	return len(ct) >= len("text/event-stream") && ct[:len("text/event-stream")] == "text/event-stream"
}

// clip returns s cut to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
