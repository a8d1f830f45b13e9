package benchmarks

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// cozeLoopIngestPath is where cozeloop-go posts spans.
const cozeLoopIngestPath = "/v1/loop/traces/ingest"

// sink is a loopback HTTP server that reads every request body to the end
// and replies what each protocol takes for success: an empty 200 for OTLP
// and the OpenAI traces ingest, Coze Loop's {"code":0} on its ingest path.
// With keep set, it also keeps every body, decompressed.
type sink struct {
	*httptest.Server
	bytes    atomic.Int64 // body bytes as sent (compressed when gzip is on)
	requests atomic.Int64

	keep   bool
	mu     sync.Mutex
	bodies []keptBody
}

// keptBody is one request body the sink kept, decompressed.
type keptBody struct {
	path string
	body []byte
}

func newSink(tb testing.TB, keep bool) *sink {
	s := &sink{keep: keep}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

func (s *sink) serve(w http.ResponseWriter, r *http.Request) {
	var body bytes.Buffer
	n, err := io.Copy(&body, r.Body)
	s.bytes.Add(n)
	s.requests.Add(1)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if s.keep {
		raw := body.Bytes()
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(&body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			if raw, err = io.ReadAll(zr); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		s.mu.Lock()
		s.bodies = append(s.bodies, keptBody{r.URL.Path, bytes.Clone(raw)})
		s.mu.Unlock()
	}
	if r.URL.Path == cozeLoopIngestPath {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":0,"msg":"ok"}`)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// kept returns the bodies received so far.
func (s *sink) kept() []keptBody {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.bodies)
}

// deadURL returns the base URL of a loopback port where nothing listens: a
// backend that is down refuses connections.
func deadURL(tb testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}
