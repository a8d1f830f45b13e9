package openaitrace

// The cost the middleware adds to a call:
//
//	go test -run '^$' -bench . -benchmem -count=6 . | tee bench.txt
//	benchstat -col /impl bench.txt
//
// BenchmarkClient* make real openai-go calls to a server on 127.0.0.1:
// without the middleware (impl=bare), with a middleware that only calls
// the next handler (impl=noop: what openai-go itself spends on having a
// middleware), with this one and no trace in the context (impl=off), and
// with it recording into a provider with no processors (impl=on).
// BenchmarkMiddleware calls the middleware alone, around a handler
// answering at once from memory, so the difference is all the
// middleware's.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// benchServer answers every chat completion with supportReply, or with
// the stream of streamEvents when asked for a stream.
func benchServer(b *testing.B) *fakeAPI {
	f := &fakeAPI{t: b}
	f.Server = newBenchHTTP()
	b.Cleanup(f.Close)
	return f
}

// noop is a middleware that does nothing.
func noop(req *http.Request, next option.MiddlewareNext) (*http.Response, error) { return next(req) }

func benchClient(f *fakeAPI, impl string) *openai.Client {
	opts := []option.RequestOption{option.WithBaseURL(f.URL + "/v1/"), option.WithAPIKey(testKey), option.WithHTTPClient(f.Client())}
	switch impl {
	case "noop":
		opts = append(opts, option.WithMiddleware(noop))
	case "off", "on":
		opts = append(opts, option.WithMiddleware(Middleware()))
	}
	c := openai.NewClient(opts...)
	return &c
}

// benchContexts returns the contexts of the three cases.
func benchContexts(b *testing.B) map[string]context.Context {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	b.Cleanup(tr.End)
	return map[string]context.Context{"bare": context.Background(), "noop": context.Background(), "off": context.Background(), "on": ctx}
}

func BenchmarkClientChat(b *testing.B) {
	f := benchServer(b)
	params := supportParams()
	for _, impl := range []string{"bare", "noop", "off", "on"} {
		b.Run("impl="+impl, func(b *testing.B) {
			client := benchClient(f, impl)
			ctx := benchContexts(b)[impl]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.Chat.Completions.New(ctx, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkClientChatStream(b *testing.B) {
	f := benchServer(b)
	params := streamParams()
	for _, impl := range []string{"bare", "noop", "off", "on"} {
		b.Run("impl="+impl, func(b *testing.B) {
			client := benchClient(f, impl)
			ctx := benchContexts(b)[impl]
			b.ReportAllocs()
			for b.Loop() {
				s := client.Chat.Completions.NewStreaming(ctx, params)
				for s.Next() {
				}
				if err := s.Err(); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

// BenchmarkMiddleware measures the middleware alone on a chat completion:
// the request as openai-go sends it, the reply read to its end as
// openai-go reads it.
func BenchmarkMiddleware(b *testing.B) {
	body, err := supportParams().MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	reply := []byte(supportReply)
	next := func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(bytes.NewReader(reply))}, nil
	}
	mw := Middleware()
	for _, impl := range []string{"bare", "off", "on"} {
		b.Run("impl="+impl, func(b *testing.B) {
			ctx := benchContexts(b)[impl]
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.openai.com/v1/chat/completions", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-Stainless-Retry-Count", "0")
			b.ReportAllocs()
			for b.Loop() {
				var res *http.Response
				if impl == "bare" {
					res, err = next(req)
				} else {
					res, err = mw(req, next)
				}
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, res.Body); err != nil {
					b.Fatal(err)
				}
				res.Body.Close()
			}
		})
	}
}

// newBenchHTTP returns a server answering chat completions at once.
func newBenchHTTP() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if !bytes.Contains(b, []byte(`"stream":true`)) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, supportReply)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, strings.Join(streamReply(streamEvents...), ""))
	}))
}
