package processors

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// ConsoleOption configures a [Console] exporter.
type ConsoleOption interface{ applyConsole(*Console) }

type consoleOption func(*Console)

func (f consoleOption) applyConsole(c *Console) { f(c) }

// WithoutTimings leaves durations out of the printed tree, for output that is
// the same on every run.
func WithoutTimings() ConsoleOption { return consoleOption(func(c *Console) { c.timings = false }) }

// WithoutIDs leaves trace and group ids out of the printed tree.
func WithoutIDs() ConsoleOption { return consoleOption(func(c *Console) { c.ids = false }) }

// Console is an [Exporter] that prints each trace as an indented tree when
// the trace ends: one line a span with its kind, name, duration, model,
// tokens and error. Spans are held until their trace ends (spans that end
// after it are printed on their own line); traces still open at Shutdown are
// printed then, marked "not ended". Memory stays bounded: when more than
// [ConsoleMaxOpen] traces are open at once, the oldest is printed early,
// marked "not ended", and its later spans are printed on their own lines. It
// is safe for concurrent use.
type Console struct {
	w       io.Writer
	timings bool
	ids     bool

	mu      sync.Mutex
	pending map[string]*consoleTrace
	seq     uint64          // numbers pending entries in order of creation
	done    map[string]bool // recently ended traces, to spot late spans
	order   []string        // done's keys, oldest first, at most consoleDoneMax
}

// ConsoleMaxOpen is how many open traces a [Console] holds before it prints
// the oldest early.
const ConsoleMaxOpen = 1024

// consoleDoneMax bounds how many ended traces the console remembers.
const consoleDoneMax = 1024

type consoleTrace struct {
	trace *tracing.Trace
	spans []*tracing.Span
	seq   uint64
}

var _ Exporter = (*Console)(nil)

// NewConsole returns an exporter that prints to w (os.Stdout when w is
// nil), with timings and ids unless options say otherwise.
func NewConsole(w io.Writer, opts ...ConsoleOption) *Console {
	if w == nil {
		w = os.Stdout
	}
	c := &Console{w: w, timings: true, ids: true, pending: map[string]*consoleTrace{}, done: map[string]bool{}}
	for _, o := range opts {
		if o != nil {
			o.applyConsole(c)
		}
	}
	return c
}

// Export buffers spans and prints every trace that ends in items.
func (c *Console) Export(ctx context.Context, items []Item) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	bw := bufio.NewWriter(c.w)
	for _, it := range items {
		switch {
		case it.Event == TraceStarted && it.Trace != nil:
			c.entry(bw, it.Trace.ID()).trace = it.Trace
		case it.Event == SpanEnded && it.Span != nil && it.Span.Trace() != nil:
			id := it.Span.TraceID()
			e := c.pending[id]
			if e == nil && (c.done[id] || it.Span.Trace().Ended()) {
				// Its trace was printed already (or its start never came and
				// it has ended): print the span on its own.
				fmt.Fprintf(bw, "late span of %q: %s\n", it.Span.Trace().Name(), c.describe(it.Span))
				continue
			}
			if e == nil {
				e = c.entry(bw, id)
			}
			e.spans = append(e.spans, it.Span)
			if e.trace == nil {
				e.trace = it.Span.Trace()
			}
		case it.Event == TraceEnded && it.Trace != nil:
			id := it.Trace.ID()
			if c.done[id] && c.pending[id] == nil {
				continue // printed early, or a repeated end
			}
			e := c.entry(bw, id)
			e.trace = it.Trace
			c.print(bw, e, true)
			delete(c.pending, id)
			c.markDone(id)
		}
	}
	return bw.Flush()
}

// Shutdown prints the traces that have not ended.
func (c *Console) Shutdown(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	bw := bufio.NewWriter(c.w)
	ids := make([]string, 0, len(c.pending))
	for id := range c.pending {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		c.print(bw, c.pending[id], false)
		delete(c.pending, id)
	}
	return bw.Flush()
}

func (c *Console) markDone(id string) {
	if c.done[id] {
		return
	}
	if len(c.order) == consoleDoneMax {
		delete(c.done, c.order[0])
		c.order = c.order[1:]
	}
	c.done[id] = true
	c.order = append(c.order, id)
}

// entry returns the pending entry of trace id, making one when there is
// none; when that would hold more than ConsoleMaxOpen traces, it first prints
// the oldest to w, marked "not ended".
func (c *Console) entry(w io.Writer, id string) *consoleTrace {
	e := c.pending[id]
	if e != nil {
		return e
	}
	if len(c.pending) >= ConsoleMaxOpen {
		var oldestID string
		var oldest *consoleTrace
		for k, v := range c.pending {
			if oldest == nil || v.seq < oldest.seq {
				oldestID, oldest = k, v
			}
		}
		c.print(w, oldest, false)
		delete(c.pending, oldestID)
		c.markDone(oldestID)
	}
	c.seq++
	e = &consoleTrace{seq: c.seq}
	c.pending[id] = e
	return e
}

func (c *Console) print(w io.Writer, e *consoleTrace, ended bool) {
	t := e.trace
	line := fmt.Sprintf("trace %q", t.Name())
	if c.ids {
		line += " " + t.ID()
		if g := t.GroupID(); g != "" {
			line += " group=" + g
		}
	}
	if !ended {
		line += " (not ended)"
	} else if c.timings {
		line += " " + formatDuration(t.EndTime().Sub(t.StartTime()))
	}
	fmt.Fprintln(w, line)

	children := map[string][]*tracing.Span{}
	known := map[string]bool{}
	for _, s := range e.spans {
		known[s.ID()] = true
	}
	for _, s := range e.spans {
		parent := s.ParentID()
		if !known[parent] {
			parent = "" // a root span, or a child of a span that never ended
		}
		children[parent] = append(children[parent], s)
	}
	for _, list := range children {
		slices.SortFunc(list, func(a, b *tracing.Span) int {
			return cmp.Or(a.StartTime().Compare(b.StartTime()), a.EndTime().Compare(b.EndTime()), cmp.Compare(a.ID(), b.ID()))
		})
	}
	c.printChildren(w, children, "", "")
}

func (c *Console) printChildren(w io.Writer, children map[string][]*tracing.Span, parent, indent string) {
	list := children[parent]
	for i, s := range list {
		branch, next := "├─ ", "│  "
		if i == len(list)-1 {
			branch, next = "└─ ", "   "
		}
		fmt.Fprintln(w, indent+branch+c.describe(s))
		c.printChildren(w, children, s.ID(), indent+next)
	}
}

// describe renders one span: kind, name, duration and the details of its kind.
func (c *Console) describe(s *tracing.Span) string {
	var b strings.Builder
	b.WriteString(s.Kind().String())
	if name := spanLabel(s.Data()); name != "" {
		fmt.Fprintf(&b, " %q", name)
	}
	if c.timings {
		b.WriteString(" " + formatDuration(s.EndTime().Sub(s.StartTime())))
	}
	b.WriteString(details(s.Data()))
	if err := s.Error(); err != nil {
		fmt.Fprintf(&b, " ERROR: %s", err.Message)
		if len(err.Data) > 0 {
			keys := make([]string, 0, len(err.Data))
			for k := range err.Data {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				fmt.Fprintf(&b, " %s=%v", k, err.Data[k])
			}
		}
	}
	return b.String()
}

func spanLabel(d spans.Data) string {
	switch d := d.(type) {
	case *spans.Generation, *spans.Transcription, *spans.Speech:
		return "" // the model is printed with the details
	case *spans.Turn:
		return d.AgentName
	case nil:
		return ""
	default:
		return d.SpanName()
	}
}

func details(d spans.Data) string {
	switch d := d.(type) {
	case *spans.Generation:
		return model(d.Model) + usage(d.Usage)
	case *spans.Response:
		return model(d.Model) + usage(d.Usage)
	case *spans.Transcription:
		return model(d.Model)
	case *spans.Speech:
		return model(d.Model)
	case *spans.Guardrail:
		return fmt.Sprintf(" triggered=%t", d.Triggered)
	case *spans.MCPListTools:
		return fmt.Sprintf(" tools=%d", len(d.Result))
	case *spans.Task:
		return usage(d.Usage)
	case *spans.Turn:
		return fmt.Sprintf(" turn=%d", d.Turn) + usage(d.Usage)
	}
	return ""
}

func model(m string) string {
	if m == "" {
		return ""
	}
	return " model=" + m
}

func usage(u *spans.Usage) string {
	if u == nil {
		return ""
	}
	return fmt.Sprintf(" tokens=%d in/%d out", u.InputTokens, u.OutputTokens)
}

func formatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}
