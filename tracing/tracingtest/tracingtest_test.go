package tracingtest_test

import (
	"context"
	"strings"
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
