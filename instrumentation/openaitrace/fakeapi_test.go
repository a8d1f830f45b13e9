package openaitrace

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// testKey is the API key of the test clients; no span may ever show it.
const testKey = "sk-test-4f9a2c7e1b5d8a3f6c0e9b2d"

// reply is one scripted answer of the fake API.
type reply struct {
	status int
	header map[string]string
	body   string   // a JSON body
	events []string // an event stream: each event's text, written and flushed in turn
	// gate, when set, holds back every event after the first until it is
	// closed.
	gate chan struct{}
	// hold, when set, keeps the connection open after the events until it
	// is closed, never ending the body.
	hold chan struct{}
	// cut drops the connection after the events, mid-body.
	cut bool
	// hangup drops the connection without an answer.
	hangup bool
}

// sse returns the text of one data event.
func sse(data string) string { return "data: " + data + "\n\n" }

// request is one request as the fake API received it.
type request struct {
	Method, Path string
	Header       http.Header
	Body         string
}

// fakeAPI is an OpenAI API on 127.0.0.1 that answers with scripted
// replies, in order, and records the requests.
type fakeAPI struct {
	*httptest.Server
	t       testing.TB
	mu      sync.Mutex
	replies []reply
	reqs    []request
}

func newFakeAPI(t testing.TB, replies ...reply) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, replies: replies}
	f.Server = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) handle(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, request{r.Method, r.URL.Path, r.Header.Clone(), string(b)})
	if len(f.replies) == 0 {
		f.mu.Unlock()
		f.t.Errorf("fake API: unexpected request %s %s", r.Method, r.URL.Path)
		http.Error(w, `{"error":{"message":"no reply scripted"}}`, http.StatusTeapot)
		return
	}
	rep := f.replies[0]
	f.replies = f.replies[1:]
	f.mu.Unlock()

	if rep.hangup {
		hangup(w)
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	if rep.events == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, rep.body)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(status)
	fl := w.(http.Flusher)
	for i, ev := range rep.events {
		if i == 1 && rep.gate != nil {
			select {
			case <-rep.gate:
			case <-r.Context().Done():
				return
			}
		}
		io.WriteString(w, ev)
		fl.Flush()
	}
	if rep.hold != nil {
		select {
		case <-rep.hold:
		case <-r.Context().Done():
		}
	}
	if rep.cut {
		hangup(w)
	}
}

// hangup drops the connection of w at once.
func hangup(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// requests returns the requests received so far.
func (f *fakeAPI) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// client returns an openai-go client of the fake API, traced by the
// middleware made with opts. Its retries wait at most 10ms.
func (f *fakeAPI) client(opts ...Option) *openai.Client {
	return f.clientWith(nil, opts...)
}

// clientWith is client with more client options.
func (f *fakeAPI) clientWith(copts []option.RequestOption, opts ...Option) *openai.Client {
	c := openai.NewClient(append([]option.RequestOption{
		option.WithBaseURL(f.URL + "/v1/"),
		option.WithAPIKey(testKey),
		option.WithHTTPClient(f.Client()),
		option.WithMaxRetryDelay(10 * time.Millisecond),
		option.WithMiddleware(Middleware(opts...)),
	}, copts...)...)
	return &c
}

// recorded starts a trace of a recording provider and returns its context,
// with a function ending the trace and returning the recorder.
func recorded(t testing.TB, opts ...tracing.Option) (context.Context, func() *tracingtest.Recorder) {
	t.Helper()
	tp, rec := tracingtest.NewProvider(opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a hang fails, never blocks the run
	t.Cleanup(cancel)
	ctx, tr := tp.StartTrace(ctx, "test")
	return ctx, func() *tracingtest.Recorder {
		tr.End()
		return rec
	}
}

// onlySpan returns the one span rec recorded, failing t otherwise.
func onlySpan(t testing.TB, rec *tracingtest.Recorder) *tracing.Span {
	t.Helper()
	got := rec.Spans()
	if len(got) != 1 {
		names := make([]string, len(got))
		for i, s := range got {
			names[i] = s.Kind().String() + " " + s.Name()
		}
		t.Fatalf("recorded %d spans %q, want 1", len(got), names)
	}
	return got[0]
}

// compact returns the JSON text s without its layout.
func compact(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("bad JSON in the test: %v\n%s", err, s)
	}
	return b.String()
}

// openaiClient returns an untraced client of baseURL.
func openaiClient(baseURL string, hc *http.Client) *openai.Client {
	c := openai.NewClient(option.WithBaseURL(baseURL), option.WithAPIKey(testKey), option.WithHTTPClient(hc))
	return &c
}
