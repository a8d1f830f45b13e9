package anthropictrace

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// body is the response body of one attempt. It passes every read and close
// through unchanged, and records the call from what goes by: a JSON message
// or error when it has been read to the end, a stream event by event.
type body struct {
	c          *call
	rc         io.ReadCloser
	status     int
	header     http.Header
	attempt    int          // c.attempts when the answer came
	resendable bool         // the request can be sent again
	stream     *streamState // nil for a JSON body
	buf        []byte       // a JSON body, as read so far
	over       bool         // buf stopped at maxCapture

	// guarded by c.mu
	read   bool // Read was called
	parked bool // the call waits for a retry unless this body is read
	done   bool // the body records nothing more
}

// Read reads from the response body and records what it read.
func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	c := b.c
	c.mu.Lock()
	if !b.done {
		guard(func() { b.consume(p[:n], err) })
	}
	c.mu.Unlock()
	return n, err
}

// Close closes the response body. An answer closed unread is one the
// client retries (or gives up on: the waiting call's timer ends it); any
// other close ends the call with what was read.
func (b *body) Close() error {
	err := b.rc.Close()
	c := b.c
	c.mu.Lock()
	if !b.done {
		guard(func() {
			if !b.read && b.parked {
				b.done = true
				return
			}
			b.complete(true)
		})
	}
	c.mu.Unlock()
	return err
}

// consume records p, read with err. c.mu is held.
func (b *body) consume(p []byte, err error) {
	c := b.c
	if c.ended || b.attempt != c.attempts {
		b.done = true // another attempt, or the end of the call, came first
		return
	}
	if !b.read {
		b.read = true
		if b.parked {
			b.parked = false
			if !c.t.unpark(c) { // the call's timer ended it already
				b.done = true
				return
			}
		}
	}
	if b.stream != nil {
		if b.stream.feed(p, c.now) {
			b.complete(false)
			return
		}
	} else if !b.over {
		if len(b.buf)+len(p) > maxCapture {
			b.over, b.buf = true, nil
		} else {
			b.buf = append(b.buf, p...)
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		b.complete(false)
	default:
		b.failed(err)
	}
}

// failed records a body that could not be read to the end. The client
// retries a JSON answer whose body dropped, as after a network error; a
// stream is the caller's to read, and is never retried.
func (b *body) failed(err error) {
	c := b.c
	b.done = true
	se := transportError(err)
	if b.stream == nil && b.resendable && c.retry < c.t.cfg.maxRetries {
		c.t.park(c, se, retryWait(nil, c.retry))
		return
	}
	if b.stream != nil {
		b.stream.result(c.gen)
	}
	c.finish(se)
}

// complete ends the call with what the body gave; closed tells that the
// body was closed rather than read to its end. c.mu is held.
func (b *body) complete(closed bool) {
	c := b.c
	b.done = true
	if c.ended || b.attempt != c.attempts {
		return
	}
	if b.stream != nil {
		s := b.stream
		s.result(c.gen)
		var se *tracing.SpanError
		switch {
		case s.err != nil:
			se = eventError(s.err)
		case !s.stopped && !closed:
			se = &tracing.SpanError{Message: "stream ended before message_stop"}
		}
		c.finish(se)
		return
	}
	if b.status >= 400 {
		c.finish(statusError(b.status, b.header, b.buf))
		return
	}
	if len(b.buf) > 0 {
		var r wireResponse
		dst := any(&r)
		if !c.content {
			dst = &r.wireResult
		}
		if json.Unmarshal(b.buf, dst) == nil {
			responseData(c.gen, &r, c.content)
		}
		b.buf = nil
	}
	c.finish(nil)
}
