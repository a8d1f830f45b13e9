package benchmarks

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	oteltrace "go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

// otelSpan is one span as the OpenTelemetry side records it.
type otelSpan struct {
	name  string
	kind  oteltrace.SpanKind
	attrs []attribute.KeyValue
}

// otelWire is what agenttrace-go's exporter sends for the shared content,
// read back from the wire: the resource, the scope and, for each of the
// contentSpans spans, its name, kind and attributes.
type otelWire struct {
	resource     *resource.Resource
	scope        string
	scopeVersion string
	spans        []otelSpan
}

var (
	wireOnce sync.Once
	wire     *otelWire
	wireErr  string
)

// capturedWire returns the OTLP content agenttrace-go sends for the shared
// spans, captured once per process from a loopback sink.
func capturedWire(tb testing.TB) *otelWire {
	wireOnce.Do(func() {
		s := newSink(tb, true)
		r := agenttraceRig(tb, setup{mode: toSink, url: s.URL})
		for i := range contentSpans {
			r.record(r.ctx, i)
		}
		r.flush()
		r.stop()
		wire, wireErr = decodeWire(s.kept())
	})
	if wireErr != "" {
		tb.Fatal(wireErr)
	}
	return wire
}

func decodeWire(bodies []keptBody) (*otelWire, string) {
	w := &otelWire{}
	for _, kb := range bodies {
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(kb.body, &req); err != nil {
			return nil, "decoding the captured OTLP request: " + err.Error()
		}
		for _, rs := range req.GetResourceSpans() {
			if w.resource == nil {
				attrs, msg := otelAttrs(rs.GetResource().GetAttributes())
				if msg != "" {
					return nil, msg
				}
				w.resource = resource.NewSchemaless(attrs...)
			}
			for _, ss := range rs.GetScopeSpans() {
				w.scope, w.scopeVersion = ss.GetScope().GetName(), ss.GetScope().GetVersion()
				for _, sp := range ss.GetSpans() {
					if sp.GetName() != spanName {
						continue // the root
					}
					attrs, msg := otelAttrs(sp.GetAttributes())
					if msg != "" {
						return nil, msg
					}
					w.spans = append(w.spans, otelSpan{name: sp.GetName(), kind: oteltrace.SpanKind(sp.GetKind()), attrs: attrs})
				}
			}
		}
	}
	if len(w.spans) != contentSpans {
		return nil, "captured " + itoa(len(w.spans)) + " generation spans, want " + itoa(contentSpans)
	}
	return w, ""
}

// otelAttrs converts OTLP attributes to the SDK's, failing on a value kind
// it has no counterpart for, so that both sides always send the same.
func otelAttrs(kvs []*commonpb.KeyValue) ([]attribute.KeyValue, string) {
	out := make([]attribute.KeyValue, 0, len(kvs))
	for _, kv := range kvs {
		k := attribute.Key(kv.GetKey())
		switch v := kv.GetValue().GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			out = append(out, k.String(v.StringValue))
		case *commonpb.AnyValue_IntValue:
			out = append(out, k.Int64(v.IntValue))
		case *commonpb.AnyValue_DoubleValue:
			out = append(out, k.Float64(v.DoubleValue))
		case *commonpb.AnyValue_BoolValue:
			out = append(out, k.Bool(v.BoolValue))
		case *commonpb.AnyValue_ArrayValue:
			ss := make([]string, 0, len(v.ArrayValue.GetValues()))
			for _, e := range v.ArrayValue.GetValues() {
				s, ok := e.GetValue().(*commonpb.AnyValue_StringValue)
				if !ok {
					return nil, "attribute " + kv.GetKey() + ": an array of other than strings"
				}
				ss = append(ss, s.StringValue)
			}
			out = append(out, k.StringSlice(ss))
		default:
			return nil, "attribute " + kv.GetKey() + ": a value kind the comparison cannot reproduce"
		}
	}
	return out, ""
}

// otelSemconv is the shared content as an instrumented program sets it by
// the GenAI conventions, the message lists encoded once beforehand.
type otelSemconv struct {
	in  [contentSpans]string
	out string
}

func newOTelSemconv() *otelSemconv {
	type msg struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	c := &otelSemconv{}
	for i := range c.in {
		b, _ := json.Marshal([]msg{{"system", systemPrompt}, {"user", question(i)}})
		c.in[i] = string(b)
	}
	b, _ := json.Marshal([]msg{{"assistant", answer}})
	c.out = string(b)
	return c
}

// otelCounter is an SDK exporter that counts generation spans and discards
// them.
type otelCounter struct{ spans atomic.Int64 }

func (e *otelCounter) ExportSpans(_ context.Context, ss []sdktrace.ReadOnlySpan) error {
	n := 0
	for _, s := range ss {
		if s.Name() == spanName {
			n++
		}
	}
	e.spans.Add(int64(n))
	return nil
}

func (e *otelCounter) Shutdown(context.Context) error { return nil }

func otelRig(tb testing.TB, s setup) *rig {
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {})) // see discardLogger
	counter := &otelCounter{}
	var (
		tracer   oteltrace.Tracer
		shutdown = func(context.Context) error { return nil }
		flush    = func(context.Context) error { return nil }
		record   func(ctx context.Context, i int)
	)
	switch s.mode {
	case disabled:
		tracer = noop.NewTracerProvider().Tracer(rootName)
	case batched, noProcessor:
		opts := []sdktrace.TracerProviderOption{}
		if s.mode == batched {
			opts = append(opts, sdktrace.WithBatcher(counter))
		}
		tp := sdktrace.NewTracerProvider(opts...)
		tracer, shutdown, flush = tp.Tracer(rootName), tp.Shutdown, tp.ForceFlush
	case toSink, backendDown:
		w := capturedWire(tb)
		compression := otlptracehttp.NoCompression
		if s.gzip {
			compression = otlptracehttp.GzipCompression
		}
		exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(s.url+"/v1/traces"),
			otlptracehttp.WithCompression(compression))
		if err != nil {
			tb.Fatal(err)
		}
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(w.resource))
		tracer = tp.Tracer(w.scope, oteltrace.WithInstrumentationVersion(w.scopeVersion))
		shutdown, flush = tp.Shutdown, tp.ForceFlush
		record = func(ctx context.Context, i int) {
			o := &w.spans[i%contentSpans]
			_, sp := tracer.Start(ctx, o.name, oteltrace.WithSpanKind(o.kind))
			sp.SetAttributes(o.attrs...)
			sp.End()
		}
	}
	if record == nil {
		c := newOTelSemconv()
		record = func(ctx context.Context, i int) {
			_, sp := tracer.Start(ctx, spanName, oteltrace.WithSpanKind(oteltrace.SpanKindClient))
			sp.SetAttributes(
				attribute.String("gen_ai.operation.name", "chat"),
				attribute.String("gen_ai.provider.name", provider),
				attribute.String("gen_ai.request.model", model),
				attribute.Int("gen_ai.usage.input_tokens", inputTokens),
				attribute.Int("gen_ai.usage.output_tokens", outputTokens),
				attribute.String("gen_ai.input.messages", c.in[i%contentSpans]),
				attribute.String("gen_ai.output.messages", c.out),
			)
			sp.End()
		}
	}
	ctx, root := tracer.Start(context.Background(), rootName)
	return &rig{
		ctx:    ctx,
		record: record,
		flush: func() {
			if err := flush(context.Background()); err != nil {
				tb.Error(err)
			}
		},
		stop: func() {
			root.End()
			ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
			defer cancel()
			_ = shutdown(ctx)
		},
		exported: counter.spans.Load,
	}
}
