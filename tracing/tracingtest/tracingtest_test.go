package tracingtest_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

func TestRecorderTree(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	actx, a := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	_, open := tracing.StartSpan(actx, &spans.Custom{Name: "never ended"})
	_ = open
	octx, orphanParent := tracing.StartSpan(actx, &spans.Custom{Name: "parent not ended"})
	_, child := tracing.StartSpan(octx, &spans.Function{Name: "child"})
	child.SetError(tracingErr("boom"))
	child.End()
	_ = orphanParent
	a.End()
	tr.End()

	want := &tracingtest.Node{Kind: "trace", Name: "w", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "a"},
		{Kind: "function", Name: "child", Error: "boom"},
	}}
	got := rec.Tree(tr.ID())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if s := got.String(); !strings.Contains(s, "  function \"child\" error=\"boom\"\n") {
		t.Fatalf("String():\n%s", s)
	}
	if rec.Tree("trace_unknown") != nil {
		t.Fatal("unknown trace must give nil")
	}
	if len(rec.StartedSpans()) != 4 || len(rec.Spans()) != 2 {
		t.Fatalf("started %d ended %d", len(rec.StartedSpans()), len(rec.Spans()))
	}
	rec.Reset()
	if len(rec.Spans()) != 0 || len(rec.Traces()) != 0 {
		t.Fatal("Reset")
	}
}

type tracingErr string

func (e tracingErr) Error() string { return string(e) }

func TestDeterministicIDsAndClock(t *testing.T) {
	g := &tracingtest.SequentialIDs{}
	if g.NewTraceID() != "trace_00000000000000000000000000000001" || g.NewSpanID() != "span_000000000000000000000001" || g.NewSpanID() != "span_000000000000000000000002" {
		t.Fatal("sequential ids")
	}
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	c := tracingtest.NewStepClock(start, time.Second)
	if !c.Now().Equal(start) || !c.Now().Equal(start.Add(time.Second)) {
		t.Fatal("step clock")
	}
}

// Spans from concurrent goroutines compare equal whatever order they
// started in, under IgnoreSiblingOrder; without it the order counts.
func TestIgnoreSiblingOrder(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "fan out")
	var wg sync.WaitGroup
	for _, name := range []string{"b", "a", "c"} {
		wg.Go(func() {
			actx, a := tracing.StartSpan(ctx, &spans.Agent{Name: name})
			_, g := tracing.StartSpan(actx, &spans.Generation{Model: "m-" + name})
			g.End()
			a.End()
		})
	}
	wg.Wait()
	tr.End()
	agent := func(name string) *tracingtest.Node {
		return &tracingtest.Node{Kind: "agent", Name: name, Children: []*tracingtest.Node{{Kind: "generation", Name: "m-" + name}}}
	}
	want := &tracingtest.Node{Kind: "trace", Name: "fan out", Children: []*tracingtest.Node{agent("a"), agent("b"), agent("c")}}
	if diff := cmp.Diff(want, rec.OnlyTree(t), tracingtest.IgnoreSiblingOrder()); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	wrong := &tracingtest.Node{Kind: "trace", Name: "fan out", Children: []*tracingtest.Node{agent("a"), agent("b"), agent("d")}}
	if cmp.Equal(wrong, rec.OnlyTree(t), tracingtest.IgnoreSiblingOrder()) {
		t.Error("IgnoreSiblingOrder ignores names too")
	}
	swapped := &tracingtest.Node{Kind: "trace", Name: "fan out", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "a", Children: []*tracingtest.Node{{Kind: "generation", Name: "m-b"}}}, agent("b"), agent("c")}}
	if cmp.Equal(swapped, rec.OnlyTree(t), tracingtest.IgnoreSiblingOrder()) {
		t.Error("IgnoreSiblingOrder moves children between parents")
	}
}

// fatalRecorder stands in for a *testing.T to see OnlyTree fail.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
}

func TestOnlyTreeFailsWithoutExactlyOneTrace(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	_, open := tp.StartTrace(context.Background(), "never ended")
	_ = open
	f := &fatalRecorder{}
	rec.OnlyTree(f)
	if !strings.Contains(f.msg, "0 traces ended") {
		t.Errorf("OnlyTree with no ended trace: %q", f.msg)
	}
	for range 2 {
		_, tr := tp.StartTrace(context.Background(), "w")
		tr.End()
	}
	f.msg = ""
	rec.OnlyTree(f)
	if !strings.Contains(f.msg, "2 traces ended") {
		t.Errorf("OnlyTree with two ended traces: %q", f.msg)
	}
}
