package anthropictrace_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
)

// testKey is the API key of the test clients; no span may contain it.
const testKey = "sk-ant-api03-test-key-never-recorded"

// reply is one answer of the fake API.
type reply struct {
	status int               // 200 when zero
	header map[string]string // extra response headers
	file   string            // testdata file sent as the body: .json or .sse
	body   string            // or the body itself (JSON)
	hold   bool              // after an .sse file's events, wait until the client goes away
	cut    int               // send only the first cut events of an .sse file, then end the body
	drop   bool              // close the connection without answering
	abort  bool              // after an .sse file's events, break the connection
}

// fakeAPI is a local server speaking the Messages API wire format: it
// answers each request with the next reply (the last one repeats) and
// keeps the request bodies.
type fakeAPI struct {
	t   *testing.T
	srv *httptest.Server

	served chan int // receives the number of each request answered

	mu       sync.Mutex
	replies  []reply
	requests []recorded
}

type recorded struct {
	path   string
	header http.Header
	body   []byte
}

func newFakeAPI(t *testing.T, replies ...reply) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, replies: replies, served: make(chan int, 16)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, recorded{path: r.URL.RequestURI(), header: r.Header.Clone(), body: b})
	n := len(f.requests)
	rep := f.replies[min(n, len(f.replies))-1]
	f.mu.Unlock()
	defer func() {
		select {
		case f.served <- n:
		default:
		}
	}()

	if rep.drop {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("request-id", "req_fake_0001")
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	body := []byte(rep.body)
	if rep.file != "" {
		body = readFile(f.t, rep.file)
	}
	if !strings.HasSuffix(rep.file, ".sse") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(status)
	events := sseEvents(body)
	if rep.cut > 0 {
		events = events[:rep.cut]
	}
	for _, ev := range events {
		_, _ = w.Write(ev)
		w.(http.Flusher).Flush()
	}
	if rep.abort {
		panic(http.ErrAbortHandler)
	}
	if rep.hold {
		<-r.Context().Done()
	}
}

// sseEvents splits an event stream into its events, each with its blank line.
func sseEvents(b []byte) [][]byte {
	var out [][]byte
	for _, ev := range bytes.SplitAfter(b, []byte("\n\n")) {
		if len(bytes.TrimSpace(ev)) > 0 {
			out = append(out, ev)
		}
	}
	return out
}

func (f *fakeAPI) received() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

// client returns a real SDK client of the fake API, traced by a middleware
// made with opts unless opts is nil.
func (f *fakeAPI) client(mw []anthropictrace.Option, extra ...option.RequestOption) anthropic.Client {
	opts := []option.RequestOption{option.WithAPIKey(testKey), option.WithBaseURL(f.srv.URL)}
	if mw != nil {
		opts = append(opts, option.WithMiddleware(anthropictrace.Middleware(mw...)))
	}
	return anthropic.NewClient(append(opts, extra...)...)
}

// traced is the option list of a middleware with default settings.
var traced = []anthropictrace.Option{}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// background is the context of calls made outside any trace.
var background = context.Background()
