package otlpexport

import (
	"context"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// benchSpans returns the OTLP spans of a batch of benchData spans.
func benchSpans(b *testing.B, conv *otelmap.Converter) []*tracepb.Span {
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	for i := range benchBatch {
		_, sp := tracing.StartSpan(ctx, benchData(i))
		sp.End()
	}
	tr.End()
	var out []*tracepb.Span
	for _, it := range c.items {
		if it.Event == processors.SpanEnded {
			ps, err := conv.Convert(it)
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, ps)
		}
	}
	return out
}

// BenchmarkEncode compares the exporter's encoder with proto.Marshal on one
// request of benchBatch spans.
func BenchmarkEncode(b *testing.B) {
	conv := otelmap.New(otelmap.Config{Messages: otelmap.GenAI | otelmap.OpenInference, ServiceName: "bench"})
	spans := benchSpans(b, conv)
	res, scope := conv.Resource(), conv.Scope()
	b.Run("impl=proto", func(b *testing.B) {
		req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
			Resource: res, ScopeSpans: []*tracepb.ScopeSpans{{Scope: scope, Spans: spans}},
		}}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := proto.Marshal(req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=wire", func(b *testing.B) {
		var buf []byte
		sizes := make([]int, len(spans))
		b.ReportAllocs()
		for b.Loop() {
			for i, s := range spans {
				sizes[i] = sizeSpan(s)
			}
			var err error
			if buf, err = wireRequest(buf[:0], res, scope, spans, sizes); err != nil {
				b.Fatal(err)
			}
		}
	})
}
