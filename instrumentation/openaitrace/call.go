package openaitrace

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// call is one logical API call: its span and span data, across the
// attempts the client makes.
type call struct {
	ep      endpoint
	content bool // the provider keeps content: decode it
	key     callKey
	span    *tracing.Span
	gen     *spans.Generation // chatCompletions
	res     *spans.Response   // responsesAPI
	emb     *spans.Embedding  // embeddings

	mu       sync.Mutex
	tries    int
	ended    bool
	meta     map[string]any
	lastErr  *tracing.SpanError // while parked: the error the call ends with if no retry comes
	stopWait func()             // while parked: stops the timer and the context watch
}

// newCall parses the request body into span data for ep and starts the
// call's span; it returns nil when the span is not recorded.
func (m *middleware) newCall(ctx context.Context, req *http.Request, ep endpoint, key callKey, body []byte) *call {
	provider := m.cfg.provider
	if provider == "" {
		provider = providerOf(req.URL)
	}
	c := &call{ep: ep, key: key, tries: 1, content: tracing.TraceFromContext(ctx).Provider().IncludesSensitiveData()}
	var data spans.Data
	switch ep {
	case chatCompletions:
		c.gen = &spans.Generation{Provider: provider}
		c.gen.Stream = chatRequest(body, c.gen, c.content)
		if c.gen.Model == "" {
			c.gen.Model = azureDeployment(req.URL)
		}
		if c.gen.ModelConfig == nil {
			c.gen.ModelConfig = make(map[string]any, 1)
		}
		c.gen.ModelConfig["base_url"] = baseURL(req.URL)
		data = c.gen
	case responsesAPI:
		c.res = &spans.Response{Provider: provider}
		responseRequest(body, c.res, c.content)
		if c.res.Model == "" {
			c.res.Model = azureDeployment(req.URL)
		}
		data = c.res
	case embeddings:
		c.emb = &spans.Embedding{Provider: provider}
		embeddingRequest(body, c.emb, c.content)
		if c.emb.Model == "" {
			c.emb.Model = azureDeployment(req.URL)
		}
		data = c.emb
	}
	_, c.span = tracing.StartSpan(ctx, data)
	if c.span == nil {
		return nil
	}
	return c
}

// attempt counts one more attempt of the call.
func (c *call) attempt() {
	c.mu.Lock()
	c.tries++
	c.mu.Unlock()
}

// attempts returns the number of attempts seen so far.
func (c *call) attempts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tries
}

// metaLocked records a metadata key for the span, set when it ends; c.mu
// must be held.
func (c *call) metaLocked(key string, v any) {
	if c.meta == nil {
		c.meta = make(map[string]any, 2)
	}
	c.meta[key] = v
}

// now returns the time on the span's provider clock.
func (c *call) now() time.Time {
	return c.span.Trace().Provider().Now()
}

// finish fills in the span data with fill (which may be nil, and may
// return the error the response reports), records err (nil for success;
// else it wins over fill's) and the metadata, and ends the span. fill runs
// with c.mu held; a panic in it is recorded as an error. Only the first
// call has an effect.
func (c *call) finish(fill func() *tracing.SpanError, err *tracing.SpanError) {
	first, err, meta, tries := c.settle(fill, err)
	if !first {
		return
	}
	c.span.SetMetadata("attempts", tries)
	for k, v := range meta {
		c.span.SetMetadata(k, v)
	}
	if err != nil {
		c.span.SetError(err)
	}
	c.span.End()
}

// settle marks c ended and runs fill, reporting whether c had not ended
// yet, the error to record, the metadata and the number of attempts.
func (c *call) settle(fill func() *tracing.SpanError, err *tracing.SpanError) (first bool, _ *tracing.SpanError, meta map[string]any, tries int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return false, nil, nil, 0
	}
	c.ended = true
	if fill != nil {
		func() {
			defer func() {
				if recover() != nil {
					err = &tracing.SpanError{Message: "openaitrace: internal error reading the response"}
				}
			}()
			if e := fill(); err == nil {
				err = e
			}
		}()
	}
	return true, err, c.meta, c.tries
}

// end ends the call with err and no more data.
func (c *call) end(err *tracing.SpanError) { c.finish(nil, err) }

// baseURL returns the API base URL of a request: its URL without the
// endpoint path, query and user info (which may hold credentials).
func baseURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	for _, ep := range []string{"/chat/completions", "/responses", "/embeddings"} {
		if p, ok := strings.CutSuffix(strings.TrimSuffix(c.Path, "/"), ep); ok {
			c.Path = p + "/"
			break
		}
	}
	return c.String()
}

// azureDeployment returns the deployment an Azure OpenAI URL names
// (/openai/deployments/{name}/...), the model of a request that names none.
func azureDeployment(u *url.URL) string {
	if u == nil {
		return ""
	}
	_, rest, ok := strings.Cut(u.Path, "/deployments/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	if n, err := url.PathUnescape(name); err == nil {
		return n
	}
	return name
}

// outcomeLocked records the metadata of a response's outcome and returns
// its error; c.mu must be held.
func (c *call) outcomeLocked(o outcome) *tracing.SpanError {
	if o.metaKey != "" {
		c.metaLocked(o.metaKey, o.metaText)
	}
	return o.err
}
