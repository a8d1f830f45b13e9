package benchmarks

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/openaiexport"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// stopTimeout bounds every shutdown of a case.
const stopTimeout = 2 * time.Second

// agenttraceContent is the shared content as agenttrace-go's span data.
type agenttraceContent struct {
	in    [contentSpans][]spans.Message
	out   []spans.Message
	usage *spans.Usage
}

func newAgenttraceContent() *agenttraceContent {
	c := &agenttraceContent{
		out:   []spans.Message{{Role: "assistant", Content: answer}},
		usage: &spans.Usage{InputTokens: inputTokens, OutputTokens: outputTokens},
	}
	for i := range c.in {
		c.in[i] = []spans.Message{{Role: "system", Content: systemPrompt}, {Role: "user", Content: question(i)}}
	}
	return c
}

// record starts and ends span i as instrumented code does: the data built
// per call, the output and usage filled before End.
func (c *agenttraceContent) record(ctx context.Context, i int) {
	gen := &spans.Generation{Model: model, Provider: provider, Input: c.in[i%contentSpans]}
	_, sp := tracing.StartSpan(ctx, gen)
	gen.Output, gen.Usage = c.out, c.usage
	sp.End()
}

// recordGuarded is record behind tracing.Recording, the hot-path idiom.
func (c *agenttraceContent) recordGuarded(ctx context.Context, i int) {
	var sp *tracing.Span
	var gen *spans.Generation
	if tracing.Recording(ctx) {
		gen = &spans.Generation{Model: model, Provider: provider, Input: c.in[i%contentSpans]}
		_, sp = tracing.StartSpan(ctx, gen)
	}
	if gen != nil {
		gen.Output, gen.Usage = c.out, c.usage
	}
	sp.End()
}

// countingExporter counts the spans it receives and discards them.
type countingExporter struct{ spans atomic.Int64 }

func (e *countingExporter) Export(_ context.Context, items []processors.Item) error {
	n := 0
	for _, it := range items {
		if it.Event == processors.SpanEnded {
			n++
		}
	}
	e.spans.Add(int64(n))
	return nil
}

func (e *countingExporter) Shutdown(context.Context) error { return nil }

// agenttraceExporter returns the exporter of a mode that sends somewhere.
func agenttraceExporter(tb testing.TB, s setup) processors.Exporter {
	exp, err := otlpexport.New(otlpexport.WithEndpointURL(s.url+"/v1/traces"), otlpexport.WithGzip(s.gzip),
		otlpexport.WithServiceName(rootName))
	if err != nil {
		tb.Fatal(err)
	}
	return exp
}

func agenttraceRig(tb testing.TB, s setup) *rig {
	return agenttraceRigWith(tb, s, false, agenttraceExporter)
}

func agenttraceGuardedRig(tb testing.TB, s setup) *rig {
	return agenttraceRigWith(tb, s, true, agenttraceExporter)
}

// agenttraceOpenAIRig sends to the OpenAI traces ingest, the wire format of
// openai-agents-go.
func agenttraceOpenAIRig(tb testing.TB, s setup) *rig {
	return agenttraceRigWith(tb, s, false, func(tb testing.TB, s setup) processors.Exporter {
		return openaiexport.New(openaiexport.WithAPIKey("sk-bench"), openaiexport.WithEndpoint(s.url+"/v1/traces/ingest"),
			openaiexport.WithLogger(discardLogger()))
	})
}

func agenttraceRigWith(tb testing.TB, s setup, guarded bool, newExporter func(testing.TB, setup) processors.Exporter) *rig {
	c := newAgenttraceContent()
	counter := &countingExporter{}
	opts := []tracing.Option{tracing.WithDisabled(false), tracing.WithLogger(discardLogger())}
	switch s.mode {
	case batched, disabled:
		opts = append(opts, tracing.WithProcessor(processors.NewBatcher(counter, processors.WithLogger(discardLogger()))))
	case toSink, backendDown:
		opts = append(opts, tracing.WithProcessor(processors.NewBatcher(newExporter(tb, s), processors.WithLogger(discardLogger()))))
	}
	tp := tracing.NewProvider(opts...)
	ctx, tr := tp.StartTrace(context.Background(), rootName)
	if s.mode == disabled {
		tp.SetDisabled(true)
	}
	r := &rig{
		ctx:    ctx,
		record: c.record,
		flush: func() {
			if err := tp.ForceFlush(context.Background()); err != nil {
				tb.Error(err)
			}
		},
		stop: func() {
			tr.End()
			ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
			defer cancel()
			_ = tp.Shutdown(ctx)
		},
		exported: counter.spans.Load,
	}
	if guarded {
		r.record = c.recordGuarded
	}
	return r
}
