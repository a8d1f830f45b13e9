package slogtrace_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"testing"
	"testing/slogtest"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/slogtrace"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// logOne logs one record with ctx through a JSON handler wrapped by
// slogtrace and returns it decoded.
func logOne(t *testing.T, ctx context.Context) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	logger := slog.New(slogtrace.NewHandler(slog.NewJSONHandler(&buf, nil)))
	logger.InfoContext(ctx, "hello", "k", "v")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("%v: %s", err, buf.Bytes())
	}
	return m
}

func TestIDsOfAnAgentSpan(t *testing.T) {
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	sctx, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	defer sp.End()
	got := logOne(t, sctx)
	want := map[string]string{
		"trace_id":            sp.SpanContext().TraceID().String(),
		"span_id":             sp.SpanContext().SpanID().String(),
		"trace_flags":         "01",
		"agenttrace.trace.id": tr.ID(),
		"agenttrace.span.id":  sp.ID(),
		"k":                   "v",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %q", k, got[k], v)
		}
	}
	// In the trace, outside spans: the trace's root and no agent span id.
	got = logOne(t, ctx)
	if got["span_id"] != tr.SpanContext().SpanID().String() || got["agenttrace.trace.id"] != tr.ID() {
		t.Errorf("trace context: %v", got)
	}
	if _, ok := got["agenttrace.span.id"]; ok {
		t.Errorf("agent span id outside spans: %v", got)
	}
}

func TestIDsOfOTelSpansAndSampledOutTraces(t *testing.T) {
	otp := sdktrace.NewTracerProvider()
	defer otp.Shutdown(context.Background())
	octx, osp := otp.Tracer("t").Start(context.Background(), "op")
	defer osp.End()
	got := logOne(t, octx)
	if got["trace_id"] != osp.SpanContext().TraceID().String() || got["span_id"] != osp.SpanContext().SpanID().String() {
		t.Errorf("OTel span: %v", got)
	}
	if _, ok := got["agenttrace.trace.id"]; ok {
		t.Errorf("agent id without an agent trace: %v", got)
	}
	parent := "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
	rctx := propagation.TraceContext{}.Extract(context.Background(), propagation.MapCarrier{"traceparent": parent})
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(rctx, "w")
	defer tr.End()
	got = logOne(t, ctx)
	if got["trace_id"] != "0af7651916cd43dd8448eb211c80319c" || got["trace_flags"] != "00" {
		t.Errorf("sampled-out trace: %v", got)
	}
}

func TestNoTraceLeavesTheRecordAlone(t *testing.T) {
	got := logOne(t, context.Background())
	for _, k := range []string{"trace_id", "span_id", "trace_flags", "agenttrace.trace.id"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s added with no trace: %v", k, got)
		}
	}
	h := slogtrace.NewHandler(slog.DiscardHandler)
	r := slog.NewRecord(testTime, slog.LevelInfo, "m", 0)
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() { _ = h.Handle(ctx, r) }); n != 0 {
		t.Errorf("Handle with no trace: %v allocations, want 0", n)
	}
	var nilH *slogtrace.Handler
	if nilH.Enabled(ctx, slog.LevelError) || nilH.Handle(ctx, r) != nil || nilH.WithGroup("g") == nil {
		t.Error("a nil handler must discard")
	}
}

// TestConformance runs log/slog's handler conformance suite on the wrapper.
func TestConformance(t *testing.T) {
	var buf bytes.Buffer
	h := slogtrace.NewHandler(slog.NewJSONHandler(&buf, nil))
	results := func() []map[string]any {
		var out []map[string]any
		for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		return out
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Error(err)
	}
}

func ExampleNewHandler() {
	tp, _ := tracingtest.NewProvider()
	drop := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slogtrace.NewHandler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: drop})))
	ctx, tr := tp.StartTrace(context.Background(), "Support run")
	defer tr.End()
	ctx, span := tracing.StartSpan(ctx, &spans.Function{Name: "lookup_order"})
	defer span.End()
	logger.InfoContext(ctx, "looking up", "order", "A1")
	// Output:
	// {"level":"INFO","msg":"looking up","order":"A1","trace_id":"00000000000000000000000000000001","span_id":"735920988fcafe06","trace_flags":"01","agenttrace.trace.id":"trace_00000000000000000000000000000001","agenttrace.span.id":"span_000000000000000000000001"}
}
