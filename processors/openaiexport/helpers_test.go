package openaiexport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// request is one POST the capture server received.
type request struct {
	Header http.Header
	Body   []byte
}

// capture is an ingest server on 127.0.0.1 that records requests and answers
// with the statuses given, then 200.
type capture struct {
	srv      *httptest.Server
	mu       sync.Mutex
	reqs     []request
	statuses []int
	answer   func(w http.ResponseWriter, r *http.Request) // optional override
}

func newCapture(t *testing.T, statuses ...int) *capture {
	t.Helper()
	c := &capture{statuses: statuses}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read body: %v", err)
		}
		c.mu.Lock()
		c.reqs = append(c.reqs, request{Header: r.Header.Clone(), Body: b})
		status := http.StatusOK
		if len(c.statuses) > 0 {
			status, c.statuses = c.statuses[0], c.statuses[1:]
		}
		answer := c.answer
		c.mu.Unlock()
		if answer != nil {
			answer(w, r)
			return
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"status":%d}`, status)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *capture) URL() string { return c.srv.URL + "/v1/traces/ingest" }

func (c *capture) requests() []request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]request(nil), c.reqs...)
}

// data parses a request body and returns its data array.
func data(t *testing.T, body []byte) []any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	if len(v) != 1 {
		t.Errorf("body has keys %v, want only data", keys(v))
	}
	d, ok := v["data"].([]any)
	if !ok {
		t.Fatalf("data is %T, want an array", v["data"])
	}
	return d
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// recorder is a processor that keeps the items an exporter would get, in
// queue order: traces at start and end, spans at end.
type recorder struct {
	mu    sync.Mutex
	items []processors.Item
}

func (r *recorder) add(it processors.Item) {
	r.mu.Lock()
	r.items = append(r.items, it)
	r.mu.Unlock()
}

func (r *recorder) OnTraceStart(t *tracing.Trace) {
	r.add(processors.TraceItem(processors.TraceStarted, t))
}
func (r *recorder) OnTraceEnd(t *tracing.Trace) {
	r.add(processors.TraceItem(processors.TraceEnded, t))
}
func (r *recorder) OnSpanStart(*tracing.Span)            {}
func (r *recorder) OnSpanEnd(s *tracing.Span)            { r.add(processors.SpanItem(s)) }
func (r *recorder) ForceFlush(ctx context.Context) error { return nil }
func (r *recorder) Shutdown(ctx context.Context) error   { return nil }
func (r *recorder) Items() []processors.Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]processors.Item(nil), r.items...)
}

// counterIDs hands out trace_<n> and span_<n> ids in hex, from 1.
type counterIDs struct{ traces, spans atomic.Int64 }

func (g *counterIDs) NewTraceID() string { return fmt.Sprintf("trace_%032x", g.traces.Add(1)) }
func (g *counterIDs) NewSpanID() string  { return fmt.Sprintf("span_%024x", g.spans.Add(1)) }

// stepClock returns start, then each call step later.
func stepClock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	next := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := next
		next = next.Add(step)
		return t
	}
}

// newProvider returns a provider with deterministic ids and times that
// records into a new recorder.
func newProvider() (*tracing.Provider, *recorder) {
	rec := &recorder{}
	tp := tracing.NewProvider(
		tracing.WithDisabled(false),
		tracing.WithSensitiveData(true),
		tracing.WithIDGenerator(&counterIDs{}),
		tracing.WithClock(stepClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), time.Second)),
		tracing.WithProcessor(rec),
	)
	return tp, rec
}

// logBuffer returns a logger writing text at debug level to a buffer.
func logBuffer() (*slog.Logger, *syncBuffer) {
	var b syncBuffer
	return slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), &b
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture reads a captured Python request body.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// noWait is a sleeper that records the waits and returns at once.
type noWait struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (n *noWait) sleep(ctx context.Context, d time.Duration) error {
	n.mu.Lock()
	n.waits = append(n.waits, d)
	n.mu.Unlock()
	return ctx.Err()
}

func (n *noWait) Waits() []time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]time.Duration(nil), n.waits...)
}

// childEnv names the test a child process runs (see runInChild).
const childEnv = "OPENAIEXPORT_TEST_CHILD"

// runInChild runs the calling top-level test in a child process, for tests
// of failures that would kill the test binary (a fatal stack overflow cannot
// be recovered). In the parent it runs the child, fails t if the child
// fails, and returns false; in the child it returns true, and the caller
// runs the test body.
func runInChild(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		if len(out) > 4000 {
			out = append(out[:2000:2000], append([]byte("\n...\n"), out[len(out)-2000:]...)...)
		}
		t.Errorf("the test failed in a child process (%v):\n%s", err, out)
	}
	return false
}

// rawServer is an ingest server on 127.0.0.1 that reads each request and
// writes resp, a raw HTTP response, byte for byte: net/http servers cannot
// set a custom reason phrase. It returns the endpoint URL.
func rawServer(t *testing.T, resp string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				r := bufio.NewReader(c)
				n := 0
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-Length") {
						n, _ = strconv.Atoi(strings.TrimSpace(v))
					}
					if line == "\r\n" {
						break
					}
				}
				if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
					return
				}
				_, _ = c.Write([]byte(resp))
			})
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return "http://" + ln.Addr().String() + "/v1/traces/ingest"
}
