package otelmap

import (
	"container/list"
	"slices"
	"sync"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The OTLP root span of a trace is sent when the trace ends, but its spans
// are sent as they end, naming it as their parent. A trace still open when
// its exporter shuts down (a signal arrived mid-run, say) would leave them
// orphans, so the exporter remembers the traces that started and have not
// ended ([OpenTraces]), and at shutdown converts an [EventOpenTrace] item
// for each: a root span ending then, with agenttrace.trace.ended=false.

// MaxOpenTraces bounds how many open traces an [OpenTraces] remembers;
// beyond it the oldest is forgotten (its spans then arrive without their
// root, as they would without tracking).
const MaxOpenTraces = 4096

// keyTraceEnded is false on the root span of a trace that had not ended at
// Shutdown. Under agenttrace., it cannot be read by Coze Loop as an error
// (error*, exception*) or a tool input (tool*), and user metadata cannot
// take it (see userKey).
const keyTraceEnded = "agenttrace.trace.ended"

// EventOpenTrace is the event of an item standing for a trace still open at
// shutdown: [Converter.Convert] turns it into the trace's root span ending
// now (or at the trace's end, if it has ended meanwhile).
const EventOpenTrace processors.Event = 255

// OpenTraces remembers started traces until they end, oldest first, at most
// [MaxOpenTraces] of them. The zero value is ready to use; it is safe for
// concurrent use.
type OpenTraces struct {
	mu    sync.Mutex
	max   int
	order list.List // of *tracing.Trace, oldest at the front
	index map[*tracing.Trace]*list.Element
}

// Track records the trace starts and ends among items.
func (o *OpenTraces) Track(items []processors.Item) {
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

func (o *OpenTraces) limit() int {
	if o.max > 0 {
		return o.max
	}
	return MaxOpenTraces
}

// Take returns the traces remembered, oldest first, and forgets them.
func (o *OpenTraces) Take() []*tracing.Trace {
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
