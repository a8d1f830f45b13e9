package openaitrace

import (
	"bytes"
	"context"
	"hash/maphash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/openai/openai-go/v3/option"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// maxBody bounds the bytes of a request or response body the middleware
// keeps to read the span data from. A larger response body passes to the
// program whole; its span keeps the usage and model (found at the end of
// the body) and leaves the output out.
const maxBody = 16 << 20

// Middleware returns an openai-go middleware that records each Chat
// Completions, Responses and Embeddings call made with a context holding a
// recorded trace as a span, a child of the context's current span:
//
//	client := openai.NewClient(option.WithMiddleware(openaitrace.Middleware()))
//
// With no recorded trace in the request's context it only calls the next
// handler. Other requests (files, images, ...) pass through untouched. The
// defaults are [DefaultMaxRetries] and the provider named from the request's
// host. The middleware is safe for concurrent use; use one per client.
func Middleware(opts ...Option) option.Middleware {
	return newMiddleware(opts...).handle
}

func newMiddleware(opts ...Option) *middleware {
	m := &middleware{cfg: config{maxRetries: DefaultMaxRetries}, seed: maphash.MakeSeed()}
	for _, o := range opts {
		if o != nil {
			o.apply(&m.cfg)
		}
	}
	return m
}

// middleware holds the settings and the calls waiting for a retry.
type middleware struct {
	cfg     config
	seed    maphash.Seed
	pending pendingCalls
}

// endpoint is the API a request calls.
type endpoint uint8

const (
	notTraced endpoint = iota
	chatCompletions
	responsesAPI
	embeddings
)

// endpointOf returns the API that req calls, by the end of its path (so
// that Azure's /openai/deployments/{name}/chat/completions and any base
// URL prefix match too).
func endpointOf(req *http.Request) endpoint {
	if req.Method != http.MethodPost || req.URL == nil {
		return notTraced
	}
	p := strings.TrimSuffix(req.URL.Path, "/")
	switch {
	case strings.HasSuffix(p, "/chat/completions"):
		return chatCompletions
	case strings.HasSuffix(p, "/responses"):
		return responsesAPI
	case strings.HasSuffix(p, "/embeddings"):
		return embeddings
	}
	return notTraced
}

func (m *middleware) handle(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	if req == nil || !tracing.Recording(req.Context()) {
		return next(req)
	}
	ep := endpointOf(req)
	if ep == notTraced {
		return next(req)
	}
	c := m.begin(req, ep)
	if c == nil {
		return next(req)
	}
	returned := false
	defer func() {
		if !returned { // next panicked: end the span, let the panic go on
			c.end(&tracing.SpanError{Message: "request panicked"})
		}
	}()
	res, err := next(req)
	returned = true
	return m.settle(c, req, res, err), err
}

// begin returns the call that req is an attempt of: a call waiting for its
// retry, when req is one, or a new call with its span started. It returns
// nil when nothing is to be recorded, and when it fails: tracing never
// stands in the request's way.
func (m *middleware) begin(req *http.Request, ep endpoint) (c *call) {
	defer func() {
		if recover() != nil {
			c = nil
		}
	}()
	body := requestBody(req)
	ctx := req.Context()
	key := callKey{scope: scopeOf(ctx), ep: ep, sum: maphash.Bytes(m.seed, body)}
	if retryCount(req) != 0 {
		if c := m.pending.claim(key); c != nil {
			c.attempt()
			return c
		}
	}
	return m.newCall(ctx, req, ep, key, body)
}

// settle records the outcome of one attempt. A failure the client may
// retry parks the call until its next attempt; a response's body is
// wrapped so that the span ends when the body has been read or closed.
// It returns the response to give the program: res, with only its Body
// replaced by a wrapper that yields the same bytes.
func (m *middleware) settle(c *call, req *http.Request, res *http.Response, err error) (out *http.Response) {
	defer func() {
		if recover() != nil {
			out = res
			c.end(&tracing.SpanError{Message: "openaitrace: internal error"})
		}
	}()
	if err != nil {
		se := transportError(req, err)
		if req.Context().Err() == nil && c.attempts() <= m.cfg.maxRetries {
			m.pending.park(c, se, retryWait(nil, c.attempts()-1), req.Context())
		} else {
			c.end(se)
		}
		return res
	}
	if res == nil {
		c.end(&tracing.SpanError{Message: "no response"})
		return nil
	}
	if res.Body == nil {
		res.Body = http.NoBody
	}
	res.Body = newBody(m, c, req, res)
	return res
}

// requestBody returns the request's body, up to maxBody bytes, leaving the
// request able to send it: from GetBody when the request has it (openai-go
// always sets it), else by reading Body and putting back what was read.
func requestBody(req *http.Request) []byte {
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, maxBody+1))
		return b
	}
	orig := req.Body
	b, _ := io.ReadAll(io.LimitReader(orig, maxBody+1))
	req.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), orig), orig}
	return b
}

// retryCount returns the attempt number openai-go sends in
// X-Stainless-Retry-Count (0 for the first attempt), or -1 when the header
// is missing or malformed.
func retryCount(req *http.Request) int {
	v := req.Header.Get("X-Stainless-Retry-Count")
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// scopeOf returns the span or trace current in ctx, the parent of the
// spans started with it.
func scopeOf(ctx context.Context) any {
	if s := tracing.SpanFromContext(ctx); s != nil {
		return s
	}
	return tracing.TraceFromContext(ctx)
}
