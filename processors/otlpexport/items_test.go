package otlpexport

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// collector is a tracing.Processor that keeps the items an exporter would get.
type collector struct {
	mu    sync.Mutex
	items []processors.Item
}

func (c *collector) add(it processors.Item) {
	c.mu.Lock()
	c.items = append(c.items, it)
	c.mu.Unlock()
}
func (c *collector) OnTraceStart(t *tracing.Trace) {
	c.add(processors.TraceItem(processors.TraceStarted, t))
}
func (c *collector) OnTraceEnd(t *tracing.Trace) {
	c.add(processors.TraceItem(processors.TraceEnded, t))
}
func (c *collector) OnSpanStart(*tracing.Span)        {}
func (c *collector) OnSpanEnd(s *tracing.Span)        { c.add(processors.SpanItem(s)) }
func (c *collector) ForceFlush(context.Context) error { return nil }
func (c *collector) Shutdown(context.Context) error   { return nil }

// makeItems records one trace with n spans (alternating model and tool
// calls, each with payload bytes of content) and returns the n+1 items an
// exporter sends: the spans and the trace end (the trace start is left out).
func makeItems(n, payload int) []processors.Item {
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false), tracing.WithSensitiveData(true))
	ctx, tr := tp.StartTrace(context.Background(), "batch")
	text := strings.Repeat("x", payload)
	for i := range n {
		var d spans.Data
		if i%2 == 0 {
			d = &spans.Generation{Model: "gpt-4.1-mini", Provider: "openai",
				Input:  []spans.Message{{Role: "user", Content: text}},
				Output: []spans.Message{{Role: "assistant", Content: "ok " + strconv.Itoa(i)}},
				Usage:  &spans.Usage{InputTokens: 10, OutputTokens: 3}}
		} else {
			d = &spans.Function{Name: "lookup", CallID: "call_" + strconv.Itoa(i), Input: `{"q":"` + text + `"}`, Output: "found"}
		}
		_, sp := tracing.StartSpan(ctx, d)
		sp.End()
	}
	tr.End()
	var out []processors.Item
	for _, it := range c.items {
		if it.Event != processors.TraceStarted {
			out = append(out, it)
		}
	}
	return out
}

// recordItems records one trace "w" with one span of data (span metadata md,
// error spanErr) and returns the span end and trace end items.
func recordItems(data spans.Data, md map[string]any, spanErr error) []processors.Item {
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false), tracing.WithSensitiveData(true))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, data, tracing.WithSpanMetadata(md))
	sp.SetError(spanErr)
	sp.End()
	tr.End()
	var out []processors.Item
	for _, it := range c.items {
		if it.Event != processors.TraceStarted {
			out = append(out, it)
		}
	}
	return out
}
