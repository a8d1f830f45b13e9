package tracingtest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// runAgent stands in for the code under test.
func runAgent(ctx context.Context, tp *tracing.Provider) {
	ctx, tr := tp.Trace(ctx, "my workflow")
	defer tr.End()
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "Planner"})
	defer agent.End()
	_, gen := tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1"})
	gen.End()
	_, tool := tracing.FunctionSpan(ctx, "search", `{"q":"go"}`)
	tool.SetError(errors.New("no results"))
	tool.End()
}

// A recording provider keeps what the code under test traced; Tree rebuilds
// a trace as nodes of kind, name and error, to compare with a literal in a
// test (cmp.Diff(want, rec.OnlyTree(t))) or to print.
func ExampleNewProvider() {
	tp, rec := tracingtest.NewProvider()
	runAgent(context.Background(), tp)
	tr := rec.Traces()[0]
	fmt.Print(rec.Tree(tr.ID()))
	fmt.Println(tr.ID())
	// Output:
	// trace "my workflow"
	//   agent "Planner"
	//     generation "gpt-4.1"
	//     function "search" error="no results"
	// trace_00000000000000000000000000000001
}

// Ids are sequential and the clock steps a millisecond a reading, so what a
// test sees is the same on every run.
func ExampleSequentialIDs() {
	ids := &tracingtest.SequentialIDs{}
	clock := tracingtest.NewStepClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), time.Millisecond)
	fmt.Println(ids.NewTraceID())
	fmt.Println(ids.NewSpanID(), ids.NewSpanID())
	fmt.Println(clock.Now().Format(time.StampMilli), clock.Now().Format(time.StampMilli))
	// Output:
	// trace_00000000000000000000000000000001
	// span_000000000000000000000001 span_000000000000000000000002
	// Jan  2 03:04:05.000 Jan  2 03:04:05.001
}

// BuildTree nests ended spans under a root node by their parent ids, for
// spans gathered some other way than by a Recorder.
func ExampleBuildTree() {
	tp, rec := tracingtest.NewProvider()
	runAgent(context.Background(), tp)
	root := tracingtest.BuildTree(&tracingtest.Node{Kind: "trace", Name: "from spans"}, rec.Spans())
	fmt.Println(len(root.Children), len(root.Children[0].Children), root.Children[0].Children[1].Error)
	// Output:
	// 1 2 no results
}
