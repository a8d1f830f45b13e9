// Package tracingtest helps test code instrumented with the tracing package:
// a [Recorder] processor that keeps what it is given, span-tree helpers to
// compare recorded traces with Go literals, and deterministic ids and clocks.
//
//	tp, rec := tracingtest.NewProvider()
//	runMyAgent(ctx, tp)
//	want := &tracingtest.Node{Kind: "trace", Name: "my workflow", Children: []*tracingtest.Node{
//		{Kind: "agent", Name: "Planner"},
//	}}
//	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" { t.Error(diff) }
//
// Children are in start order. Spans started by concurrent goroutines start
// in whatever order the scheduler picks: compare such trees with
// cmp.Diff(want, got, tracingtest.IgnoreSiblingOrder()).
package tracingtest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// Recorder is a [tracing.Processor] that records traces and spans in memory.
// It is safe for concurrent use.
type Recorder struct {
	mu          sync.Mutex
	started     []*tracing.Trace
	traces      []*tracing.Trace
	spanStarted []*tracing.Span
	spans       []*tracing.Span
	flushes     int
	shutdowns   int
}

var _ tracing.Processor = (*Recorder)(nil)

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// NewProvider returns a provider whose only processor is a new Recorder, with
// sequential ids ([SequentialIDs]) and a clock that starts at 2025-01-02
// 03:04:05 UTC and advances by a millisecond on every reading ([StepClock]).
// Options are applied after those defaults.
func NewProvider(opts ...tracing.Option) (*tracing.Provider, *Recorder) {
	rec := NewRecorder()
	clock := NewStepClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), time.Millisecond)
	base := []tracing.Option{
		tracing.WithProcessor(rec),
		tracing.WithIDGenerator(&SequentialIDs{}),
		tracing.WithClock(clock.Now),
		tracing.WithDisabled(false),
		tracing.WithSensitiveData(true),
	}
	return tracing.NewProvider(append(base, opts...)...), rec
}

// OnTraceStart records t.
func (r *Recorder) OnTraceStart(t *tracing.Trace) {
	r.mu.Lock()
	r.started = append(r.started, t)
	r.mu.Unlock()
}

// OnTraceEnd records t.
func (r *Recorder) OnTraceEnd(t *tracing.Trace) {
	r.mu.Lock()
	r.traces = append(r.traces, t)
	r.mu.Unlock()
}

// OnSpanStart records s.
func (r *Recorder) OnSpanStart(s *tracing.Span) {
	r.mu.Lock()
	r.spanStarted = append(r.spanStarted, s)
	r.mu.Unlock()
}

// OnSpanEnd records s.
func (r *Recorder) OnSpanEnd(s *tracing.Span) {
	r.mu.Lock()
	r.spans = append(r.spans, s)
	r.mu.Unlock()
}

// ForceFlush counts the call.
func (r *Recorder) ForceFlush(ctx context.Context) error {
	r.mu.Lock()
	r.flushes++
	r.mu.Unlock()
	return ctx.Err()
}

// Shutdown counts the call.
func (r *Recorder) Shutdown(context.Context) error {
	r.mu.Lock()
	r.shutdowns++
	r.mu.Unlock()
	return nil
}

// StartedTraces returns the traces started, in order.
func (r *Recorder) StartedTraces() []*tracing.Trace {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.started)
}

// Traces returns the traces ended, in order.
func (r *Recorder) Traces() []*tracing.Trace {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.traces)
}

// StartedSpans returns the spans started, in order.
func (r *Recorder) StartedSpans() []*tracing.Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.spanStarted)
}

// Spans returns the spans ended, in order.
func (r *Recorder) Spans() []*tracing.Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.spans)
}

// Flushes returns how often ForceFlush was called.
func (r *Recorder) Flushes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.flushes
}

// Shutdowns returns how often Shutdown was called.
func (r *Recorder) Shutdowns() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.shutdowns
}

// Reset forgets everything recorded.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started, r.traces, r.spanStarted, r.spans = nil, nil, nil, nil
	r.flushes, r.shutdowns = 0, 0
}

// Node is one span of a recorded tree, reduced to what tests usually compare.
// The root Node of a tree stands for the trace itself, with Kind "trace".
type Node struct {
	// Kind is the span kind's wire name, or "trace" for the root.
	Kind string
	// Name is the workflow name for the root, else the data's SpanName.
	Name string
	// Error is the recorded error message, or "".
	Error string
	// Children are the child spans, in start order.
	Children []*Node
}

// String renders the tree one node a line, indented, for failure messages.
func (n *Node) String() string {
	var b []byte
	var walk func(*Node, string)
	walk = func(n *Node, indent string) {
		b = fmt.Appendf(b, "%s%s %q", indent, n.Kind, n.Name)
		if n.Error != "" {
			b = fmt.Appendf(b, " error=%q", n.Error)
		}
		b = append(b, '\n')
		for _, c := range n.Children {
			walk(c, indent+"  ")
		}
	}
	walk(n, "")
	return string(b)
}

// Tree returns the ended spans of the trace with id traceID as a tree under a
// root Node for the trace. Spans whose parent did not end are attached to the
// root. It returns nil when nothing of that trace was recorded.
func (r *Recorder) Tree(traceID string) *Node {
	r.mu.Lock()
	var root *Node
	for _, t := range r.started {
		if t.ID() == traceID {
			root = &Node{Kind: "trace", Name: t.Name()}
		}
	}
	var list []*tracing.Span
	for _, s := range r.spans {
		if s.TraceID() == traceID {
			list = append(list, s)
		}
	}
	r.mu.Unlock()
	if root == nil && len(list) == 0 {
		return nil
	}
	if root == nil {
		root = &Node{Kind: "trace", Name: list[0].Trace().Name()}
	}
	return BuildTree(root, list)
}

// OnlyTree returns the tree of the one trace that has ended, or fails t
// (with t.Fatalf) when not exactly one has: the code under test may have
// forgotten to end its trace.
func (r *Recorder) OnlyTree(t testing.TB) *Node {
	t.Helper()
	traces := r.Traces()
	if len(traces) != 1 {
		names := make([]string, len(traces))
		for i, tr := range traces {
			names[i] = tr.Name()
		}
		t.Fatalf("tracingtest: %d traces ended %q, want exactly 1 (is End called on the trace?)", len(traces), names)
		return nil
	}
	return r.Tree(traces[0].ID())
}

// IgnoreSiblingOrder returns a go-cmp option under which the children of
// every node compare as a set, for trees with spans from concurrent
// goroutines. It orders siblings by kind, name, error and then their own
// children.
func IgnoreSiblingOrder() gocmp.Option {
	return cmpopts.SortSlices(func(a, b *Node) bool { return compareNodes(a, b) < 0 })
}

func compareNodes(a, b *Node) int {
	if a == nil || b == nil {
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	}
	if c := cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Error, b.Error)); c != 0 {
		return c
	}
	x, y := slices.Clone(a.Children), slices.Clone(b.Children)
	slices.SortFunc(x, compareNodes)
	slices.SortFunc(y, compareNodes)
	return slices.CompareFunc(x, y, compareNodes)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BuildTree arranges spans under root by their parent ids, children in start
// order, and returns root. It does not change list.
func BuildTree(root *Node, list []*tracing.Span) *Node {
	list = slices.Clone(list)
	slices.SortStableFunc(list, func(a, b *tracing.Span) int {
		return cmp.Or(a.StartTime().Compare(b.StartTime()), a.EndTime().Compare(b.EndTime()), cmp.Compare(a.ID(), b.ID()))
	})
	nodes := make(map[string]*Node, len(list))
	for _, s := range list {
		n := &Node{Kind: s.Kind().String(), Name: s.Data().SpanName()}
		if e := s.Error(); e != nil {
			n.Error = e.Message
		}
		nodes[s.ID()] = n
	}
	for _, s := range list {
		parent := root
		if p, ok := nodes[s.ParentID()]; ok && s.ParentID() != "" {
			parent = p
		}
		parent.Children = append(parent.Children, nodes[s.ID()])
	}
	return root
}

// SequentialIDs is a [tracing.IDGenerator] that numbers ids from 1:
// trace_000...001, span_000...001, ... It is safe for concurrent use.
type SequentialIDs struct {
	traces, spans atomic.Uint64
}

// NewTraceID returns the next trace id.
func (g *SequentialIDs) NewTraceID() string {
	return fmt.Sprintf("%s%032x", tracing.TraceIDPrefix, g.traces.Add(1))
}

// NewSpanID returns the next span id.
func (g *SequentialIDs) NewSpanID() string {
	return fmt.Sprintf("%s%024x", tracing.SpanIDPrefix, g.spans.Add(1))
}

// StepClock is a clock that advances by a fixed step on every reading. It is
// safe for concurrent use.
type StepClock struct {
	mu   sync.Mutex
	next time.Time
	step time.Duration
}

// NewStepClock returns a clock whose first reading is start.
func NewStepClock(start time.Time, step time.Duration) *StepClock {
	return &StepClock{next: start, step: step}
}

// Now returns the current reading and advances the clock.
func (c *StepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.next
	c.next = c.next.Add(c.step)
	return t
}
