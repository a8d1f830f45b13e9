package otlpexport

import (
	"container/list"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The OTLP root span of a trace is sent when the trace ends, but its spans
// are sent as they end, naming it as their parent. A trace still open when
// the exporter shuts down (a signal arrived mid-run, say) would leave them
// orphans, so the exporter remembers the traces that started and have not
// ended, and Shutdown sends a root span for each: ending at shutdown, with
// agenttrace.trace.ended=false.

// maxOpenTraces bounds how many open traces an exporter remembers; beyond
// it the oldest is forgotten (its spans then arrive without their root, as
// they would without tracking).
const maxOpenTraces = 4096

// keyTraceEnded is false on the root span of a trace that had not ended at
// Shutdown. Under agenttrace., it cannot be read by Coze Loop as an error
// (error*, exception*) or a tool input (tool*), and user metadata cannot
// take it (see userKey).
const keyTraceEnded = "agenttrace.trace.ended"

// eventOpenTrace is this package's own event for a trace still open at
// Shutdown; converter.convert turns it into a root span ending now.
const eventOpenTrace processors.Event = 255

// openTraces remembers started traces until they end, oldest first, at most
// max of them. It is safe for concurrent use.
type openTraces struct {
	mu    sync.Mutex
	max   int
	order list.List // of *tracing.Trace, oldest at the front
	index map[*tracing.Trace]*list.Element
}

// track records the trace starts and ends among items.
func (o *openTraces) track(items []processors.Item) {
	if !slices.ContainsFunc(items, isTraceEvent) {
		return // most batches: spans only, no lock
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, it := range items {
		switch {
		case !isTraceEvent(it):
		case it.Event == processors.TraceEnded:
			if el, ok := o.index[it.Trace]; ok {
				o.order.Remove(el)
				delete(o.index, it.Trace)
			}
		case o.index[it.Trace] == nil:
			if o.index == nil {
				o.index = map[*tracing.Trace]*list.Element{}
			}
			o.index[it.Trace] = o.order.PushBack(it.Trace)
			if o.order.Len() > o.limit() {
				oldest := o.order.Front()
				o.order.Remove(oldest)
				delete(o.index, oldest.Value.(*tracing.Trace))
			}
		}
	}
}

func isTraceEvent(it processors.Item) bool {
	return it.Trace != nil && (it.Event == processors.TraceStarted || it.Event == processors.TraceEnded)
}

func (o *openTraces) limit() int {
	if o.max > 0 {
		return o.max
	}
	return maxOpenTraces
}

// take returns the traces remembered, oldest first, and forgets them.
func (o *openTraces) take() []*tracing.Trace {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]*tracing.Trace, 0, o.order.Len())
	for el := o.order.Front(); el != nil; el = el.Next() {
		out = append(out, el.Value.(*tracing.Trace))
	}
	o.order.Init()
	o.index = nil
	return out
}

// exportOpen sends the root spans of traces still open at Shutdown, within
// ctx and the export timeout. A trace that has ended meanwhile (its end
// never reached the exporter) gets its ordinary root span.
func (e *Exporter) exportOpen(ctx context.Context, open []*tracing.Trace) error {
	items := make([]processors.Item, len(open))
	for i, t := range open {
		items[i] = processors.Item{Event: eventOpenTrace, Trace: t}
	}
	if err := e.export(ctx, items, false); err != nil {
		noun := "traces"
		if len(open) == 1 {
			noun = "trace"
		}
		return fmt.Errorf("otlpexport: root spans of %d %s still open at shutdown: %w", len(open), noun, err)
	}
	return nil
}
