package anthropictrace

import (
	"bytes"
	"context"
	"errors"
	"hash/maphash"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Middleware returns a client middleware that records each Messages API
// call (POST /v1/messages, streamed or not, beta included) as a
// [spans.Generation] span, a child of the span current in the call's
// context. Other requests pass through untouched, and so do all requests
// whose context holds no recorded trace ([tracing.Recording]), at the
// cost of a context lookup. Defaults: [DefaultProvider] and
// [DefaultMaxRetries]. Use it as
//
//	client := anthropic.NewClient(option.WithMiddleware(anthropictrace.Middleware()))
//
// Give it first among the client's middlewares, so that it sees the
// request and the response as the client does. The middleware is safe for
// concurrent use; one middleware may serve any number of clients.
func Middleware(opts ...Option) option.Middleware {
	t := &tracer{cfg: newConfig(opts), seed: maphash.MakeSeed(), pending: make(map[callKey][]*call)}
	return t.handle
}

// tracer is the state of one middleware: its settings, and the calls
// waiting for their next attempt.
type tracer struct {
	cfg  config
	seed maphash.Seed

	mu      sync.Mutex
	pending map[callKey][]*call
}

// callKey tells which attempts may belong to one call: those made under
// the same current span (or trace) with the same request body.
type callKey struct {
	parent any    // the ctx's *tracing.Span, or its *tracing.Trace
	body   uint64 // the request body's hash
}

func (t *tracer) handle(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	if req.Method != http.MethodPost || req.URL == nil || !strings.HasSuffix(req.URL.Path, "/v1/messages") ||
		!tracing.Recording(req.Context()) {
		return next(req)
	}
	return t.attempt(req, next)
}

// attempt sends one attempt of a recorded call: the first one starts the
// call's span, a retry joins the call waiting for it.
func (t *tracer) attempt(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	resendable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	body, ok := takeBody(req)
	if !ok {
		return next(req)
	}
	retry, known := retryCount(req)
	var c *call
	guard(func() {
		key := callKey{parent: parentOf(req.Context()), body: maphash.Bytes(t.seed, body)}
		if c = t.adopt(key, retry, known); c == nil {
			c = t.start(req, body, key)
		}
		if c != nil {
			c.begin(retry, known)
		}
	})
	if c == nil {
		return next(req)
	}
	res, err := next(req)
	guard(func() { c.answered(req, res, err, resendable) })
	return res, err
}

// start starts the span of a new call.
func (t *tracer) start(req *http.Request, body []byte, key callKey) *call {
	ctx := req.Context()
	p := tracing.TraceFromContext(ctx).Provider()
	content := p.IncludesSensitiveData()
	gen := &spans.Generation{Provider: t.cfg.provider}
	requestData(gen, body, content)
	if u := baseURL(req.URL); u != "" {
		if gen.ModelConfig == nil {
			gen.ModelConfig = make(map[string]any, 1)
		}
		gen.ModelConfig["base_url"] = u
	}
	_, span := tracing.StartSpan(ctx, gen)
	if span == nil {
		return nil
	}
	return &call{t: t, key: key, span: span, gen: gen, now: p.Now, content: content}
}

// adopt returns the call waiting for the attempt retry of key, and takes
// it off the waiting list; nil when none waits. A first attempt (retry 0,
// as the client numbers it) is always a new call.
func (t *tracer) adopt(key callKey, retry int, known bool) *call {
	if known && retry == 0 {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	list := t.pending[key]
	if len(list) == 0 {
		return nil
	}
	c := list[0]
	t.remove(key, 0)
	c.timer.Stop()
	return c
}

// park puts c on the waiting list until its next attempt, or until wait
// has passed: then the call ends with err, the error of its last attempt.
func (t *tracer) park(c *call, err *tracing.SpanError, wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c.parkedErr = err
	t.pending[c.key] = append(t.pending[c.key], c)
	c.timer = time.AfterFunc(wait, func() { t.expire(c) })
}

// unpark takes c off the waiting list and reports whether it was on it:
// false means that a next attempt or the timer took it first.
func (t *tracer) unpark(c *call) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := slices.Index(t.pending[c.key], c)
	if i < 0 {
		return false
	}
	t.remove(c.key, i)
	c.timer.Stop()
	return true
}

func (t *tracer) remove(key callKey, i int) {
	list := slices.Delete(t.pending[key], i, i+1)
	if len(list) == 0 {
		delete(t.pending, key)
	} else {
		t.pending[key] = list
	}
}

// expire ends a call whose next attempt did not come in time: the client
// gave up (its context ended), or it had no retry left.
func (t *tracer) expire(c *call) {
	if !t.unpark(c) {
		return
	}
	guard(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.finish(c.parkedErr)
	})
}

// takeBody reads the request body and puts an unread copy in its place.
// When the body cannot be read, the request gets what was read followed by
// the same error, and takeBody reports false.
func takeBody(req *http.Request) ([]byte, bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, true
	}
	var buf bytes.Buffer
	if req.ContentLength > 0 {
		buf.Grow(int(min(req.ContentLength, maxCapture)))
	}
	_, err := buf.ReadFrom(req.Body)
	_ = req.Body.Close()
	b := buf.Bytes()
	if err != nil {
		req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{err}))
		return nil, false
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	if req.GetBody != nil {
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	return b, true
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// parentOf returns what the spans started in ctx are children of.
func parentOf(ctx context.Context) any {
	if s := tracing.SpanFromContext(ctx); s != nil {
		return s
	}
	return tracing.TraceFromContext(ctx)
}

// baseURL returns the scheme, host and path prefix that the client sends
// the call to (the client's base URL), without user information or query.
func baseURL(u *url.URL) string {
	if u == nil || u.Host == "" {
		return ""
	}
	prefix, _ := strings.CutSuffix(u.Path, "/v1/messages")
	return u.Scheme + "://" + u.Host + prefix
}

// guard runs f; a panic in f goes no further, so that a fault in the
// middleware never reaches the traced program.
func guard(f func()) {
	defer func() { _ = recover() }()
	f()
}

// canceled reports whether ctx was canceled (rather than timed out): the
// caller gave up, and the client makes no further attempt.
func canceled(ctx context.Context) bool {
	return errors.Is(ctx.Err(), context.Canceled)
}
