package anthropictrace_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// benchCtx returns a context under an agent span of a provider that
// records into a processor doing nothing.
func benchCtx(b *testing.B) context.Context {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	b.Cleanup(func() { agent.End(); tr.End() })
	return ctx
}

// BenchmarkMiddleware measures the middleware alone, around a stand-in for
// the HTTP client that answers at once: the request body is read and
// decoded, the response read to its end and closed, as the client does.
func BenchmarkMiddleware(b *testing.B) {
	reqBody, err := weatherParams().MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, file, contentType string
		recorded                bool
	}{
		{"unrecorded", "message_tool_use.json", "application/json", false},
		{"recorded", "message_tool_use.json", "application/json", true},
		{"unrecorded-stream", "stream_tool_use.sse", "text/event-stream", false},
		{"recorded-stream", "stream_tool_use.sse", "text/event-stream", true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			mw := anthropictrace.Middleware()
			next := cannedNext(readFile(b, c.file), c.contentType)
			ctx := context.Background()
			if c.recorded {
				ctx = benchCtx(b)
			}
			buf := make([]byte, 4096)
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1/v1/messages", bytes.NewReader(reqBody))
				req.Header.Set("X-Stainless-Retry-Count", "0")
				res, err := mw(req, next)
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, err := res.Body.Read(buf); err != nil {
						break
					}
				}
				_ = res.Body.Close()
			}
		})
	}
}

// BenchmarkMessagesNew measures a whole call of the real client to a
// local server: without middleware, with a middleware that does nothing
// (what the client spends on any middleware), with this one outside any
// trace, and with it recording. The differences are the middleware's cost
// per call.
func BenchmarkMessagesNew(b *testing.B) {
	api := newFakeAPI(&testing.T{}, reply{file: "message_tool_use.json"})
	defer api.srv.Close()
	noop := option.WithMiddleware(func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) { return next(req) })
	for _, c := range []struct {
		name     string
		mw       []anthropictrace.Option
		extra    []option.RequestOption
		recorded bool
	}{
		{"bare", nil, nil, false},
		{"noop-middleware", nil, []option.RequestOption{noop}, false},
		{"unrecorded", traced, nil, false},
		{"recorded", traced, nil, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			client := api.client(c.mw, c.extra...)
			ctx := context.Background()
			if c.recorded {
				ctx = benchCtx(b)
			}
			params := weatherParams()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.Messages.New(ctx, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
