package otlpexport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

const secretToken = "pat_s3cr3t_t0ken_value"

// sleeps records the waits between attempts instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
	on func(n int) // called with the wait's number, from 1
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	n := len(s.d)
	s.mu.Unlock()
	if s.on != nil {
		s.on(n)
	}
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// newFaultExporter returns an exporter for url with the Coze Loop token set,
// fast retries and a recorded sleeper.
func newFaultExporter(t *testing.T, url string, opts ...Option) (*Exporter, *sleeps) {
	t.Helper()
	opts = append([]Option{WithEndpointURL(url), WithHeaders(map[string]string{"Authorization": "Bearer " + secretToken}),
		WithRetry(time.Millisecond, 10*time.Millisecond), WithTimeout(5 * time.Second)}, opts...)
	exp, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	sl := &sleeps{}
	exp.sleep = sl.sleep
	t.Cleanup(func() { exp.Shutdown(context.Background()) })
	return exp, sl
}

func okReply(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/x-protobuf")
	b, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Write(b)
}

// failFirst answers the first n requests with fail and the rest with success.
func failFirst(n int, fail func(w http.ResponseWriter)) func(int, http.ResponseWriter, *http.Request) {
	return func(i int, w http.ResponseWriter, _ *http.Request) {
		if i <= n {
			fail(w)
			return
		}
		okReply(w)
	}
}

func checkNoSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), secretToken) {
		t.Errorf("error contains the token: %v", err)
	}
}

func TestRetriedFailures(t *testing.T) {
	tests := []struct {
		name      string
		fail      func(w http.ResponseWriter)
		wantWaits int
		minWait   time.Duration
	}{
		{"500", func(w http.ResponseWriter) { http.Error(w, "boom", 500) }, 2, 0},
		{"http.StatusBadGateway", func(w http.ResponseWriter) { http.Error(w, "bad gateway", http.StatusBadGateway) }, 2, 0},
		{"503 with Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}, 2, 3 * time.Second},
		{"429", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}, 2, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSink(t, failFirst(2, tt.fail))
			exp, sl := newFaultExporter(t, s.URL+"/v1/traces")
			items := makeItems(3, 10)
			err := exp.Export(context.Background(), items)
			if err != nil {
				t.Fatalf("Export = %v, want delivery after retries", err)
			}
			if n := len(s.requests()); n != 3 {
				t.Errorf("requests = %d, want 3", n)
			}
			waits := sl.waits()
			if len(waits) != tt.wantWaits {
				t.Fatalf("waits = %v, want %d", waits, tt.wantWaits)
			}
			for _, w := range waits {
				if w < tt.minWait {
					t.Errorf("wait %v shorter than Retry-After %v", w, tt.minWait)
				}
			}
			reqs := s.requests()
			if got := len(reqs[len(reqs)-1].Req.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()); got != len(items) {
				t.Errorf("delivered %d spans, want %d", got, len(items))
			}
		})
	}
}

func TestPermanentFailures(t *testing.T) {
	tests := []struct {
		name    string
		reply   func(w http.ResponseWriter)
		wantMsg string
	}{
		{"coze error code on 200", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"code":600904002,"msg":"invalid workspace_id"}`))
		}, "code 600904002: invalid workspace_id"},
		{"coze error code without content type", func(w http.ResponseWriter) {
			w.Write([]byte(`{"code":600904004,"msg":"json Unmarshal err"}`))
		}, "600904004"},
		{"400 echoing the token", func(w http.ResponseWriter) {
			http.Error(w, "bad request from Bearer "+secretToken, 400)
		}, "400 Bad Request"},
		{"401 json", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			w.Write([]byte(`{"code":401,"msg":"token ` + secretToken + ` expired"}`))
		}, "401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) { tt.reply(w) })
			exp, sl := newFaultExporter(t, s.URL+"/v1/traces")
			items := makeItems(3, 10)
			err := exp.Export(context.Background(), items)
			if err == nil {
				t.Fatal("Export = nil, want a failure")
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q lacks %q", err, tt.wantMsg)
			}
			checkNoSecret(t, err)
			if diff := cmp.Diff(map[processors.DropReason]int{processors.DropExportFailed: len(items)}, processors.Dropped(err, len(items))); diff != "" {
				t.Errorf("dropped (-want +got):\n%s", diff)
			}
			if n := len(s.requests()); n != 1 || len(sl.waits()) != 0 {
				t.Errorf("requests = %d, waits = %v; a permanent failure is not retried", n, sl.waits())
			}
		})
	}
}

func TestPartialSuccess(t *testing.T) {
	tests := []struct {
		name  string
		reply func(w http.ResponseWriter)
	}{
		{"protobuf", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/x-protobuf")
			b, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{
				RejectedSpans: 2, ErrorMessage: "span too old"}})
			w.Write(b)
		}},
		{"json", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"code":0,"partialSuccess":{"rejectedSpans":"2","errorMessage":"span too old"}}`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) { tt.reply(w) })
			exp, _ := newFaultExporter(t, s.URL+"/v1/traces")
			items := makeItems(4, 10)
			err := exp.Export(context.Background(), items)
			if err == nil || !strings.Contains(err.Error(), "span too old") {
				t.Fatalf("Export = %v, want the server's message", err)
			}
			if diff := cmp.Diff(map[processors.DropReason]int{processors.DropRejected: 2}, processors.Dropped(err, len(items))); diff != "" {
				t.Errorf("dropped (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSlowServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	exp, _ := newFaultExporter(t, s.URL+"/v1/traces", WithTimeout(200*time.Millisecond))
	items := makeItems(2, 10)
	err := exp.Export(context.Background(), items)
	if err == nil {
		t.Fatal("Export = nil, want a timeout")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want a deadline error", err)
	}
	if d := processors.Dropped(err, len(items)); d[processors.DropExportFailed] != len(items) {
		t.Errorf("dropped = %v", d)
	}
}

func TestResetConnectionRetried(t *testing.T) {
	s := newSink(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.(*net.TCPConn).SetLinger(0) // RST instead of FIN
				conn.Close()
			}
			return
		}
		okReply(w)
	})
	exp, sl := newFaultExporter(t, s.URL+"/v1/traces")
	items := makeItems(2, 10)
	if err := exp.Export(context.Background(), items); err != nil {
		t.Fatalf("Export = %v, want delivery after a retry", err)
	}
	if len(sl.waits()) != 1 || len(s.requests()) != 2 {
		t.Errorf("waits %v, requests %d; want one retry", sl.waits(), len(s.requests()))
	}
}

func TestConnectionRefusedRetried(t *testing.T) {
	// Reserve a port, close it so that connections are refused, and start a
	// server on it during the second wait.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var srv *httptest.Server
	var got sync.Mutex
	delivered := 0
	exp, sl := newFaultExporter(t, "http://"+addr+"/v1/traces")
	sl.on = func(n int) {
		if n != 2 {
			return
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("relisten: %v", err)
			return
		}
		srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Lock()
			delivered++
			got.Unlock()
			okReply(w)
		})}}
		srv.Start()
	}
	defer func() {
		if srv != nil {
			srv.Close()
		}
	}()
	items := makeItems(2, 10)
	err = exp.Export(context.Background(), items)
	if err != nil {
		t.Fatalf("Export = %v, want delivery once the server is up", err)
	}
	checkNoSecret(t, err)
	if len(sl.waits()) != 2 || delivered != 1 {
		t.Errorf("waits %v, delivered %d; want two refused attempts, then one delivery", sl.waits(), delivered)
	}
}

func TestConnectionRefusedGivesUp(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	exp, sl := newFaultExporter(t, "http://"+addr+"/v1/traces")
	items := makeItems(1, 10)
	err = exp.Export(context.Background(), items)
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("Export = %v, want connection refused", err)
	}
	checkNoSecret(t, err)
	if len(sl.waits()) < 2 {
		t.Errorf("waits = %v, want retries", sl.waits())
	}
}

func TestOversizeBatchesAreSplit(t *testing.T) {
	s := newSink(t, nil)
	const limit = 64 << 10
	exp, _ := newFaultExporter(t, s.URL+"/v1/traces", WithMaxRequestSize(limit))
	items := makeItems(40, 4<<10) // ~40 spans of 8-12 KiB each
	if err := exp.Export(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) < 4 {
		t.Errorf("requests = %d, want the batch split", len(reqs))
	}
	for i, r := range reqs {
		if r.Size > limit {
			t.Errorf("request %d is %d bytes, over the %d limit", i, r.Size, limit)
		}
	}
	if got := len(s.spans()); got != len(items) {
		t.Errorf("delivered %d spans, want %d", got, len(items))
	}
}

func TestSpanOverLimitDropped(t *testing.T) {
	s := newSink(t, nil)
	exp, _ := newFaultExporter(t, s.URL+"/v1/traces", WithMaxRequestSize(4<<10))
	small := makeItems(2, 10)
	big := makeItems(1, 20<<10)[0]
	items := append(small, big)
	err := exp.Export(context.Background(), items)
	if diff := cmp.Diff(map[processors.DropReason]int{processors.DropTooLarge: 1}, processors.Dropped(err, len(items))); diff != "" {
		t.Errorf("dropped (-want +got):\n%s (err %v)", diff, err)
	}
	if got := len(s.spans()); got != len(small) {
		t.Errorf("delivered %d spans, want %d", got, len(small))
	}
}

// TestAccountingAddsUp runs traces through a Batcher against a server that
// fails some requests in each way and checks that every item is counted as
// delivered or dropped, and that the server saw exactly the delivered ones.
func TestAccountingAddsUp(t *testing.T) {
	s := newSink(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch n % 4 {
		case 1:
			http.Error(w, "nope", 400) // permanent: whole request dropped
		case 2:
			w.Header().Set("Content-Type", "application/x-protobuf")
			b, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 1}})
			w.Write(b)
		default:
			okReply(w)
		}
	})
	exp, _ := newFaultExporter(t, s.URL+"/v1/traces", WithoutRetry())
	b := processors.NewBatcher(exp, processors.WithMaxBatchSize(7))
	tp := tracing.NewProvider(tracing.WithProcessor(b), tracing.WithDisabled(false))
	for range 10 {
		ctx, tr := tp.StartTrace(context.Background(), "w")
		for range 5 {
			_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "f", Input: "{}"})
			sp.End()
		}
		tr.End()
	}
	_ = tp.Shutdown(context.Background()) // reports the drops; counted below
	st := b.Stats()
	if st.Received != 10*7 || st.Pending != 0 {
		t.Fatalf("stats = %+v", st)
	}
	if st.Received != st.Exported+st.DroppedTotal() {
		t.Errorf("received %d != exported %d + dropped %d", st.Received, st.Exported, st.DroppedTotal())
	}
	// Items the server kept: spans received in requests that were not
	// refused, minus the rejected ones; plus the trace starts, which count
	// as delivered without being sent.
	kept := 0
	for i, r := range s.requests() {
		n := 0
		for _, rs := range r.Req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				n += len(ss.GetSpans())
			}
		}
		switch (i + 1) % 4 {
		case 1:
		case 2:
			kept += n - 1
		default:
			kept += n
		}
	}
	if int64(kept+10) != st.Exported {
		t.Errorf("server kept %d spans (+10 trace starts), stats say %d exported", kept, st.Exported)
	}
	if st.Dropped[processors.DropExportFailed] == 0 || st.Dropped[processors.DropRejected] == 0 {
		t.Errorf("dropped = %v, want both reasons", st.Dropped)
	}
}

func TestExportAfterShutdown(t *testing.T) {
	s := newSink(t, nil)
	exp, _ := newFaultExporter(t, s.URL+"/v1/traces")
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := exp.Export(context.Background(), makeItems(1, 1)); err == nil {
		t.Error("Export after Shutdown = nil")
	}
	if len(s.requests()) != 0 {
		t.Error("request sent after Shutdown")
	}
}

// TestEstimateSizeIsAnUpperBound checks the cheap size bound that splitting
// relies on against the exact encoded size.
func TestEstimateSizeIsAnUpperBound(t *testing.T) {
	items := makeItems(6, 300)
	items = append(items, makeItems(1, 0)...)
	conv := otelmap.New(otelmap.Config{Messages: otelmap.GenAI | otelmap.OpenInference})
	for _, it := range items {
		ps, _ := conv.Convert(it)
		if ps == nil {
			continue
		}
		exact := proto.Size(ps) + 1 + protowire.SizeVarint(uint64(proto.Size(ps)))
		if est := clip.EstimateSize(ps); est < exact {
			t.Errorf("%s: estimate %d < exact %d", ps.GetName(), est, exact)
		}
	}
	// An erroring span has an event and a status.
	ps, _ := conv.Convert(processors.SpanItem(makeErrSpan()))
	if exact := proto.Size(ps) + 3; clip.EstimateSize(ps) < exact {
		t.Errorf("error span: estimate %d < exact %d", clip.EstimateSize(ps), exact)
	}
}

func makeErrSpan() *tracing.Span {
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "f", Input: "{}"})
	sp.SetError(&tracing.SpanError{Message: "boom", Data: map[string]any{"k": strings.Repeat("v", 100)}})
	sp.End()
	tr.End()
	return c.items[1].Span
}

// TestShutdownInterruptsExport checks that Shutdown ends an export that is
// waiting out a long Retry-After.
func TestShutdownInterruptsExport(t *testing.T) {
	first := make(chan struct{}, 1)
	s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		select {
		case first <- struct{}{}:
		default:
		}
		w.Header().Set("Retry-After", "30")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- exp.Export(context.Background(), makeItems(1, 1)) }()
	<-first
	// Let the client read the reply and start waiting out Retry-After.
	time.Sleep(300 * time.Millisecond)
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("interrupted Export = nil")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Export still waiting 20s after Shutdown")
	}
}

// TestRetryAfterBeyondTimeout checks that a Retry-After longer than what is
// left of the export timeout ends the export at once instead of sleeping
// past its deadline.
func TestRetryAfterBeyondTimeout(t *testing.T) {
	s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "later", http.StatusTooManyRequests)
	})
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithTimeout(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	items := makeItems(1, 1)
	err = exp.Export(context.Background(), items)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "429") {
		t.Fatalf("Export = %v, want the 429 and a deadline error", err)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
	if d := processors.Dropped(err, len(items)); d[processors.DropExportFailed] != len(items) {
		t.Errorf("dropped = %v", d)
	}
}
