package otlpexport

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	oteltrace "go.opentelemetry.io/otel/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The benchmarks compare this exporter with the OpenTelemetry Go SDK's own
// OTLP/HTTP pipeline, in the same run, against the same loopback sink that
// reads and discards each body:
//
//	go test -c -o /tmp/otlp.test ./processors/otlpexport/
//	for i in 1 2 3 4 5 6 7 8; do /tmp/otlp.test -test.run '^$' -test.bench Pipeline -test.benchmem -test.benchtime 2s; done > /tmp/otlp-bench.txt
//	benchstat -col /impl /tmp/otlp-bench.txt
//
// Pipeline: one op records benchBatch realistic spans (model and tool calls
// alternating, small inputs) and flushes them: ours through a provider, a
// Batcher at its defaults (batches of DefaultBatchSize, 512, which this
// exporter asks for) and this exporter; the SDK's through a tracer,
// BatchSpanProcessor (blocking, its default batches of 512) and
// otlptracehttp. impl=floor is the cost of the same requests' proto.Marshal
// and gzip alone (the requests this exporter sent, read back), which no
// pipeline can beat by much: it is what both must at least do. Each SDK
// span carries the same attributes ours produces for the same span,
// precomputed once, so the SDK side does no JSON encoding of its own: a
// comparison that favours it.
//
// Export: one op exports benchBatch ended spans: ours Exporter.Export of
// items (conversion, JSON encoding of the content, clipping, marshalling);
// the SDK's otlptracehttp SpanExporter.ExportSpans of read-only spans
// (tracetest.SpanStubs) already holding the finished attributes, so it only
// transforms and marshals. Ours does strictly more work there.
//
// All report spans/s, wire bytes/span (after gzip when on) and the
// process's CPU time per span (cpu-ns/span: producers, pipeline and sink
// together), which drifts far less than spans/s on a shared machine.

const benchBatch = 512

// byteSink is a loopback OTLP sink that counts and discards bodies.
type byteSink struct {
	*httptest.Server
	bytes atomic.Int64
}

func newByteSink(b *testing.B) *byteSink {
	s := &byteSink{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		s.bytes.Add(n)
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(s.Close)
	return s
}

// benchData returns the span data of span i of a batch: a model call or a
// tool call with small inputs.
func benchData(i int) spans.Data {
	if i%2 == 0 {
		return &spans.Generation{
			Model: "gpt-4.1-mini", Provider: "openai", FinishReason: "stop",
			ModelConfig: map[string]any{"temperature": 0.2},
			Input: []spans.Message{{Role: "system", Content: "You are a helpful support agent."},
				{Role: "user", Content: "Where is my order A" + strconv.Itoa(i) + "?"}},
			Output: []spans.Message{{Role: "assistant", Content: "It shipped yesterday and arrives in 2 days."}},
			Usage:  &spans.Usage{InputTokens: 42, OutputTokens: 12},
		}
	}
	return &spans.Function{Name: "lookup_order", CallID: "call_" + strconv.Itoa(i),
		Input: `{"order_id":"A` + strconv.Itoa(i) + `"}`, Output: `{"status":"shipped","eta_days":2}`}
}

// otelSpan is what the SDK side records for one span: the name, kind and
// attributes our exporter produces for the same span.
type otelSpan struct {
	name  string
	kind  oteltrace.SpanKind
	attrs []attribute.KeyValue
}

// otelSpans returns, for each of the benchBatch spans of benchData, the
// name, kind and attributes our exporter produces for it, so that both sides
// send the same content.
func otelSpans(conv *otelmap.Converter) []otelSpan {
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	for i := range benchBatch {
		_, sp := tracing.StartSpan(ctx, benchData(i))
		sp.End()
	}
	tr.End()
	var out []otelSpan
	for _, it := range c.items {
		if it.Event != processors.SpanEnded {
			continue
		}
		ps, _ := conv.Convert(it)
		o := otelSpan{name: ps.GetName(), kind: oteltrace.SpanKind(ps.GetKind())}
		for _, kv := range ps.GetAttributes() {
			switch v := anyValue(kv.GetValue()).(type) {
			case string:
				o.attrs = append(o.attrs, attribute.String(kv.GetKey(), v))
			case int64:
				o.attrs = append(o.attrs, attribute.Int64(kv.GetKey(), v))
			case float64:
				o.attrs = append(o.attrs, attribute.Float64(kv.GetKey(), v))
			case bool:
				o.attrs = append(o.attrs, attribute.Bool(kv.GetKey(), v))
			case []any:
				ss := make([]string, len(v))
				for k, e := range v {
					ss[k], _ = e.(string)
				}
				o.attrs = append(o.attrs, attribute.StringSlice(kv.GetKey(), ss))
			}
		}
		out = append(out, o)
	}
	return out
}

func report(b *testing.B, spansSent int64, sink *byteSink, cpu time.Duration) {
	b.ReportMetric(float64(spansSent)/b.Elapsed().Seconds(), "spans/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(spansSent), "cpu-ns/span")
	if sink != nil {
		b.ReportMetric(float64(sink.bytes.Load())/float64(spansSent), "B/span")
	}
	b.ReportMetric(0, "ns/op")
}

// cpuTime returns the CPU time the process has used so far, user and
// system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sentRequests returns the requests the exporter sends for the benchBatch
// spans of benchData, as a server decodes them.
func sentRequests(b *testing.B) []*coltracepb.ExportTraceServiceRequest {
	var mu sync.Mutex
	var reqs []*coltracepb.ExportTraceServiceRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req := &coltracepb.ExportTraceServiceRequest{}
		if err := proto.Unmarshal(body, req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		reqs = append(reqs, req)
		mu.Unlock()
	}))
	defer srv.Close()
	exp, err := New(WithEndpointURL(srv.URL+"/v1/traces"), WithGzip(false), WithServiceName("bench"))
	if err != nil {
		b.Fatal(err)
	}
	bt := processors.NewBatcher(exp)
	tp := tracing.NewProvider(tracing.WithProcessor(bt), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	for i := range benchBatch {
		_, sp := tracing.StartSpan(ctx, benchData(i))
		sp.End()
	}
	if err := tp.ForceFlush(context.Background()); err != nil {
		b.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	out := slices.Clone(reqs)
	tr.End()
	_ = tp.Shutdown(context.Background())
	return out
}

// marshalFloor marshals reqs with proto.Marshal and, when gz, compresses
// each with gzip at its default level, as the exporter does.
func marshalFloor(b *testing.B, zw *gzip.Writer, out *bytes.Buffer, reqs []*coltracepb.ExportTraceServiceRequest, gz bool) {
	for _, req := range reqs {
		raw, err := proto.Marshal(req)
		if err != nil {
			b.Fatal(err)
		}
		if gz {
			out.Reset()
			zw.Reset(out)
			if _, err := zw.Write(raw); err != nil {
				b.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkPipeline(b *testing.B) {
	for _, gz := range []bool{false, true} {
		gzName := "gzip=" + strconv.FormatBool(gz)
		b.Run("impl=agenttrace/"+gzName, func(b *testing.B) {
			sink := newByteSink(b)
			exp, err := New(WithEndpointURL(sink.URL+"/v1/traces"), WithGzip(gz), WithServiceName("bench"))
			if err != nil {
				b.Fatal(err)
			}
			bt := processors.NewBatcher(exp)
			tp := tracing.NewProvider(tracing.WithProcessor(bt), tracing.WithDisabled(false))
			ctx, tr := tp.StartTrace(context.Background(), "bench")
			var n int64
			cpu0 := cpuTime()
			b.ReportAllocs()
			for b.Loop() {
				for i := range benchBatch {
					_, sp := tracing.StartSpan(ctx, benchData(i))
					sp.End()
				}
				if err := tp.ForceFlush(context.Background()); err != nil {
					b.Fatal(err)
				}
				n += benchBatch
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			tr.End()
			_ = tp.Shutdown(context.Background())
			if st := bt.Stats(); st.DroppedTotal() != 0 {
				b.Fatalf("dropped %v", st.Dropped)
			}
			report(b, n, sink, cpu)
		})
		b.Run("impl=floor/"+gzName, func(b *testing.B) {
			reqs := sentRequests(b)
			zw, out := gzip.NewWriter(io.Discard), &bytes.Buffer{}
			var n int64
			cpu0 := cpuTime()
			b.ReportAllocs()
			for b.Loop() {
				marshalFloor(b, zw, out, reqs, gz)
				n += benchBatch
			}
			b.StopTimer()
			report(b, n, nil, cpuTime()-cpu0)
		})
		b.Run("impl=otel/"+gzName, func(b *testing.B) {
			sink := newByteSink(b)
			ctx := context.Background()
			exp, err := otlptracehttp.New(ctx, otelOpts(sink, gz)...)
			if err != nil {
				b.Fatal(err)
			}
			tp := sdktrace.NewTracerProvider(
				sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(exp, sdktrace.WithBlocking())), // batches of 512
				sdktrace.WithResource(benchResource()))
			tracer := tp.Tracer(otelmap.ScopeName)
			sdkSpans := otelSpans(otelmap.New(otelmap.Config{Messages: otelmap.GenAI | otelmap.OpenInference}))
			// One trace, as on our side: the spans are children of a root.
			rctx, root := tracer.Start(ctx, "bench")
			var n int64
			cpu0 := cpuTime()
			b.ReportAllocs()
			for b.Loop() {
				for _, o := range sdkSpans {
					_, sp := tracer.Start(rctx, o.name, oteltrace.WithSpanKind(o.kind))
					sp.SetAttributes(o.attrs...)
					sp.End()
				}
				if err := tp.ForceFlush(ctx); err != nil {
					b.Fatal(err)
				}
				n += benchBatch
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			root.End()
			_ = tp.Shutdown(ctx)
			report(b, n, sink, cpu)
		})
	}
}

func otelOpts(sink *byteSink, gz bool) []otlptracehttp.Option {
	c := otlptracehttp.NoCompression
	if gz {
		c = otlptracehttp.GzipCompression
	}
	return []otlptracehttp.Option{otlptracehttp.WithEndpointURL(sink.URL + "/v1/traces"), otlptracehttp.WithCompression(c)}
}

func benchResource() *resource.Resource {
	return resource.NewSchemaless(attribute.String("service.name", "bench"),
		attribute.String("telemetry.sdk.name", "opentelemetry"), attribute.String("telemetry.sdk.language", "go"),
		attribute.String("telemetry.sdk.version", "1.47.0"))
}

func BenchmarkExport(b *testing.B) {
	for _, gz := range []bool{false, true} {
		gzName := "gzip=" + strconv.FormatBool(gz)
		b.Run("impl=agenttrace/"+gzName, func(b *testing.B) { benchExport(b, gz, false) })
		// The same spans shaped for Coze Loop, with its attribute profile
		// (the sink answers as an OTLP server, which Coze Loop mode
		// accepts).
		b.Run("impl=agenttrace-cozeloop/"+gzName, func(b *testing.B) { benchExport(b, gz, true) })
		b.Run("impl=otel/"+gzName, func(b *testing.B) {
			sink := newByteSink(b)
			ctx := context.Background()
			exp, err := otlptracehttp.New(ctx, otelOpts(sink, gz)...)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { exp.Shutdown(context.Background()) })
			sdkSpans := otelSpans(otelmap.New(otelmap.Config{Messages: otelmap.GenAI | otelmap.OpenInference}))
			stubs := make(tracetest.SpanStubs, benchBatch)
			res := benchResource()
			start := time.Now()
			traceID, parentID := oteltrace.TraceID{}, randomSpanID()
			rand.Read(traceID[:])
			for i, o := range sdkSpans {
				stubs[i] = tracetest.SpanStub{
					Name: o.name, SpanKind: o.kind, Attributes: o.attrs, Resource: res,
					StartTime: start.Add(time.Duration(i) * time.Millisecond), EndTime: start.Add(time.Duration(i+1) * time.Millisecond),
					SpanContext: oteltrace.NewSpanContext(oteltrace.SpanContextConfig{
						TraceID: traceID, SpanID: randomSpanID(), TraceFlags: 1}),
					Parent: oteltrace.NewSpanContext(oteltrace.SpanContextConfig{TraceID: traceID, SpanID: parentID, TraceFlags: 1}),
				}
			}
			ro := stubs.Snapshots()
			var n int64
			cpu0 := cpuTime()
			b.ReportAllocs()
			for b.Loop() {
				if err := exp.ExportSpans(ctx, ro); err != nil {
					b.Fatal(err)
				}
				n += benchBatch
			}
			report(b, n, sink, cpuTime()-cpu0)
		})
	}
}

// randomSpanID returns a random span id, as the SDK (and our provider) makes.
func randomSpanID() oteltrace.SpanID {
	var id oteltrace.SpanID
	rand.Read(id[:])
	return id
}

// benchExport is BenchmarkExport's case for this exporter, sending to a
// generic OTLP endpoint or, when coze is set, shaping the spans for Coze
// Loop.
func benchExport(b *testing.B, gz, coze bool) {
	sink := newByteSink(b)
	opts := []Option{WithEndpointURL(sink.URL + "/v1/traces"), WithGzip(gz), WithServiceName("bench")}
	if coze {
		opts = append(opts, WithHeaders(map[string]string{"cozeloop-workspace-id": "1"}))
	}
	exp, err := New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { exp.Shutdown(context.Background()) })
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	for i := range benchBatch {
		_, sp := tracing.StartSpan(ctx, benchData(i))
		sp.End()
	}
	tr.End()
	items := c.items[1 : 1+benchBatch] // the spans
	var n int64
	cpu0 := cpuTime()
	b.ReportAllocs()
	for b.Loop() {
		if err := exp.Export(context.Background(), items); err != nil {
			b.Fatal(err)
		}
		n += benchBatch
	}
	report(b, n, sink, cpuTime()-cpu0)
}

// BenchmarkConvert measures the conversion alone (the mapping of
// internal/otelmap, clipping included), per batch of benchBatch spans of
// benchData: for a generic OTLP endpoint (every family, message
// attributes on) and for Coze Loop (its profile). Wall times on a shared
// machine are noisy; the instruction counts of
//
//	valgrind --tool=callgrind ./otlpexport.test -test.run '^$' -test.bench Convert -test.benchtime 50x
//
// are not.
func BenchmarkConvert(b *testing.B) {
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	for i := range benchBatch {
		_, sp := tracing.StartSpan(ctx, benchData(i))
		sp.End()
	}
	tr.End()
	items := c.items[1 : 1+benchBatch]
	// A long conversation: 64 model calls of 24 messages of 1 KiB.
	ctx, tr = tp.StartTrace(context.Background(), "long")
	var long []spans.Message
	for i := range 24 {
		long = append(long, spans.Message{Role: []string{"user", "assistant"}[i%2], Content: strings.Repeat("Order A"+strconv.Itoa(i)+" \"shipped\"; ", 64)})
	}
	for range 64 {
		_, sp := tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1", Input: long[:23], Output: long[23:]})
		sp.End()
	}
	tr.End()
	longItems := c.items[len(c.items)-65 : len(c.items)-1]
	for _, tt := range []struct {
		name  string
		cfg   otelmap.Config
		items []processors.Item
	}{
		{"profile=all", otelmap.Config{Messages: otelmap.GenAI | otelmap.OpenInference}, items},
		{"profile=cozeloop", otelmap.Config{CozeLoop: true, Profile: otelmap.CozeLoop}, items},
		{"conversation=long", otelmap.Config{Messages: otelmap.GenAI | otelmap.OpenInference}, longItems},
	} {
		b.Run(tt.name, func(b *testing.B) {
			conv := otelmap.New(tt.cfg)
			b.ReportAllocs()
			for b.Loop() {
				batch := conv.NewBatch()
				for _, it := range tt.items {
					if _, err := batch.Convert(it); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
