package benchmarks

import (
	"context"
	"sync/atomic"
	"testing"

	agentstracing "github.com/nlpodyssey/openai-agents-go/tracing"
)

// openaiAgentsContent is the shared content as openai-agents-go's
// generation span parameters.
type openaiAgentsContent struct {
	in    [contentSpans][]map[string]any
	out   []map[string]any
	usage map[string]any
}

func newOpenAIAgentsContent() *openaiAgentsContent {
	c := &openaiAgentsContent{
		out:   []map[string]any{{"role": "assistant", "content": answer}},
		usage: map[string]any{"input_tokens": inputTokens, "output_tokens": outputTokens},
	}
	for i := range c.in {
		c.in[i] = []map[string]any{{"role": "system", "content": systemPrompt}, {"role": "user", "content": question(i)}}
	}
	return c
}

func noopSpanFunc(context.Context, agentstracing.Span) error { return nil }

// record runs span i the way the library documents: GenerationSpan around
// the call.
func (c *openaiAgentsContent) record(ctx context.Context, i int) {
	_ = agentstracing.GenerationSpan(ctx, agentstracing.GenerationSpanParams{
		Input: c.in[i%contentSpans], Output: c.out, Model: model, Usage: c.usage,
	}, noopSpanFunc)
}

// openaiAgentsCounter counts the spans it receives and discards them.
type openaiAgentsCounter struct{ spans atomic.Int64 }

func (e *openaiAgentsCounter) Export(_ context.Context, items []any) error {
	n := 0
	for _, it := range items {
		if _, ok := it.(agentstracing.Span); ok {
			n++
		}
	}
	e.spans.Add(int64(n))
	return nil
}

// openaiAgentsRig sets up the library's global trace provider (it has no
// other) for one case.
func openaiAgentsRig(tb testing.TB, s setup) *rig {
	agentstracing.SetLogger(discardLogger())
	tp := agentstracing.NewDefaultTraceProvider()
	agentstracing.SetTraceProvider(tp)
	counter := &openaiAgentsCounter{}
	var bp *agentstracing.BatchTraceProcessor
	switch s.mode {
	case batched, disabled:
		bp = agentstracing.NewBatchTraceProcessor(agentstracing.BatchTraceProcessorParams{Exporter: counter})
	case toSink, backendDown:
		exp := agentstracing.NewBackendSpanExporter(agentstracing.BackendSpanExporterParams{
			APIKey: "sk-bench", Endpoint: s.url + "/v1/traces/ingest",
		})
		bp = agentstracing.NewBatchTraceProcessor(agentstracing.BatchTraceProcessorParams{Exporter: exp})
	}
	if bp != nil {
		tp.SetProcessors([]agentstracing.Processor{bp})
	}
	ctx := agentstracing.ContextWithClonedOrNewScope(context.Background())
	tr := agentstracing.NewTrace(ctx, agentstracing.TraceParams{WorkflowName: rootName})
	if err := tr.Start(ctx, true); err != nil {
		tb.Fatal(err)
	}
	if s.mode == disabled {
		tp.SetDisabled(true)
	}
	c := newOpenAIAgentsContent()
	return &rig{
		ctx:    ctx,
		record: c.record,
		flush: func() {
			if bp != nil {
				if err := bp.ForceFlush(context.Background()); err != nil {
					tb.Error(err)
				}
			}
		},
		stop: func() {
			_ = tr.Finish(ctx, true)
			if bp == nil {
				return
			}
			if s.mode == backendDown {
				// Shutdown takes no deadline and retries every batch of
				// the dead backend with second-long pauses: detach the
				// processor and let it give up on its own.
				tp.SetProcessors(nil)
				go bp.Shutdown(context.Background())
				return
			}
			_ = bp.Shutdown(context.Background())
		},
		exported: counter.spans.Load,
	}
}
