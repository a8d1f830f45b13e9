package openaitrace

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// Retry waits, as openai-go computes them: a server's Retry-After-Ms or
// Retry-After up to maxRetryAfter, else a backoff from half a second,
// doubling, up to maxBackoff.
const (
	maxRetryAfter = 2 * time.Minute
	maxBackoff    = 8 * time.Second
	// retryGrace is how long past its expected time a retry may come and
	// still count as an attempt of the parked call.
	retryGrace = 5 * time.Second
)

// callKey identifies the attempts of one logical call: they share the
// parent span (the request context's), the endpoint and the request body.
// Two calls alike in all three are indistinguishable, and either may take
// the other's retry.
type callKey struct {
	scope any // *tracing.Span or *tracing.Trace
	ep    endpoint
	sum   uint64 // of the request body
}

// pendingCalls holds the calls whose last attempt failed in a way the
// client retries, until their next attempt claims them, or they end: when
// the retry is overdue or the request's context is done first.
type pendingCalls struct {
	mu    sync.Mutex
	calls map[callKey][]*call
}

// park holds c until its retry claims it. When none has within wait, or
// when ctx is done first, c ends with err.
func (p *pendingCalls) park(c *call, err *tracing.SpanError, wait time.Duration, ctx context.Context) {
	p.mu.Lock()
	if p.calls == nil {
		p.calls = make(map[callKey][]*call)
	}
	p.calls[c.key] = append(p.calls[c.key], c)
	p.mu.Unlock()

	t := time.AfterFunc(wait, func() {
		if p.remove(c) {
			c.end(err)
		}
	})
	stopCtx := context.AfterFunc(ctx, func() {
		if p.remove(c) {
			e := *err
			e.Message += " (retry abandoned: " + errorText(context.Cause(ctx)) + ")"
			c.end(&e)
		}
	})
	c.mu.Lock()
	c.lastErr, c.stopWait = err, func() { t.Stop(); stopCtx() }
	c.mu.Unlock()
}

// claim returns the call parked longest under k, no longer parked, or nil.
func (p *pendingCalls) claim(k callKey) *call {
	p.mu.Lock()
	list := p.calls[k]
	if len(list) == 0 {
		p.mu.Unlock()
		return nil
	}
	c := list[0]
	if len(list) == 1 {
		delete(p.calls, k)
	} else {
		p.calls[k] = list[1:]
	}
	p.mu.Unlock()
	c.mu.Lock()
	stop := c.stopWait
	c.lastErr, c.stopWait = nil, nil
	c.mu.Unlock()
	if stop != nil {
		stop()
	}
	return c
}

// remove takes c out of the pending calls; it reports whether c was there.
func (p *pendingCalls) remove(c *call) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.calls[c.key]
	for i, e := range list {
		if e == c {
			list = append(list[:i:i], list[i+1:]...)
			if len(list) == 0 {
				delete(p.calls, c.key)
			} else {
				p.calls[c.key] = list
			}
			return true
		}
	}
	return false
}

// count returns the number of parked calls.
func (p *pendingCalls) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.calls {
		n += len(l)
	}
	return n
}

// retryable reports whether openai-go retries a request answered with res:
// as the server's x-should-retry header says, else for 408, 409, 429 and
// 5xx.
func retryable(res *http.Response) bool {
	switch res.Header.Get("X-Should-Retry") {
	case "true":
		return true
	case "false":
		return false
	}
	s := res.StatusCode
	return s == http.StatusRequestTimeout || s == http.StatusConflict || s == http.StatusTooManyRequests || s >= 500
}

// retryWait returns how long after the failed attempt number attempt
// (from 0) its retry is due, with retryGrace added. res is nil after a
// network error.
func retryWait(res *http.Response, attempt int) time.Duration {
	if res != nil {
		if ms, err := strconv.ParseFloat(res.Header.Get("Retry-After-Ms"), 64); err == nil && ms > 0 {
			return min(time.Duration(ms*float64(time.Millisecond)), maxRetryAfter) + retryGrace
		}
		if ra := res.Header.Get("Retry-After"); ra != "" {
			if s, err := strconv.ParseFloat(ra, 64); err == nil && s > 0 {
				return min(time.Duration(s*float64(time.Second)), maxRetryAfter) + retryGrace
			}
			if t, err := http.ParseTime(ra); err == nil {
				return min(max(time.Until(t), 0), maxRetryAfter) + retryGrace
			}
		}
	}
	d := maxBackoff
	if attempt < 4 {
		d = min(500*time.Millisecond<<attempt, maxBackoff)
	}
	return max(d, 0) + retryGrace
}
