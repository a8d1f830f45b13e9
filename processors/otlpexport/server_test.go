package otlpexport

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/processors"
)

// received is one request as the test server decoded it.
type received struct {
	Header http.Header
	Gzip   bool
	Size   int // body bytes before decompression
	Req    *coltracepb.ExportTraceServiceRequest
}

// sink is an OTLP/HTTP server on 127.0.0.1 that decodes real protobuf
// requests (gzip too) and answers with reply, which may vary per request.
type sink struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []received
	reply func(n int, w http.ResponseWriter, r *http.Request) // n counts requests from 1
}

func newSink(t *testing.T, reply func(n int, w http.ResponseWriter, r *http.Request)) *sink {
	t.Helper()
	s := &sink{reply: reply}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.Close)
	return s
}

func (s *sink) handle(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	body := raw
	gz := r.Header.Get("Content-Encoding") == "gzip"
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body, err = io.ReadAll(zr)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	var req coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, received{Header: r.Header.Clone(), Gzip: gz, Size: len(body), Req: &req})
	n := len(s.reqs)
	s.mu.Unlock()
	if s.reply != nil {
		s.reply(n, w, r)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	b, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Write(b)
}

func (s *sink) requests() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.reqs...)
}

// spans returns every span received, in order.
func (s *sink) spans() []*tracepb.Span {
	var out []*tracepb.Span
	for _, r := range s.requests() {
		for _, rs := range r.Req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				out = append(out, ss.GetSpans()...)
			}
		}
	}
	return out
}

// attrMap turns attributes into a map of plain Go values: string, int64,
// float64, bool, or []any for arrays.
func attrMap(kvs []*commonpb.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[kv.GetKey()] = anyValue(kv.GetValue())
	}
	return m
}

func anyValue(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_ArrayValue:
		var out []any
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, anyValue(e))
		}
		return out
	}
	return nil
}

// sendItems exports items to a fresh decoding sink (no retries) and returns
// Export's error and the spans the sink received.
func sendItems(t *testing.T, items []processors.Item, opts ...Option) ([]*tracepb.Span, error) {
	t.Helper()
	s := newSink(t, nil)
	exp, err := New(append([]Option{WithEndpointURL(s.URL + "/v1/traces"), WithoutRetry()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	err = exp.Export(context.Background(), items)
	return s.spans(), err
}

// childAttrs returns the attributes of the first received span that has a
// parent (the span under the trace's root span).
func childAttrs(t *testing.T, got []*tracepb.Span) map[string]any {
	t.Helper()
	for _, ps := range got {
		if len(ps.GetParentSpanId()) > 0 {
			return attrMap(ps.GetAttributes())
		}
	}
	t.Fatalf("no child span among %d", len(got))
	return nil
}

// textErr is an error type of the tests with a pointer receiver.
type textErr struct{ s string }

func (e *textErr) Error() string { return e.s }
