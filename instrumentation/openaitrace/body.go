package openaitrace

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"sync"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// body wraps a response body: it hands the program every byte as read,
// unchanged, and watches them to end the call's span when the body is read
// to its end, reaches the end of a stream, fails, or is closed.
type body struct {
	rc  io.ReadCloser
	m   *middleware
	c   *call
	req *http.Request
	res *http.Response

	mu      sync.Mutex
	read    bool // a Read was made
	done    bool // the span has ended, or the call is parked
	capture capture
	stream  *sseReader // for an event stream; nil otherwise
}

// newBody wraps res.Body for c.
func newBody(m *middleware, c *call, req *http.Request, res *http.Response) *body {
	b := &body{rc: res.Body, m: m, c: c, req: req, res: res}
	if res.StatusCode < 400 && isEventStream(res.Header.Get("Content-Type")) {
		switch c.ep {
		case chatCompletions:
			b.stream = &sseReader{handler: &chatStream{c: c, req: req}}
		case responsesAPI:
			b.stream = &sseReader{handler: &responseStream{c: c, req: req}}
		}
	}
	return b
}

// isEventStream reports whether a Content-Type is text/event-stream.
func isEventStream(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "text/event-stream"
}

// Read reads from the response body and watches what it read.
func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.observe(p[:n], err)
	return n, err
}

// Close closes the response body. Closing an error response the program
// never read means the client is about to retry it: the call waits for
// that attempt. Closing anything else ends the call's span.
func (b *body) Close() error {
	err := b.rc.Close()
	b.closed()
	return err
}

func (b *body) observe(p []byte, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	defer b.recoverLocked()
	b.read = true
	if b.stream != nil {
		if b.stream.feed(p) {
			b.done = true
			b.stream.handler.finish(nil, false)
			return
		}
	} else {
		b.capture.write(p)
	}
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		b.done = true
		b.endLocked(nil, false)
	default:
		b.done = true
		b.endLocked(&tracing.SpanError{Message: "reading the response: " + scrub(b.req, errorText(err))}, false)
	}
}

func (b *body) closed() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	defer b.recoverLocked()
	b.done = true
	if !b.read && b.req.Context().Err() == nil && retryable(b.res) {
		se := apiError(b.req, b.res.StatusCode, nil)
		b.m.pending.park(b.c, se, retryWait(b.res, b.c.attempts()-1), b.req.Context())
		return
	}
	b.endLocked(nil, true)
}

// endLocked ends the call from what the body held: the stream's assembled
// output, or the parsed JSON response, or the API error. err is a failure
// to read the body; early reports a Close before the end.
func (b *body) endLocked(err *tracing.SpanError, early bool) {
	if b.stream != nil {
		b.stream.handler.finish(err, early)
		return
	}
	status := b.res.StatusCode
	data := b.capture.bytes()
	if status >= 400 {
		se := apiError(b.req, status, data)
		if err != nil && len(data) == 0 {
			se = err
		}
		b.c.end(se)
		return
	}
	b.c.finish(func() *tracing.SpanError { return b.fillLocked(data, early) }, err)
}

// fillLocked fills the span data from a successful JSON response body.
// It runs inside call.finish and returns the error a failed Responses
// API response reports, or, for a body read to its end (not closed early)
// that is not of the endpoint's shape, an error saying so: the client
// fails to decode it too.
func (b *body) fillLocked(data []byte, early bool) *tracing.SpanError {
	c := b.c
	if b.capture.overflow {
		c.metaLocked("output_omitted", "response body over 16 MiB")
		b.capture.fillTail(c)
		return nil
	}
	var ok bool
	var what string
	switch c.ep {
	case chatCompletions:
		var model string
		model, ok = chatResponse(data, c.gen, c.content)
		if ok && model != "" && model != c.gen.Model {
			c.metaLocked("response_model", model)
		}
		what = "a chat completion"
	case responsesAPI:
		var o outcome
		if o, ok = responseResponse(data, c.res, c.content); ok {
			return c.outcomeLocked(o)
		}
		what = "a Responses API response"
	case embeddings:
		ok = embeddingResponse(data, c.emb)
		what = "an embeddings list"
	}
	if ok || early {
		return nil
	}
	return &tracing.SpanError{Message: "the response is not " + what, Data: map[string]any{"status_code": b.res.StatusCode}}
}

// recoverLocked stops a panic of the watching code: the program's read
// goes on, the span ends marked with the failure.
func (b *body) recoverLocked() {
	if r := recover(); r != nil {
		b.done = true
		b.c.end(&tracing.SpanError{Message: "openaitrace: internal error reading the response"})
	}
}
