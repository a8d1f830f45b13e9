package anthropictrace_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// discard is a processor that does nothing, to measure the middleware alone.
type discard struct{}

func (discard) OnTraceStart(*tracing.Trace)      {}
func (discard) OnTraceEnd(*tracing.Trace)        {}
func (discard) OnSpanStart(*tracing.Span)        {}
func (discard) OnSpanEnd(*tracing.Span)          {}
func (discard) ForceFlush(context.Context) error { return nil }
func (discard) Shutdown(context.Context) error   { return nil }

// cannedNext stands in for the HTTP client: it answers every attempt with
// body, as a fresh response.
func cannedNext(body []byte, contentType string) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: 200, Header: http.Header{"Content-Type": {contentType}},
			Body: io.NopCloser(bytes.NewReader(body)), Request: req,
		}, nil
	}
}

// TestUnrecordedAllocatesNothing pins the cost of a call whose context
// holds no recorded trace, and of a request that is no model call.
func TestUnrecordedAllocatesNothing(t *testing.T) {
	mw := anthropictrace.Middleware()
	res := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := func(*http.Request) (*http.Response, error) { return res, nil }

	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	traceCtx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	hidden, _ := tracing.StartSpan(traceCtx, &spans.Agent{Name: "a"}, tracing.WithSpanDisabled(true))

	for _, c := range []struct {
		name string
		ctx  context.Context
		path string
	}{
		{"no trace", context.Background(), "/v1/messages"},
		{"disabled span", hidden, "/v1/messages"},
		{"another endpoint", traceCtx, "/v1/models"},
	} {
		req, err := http.NewRequestWithContext(c.ctx, http.MethodPost, "http://127.0.0.1"+c.path, http.NoBody)
		if c.path == "/v1/models" {
			req.Method = http.MethodGet
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := testing.AllocsPerRun(1000, func() { _, _ = mw(req, next) }); got != 0 {
			t.Errorf("%s: %v allocs per call, want 0", c.name, got)
		}
	}
}
