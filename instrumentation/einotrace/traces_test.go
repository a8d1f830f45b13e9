package einotrace_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent"
	"github.com/cloudwego/eino/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

func weatherScript() *scriptModel {
	return &scriptModel{replies: []*schema.Message{toolCall("call_1", "Paris"), answer("It is sunny in Paris.")}}
}

// TestGlobalHandlerConcurrentRuns registers the handler globally, as the
// two-line setup does, and runs ReAct agents from many goroutines at once:
// each run is a trace of its own with the same tree.
func TestGlobalHandlerConcurrentRuns(t *testing.T) {
	tp, rec, w := newProvider()
	globalHandler(t, einotrace.NewHandler(einotrace.WithProvider(tp)))

	const runs = 8
	var wg sync.WaitGroup
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ag := newReAct(t, weatherScript())
			var err error
			if i%2 == 0 {
				_, err = ag.Generate(context.Background(), question)
			} else {
				var sr *schema.StreamReader[*schema.Message]
				if sr, err = ag.Stream(context.Background(), question); err == nil {
					for err == nil {
						_, err = sr.Recv()
					}
					sr.Close()
					err = nil
				}
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	traces := w.wait(t, runs)
	for _, tr := range traces {
		if diff := cmp.Diff(reactTree(""), rec.Tree(tr.ID())); diff != "" {
			t.Errorf("trace %s (-want +got):\n%s", tr.ID(), diff)
		}
	}
	if started, ended := len(rec.StartedSpans()), len(rec.Spans()); started != ended || ended != runs*5 {
		t.Errorf("%d spans started, %d ended, want %d", started, ended, runs*5)
	}
}

func TestOuterTrace(t *testing.T) {
	tp, rec, _ := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "Support chat", tracing.WithGroupID("thread_1"))
	ctx, outer := tracing.StartSpan(ctx, &spans.Agent{Name: "Front desk"})
	ag := newReAct(t, weatherScript())
	for _, opts := range [][]einotrace.Option{nil, {einotrace.WithoutNewTraces()}} {
		h := einotrace.NewHandler(opts...) // the span in ctx decides the provider
		if _, err := ag.Generate(ctx, question, agent.WithComposeOptions(compose.WithCallbacks(h))); err != nil {
			t.Fatal(err)
		}
	}
	outer.End()
	tr.End()
	run := reactTree("").Children[0]
	want := &tracingtest.Node{Kind: "trace", Name: "Support chat", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "Front desk", Children: []*tracingtest.Node{run, run}},
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if got := rec.Traces()[0].Input(); got != nil {
		t.Errorf("the handler set the input of a trace it did not start: %v", got)
	}
}

func TestWithoutNewTracesRecordsNothingOutsideATrace(t *testing.T) {
	tp, rec, _ := newProvider()
	ag := newReAct(t, weatherScript())
	h := einotrace.NewHandler(einotrace.WithProvider(tp), einotrace.WithoutNewTraces())
	if _, err := ag.Generate(context.Background(), question, agent.WithComposeOptions(compose.WithCallbacks(h))); err != nil {
		t.Fatal(err)
	}
	if n, m := len(rec.StartedTraces()), len(rec.StartedSpans()); n != 0 || m != 0 {
		t.Errorf("%d traces and %d spans recorded", n, m)
	}
}

// A run its caller disabled with tracing.WithTraceDisabled (or
// WithSpanDisabled) starts no trace of its own, even with no trace around it.
func TestCallerDisabledRunStartsNoTrace(t *testing.T) {
	tp, rec, _ := newProvider()
	ag := newReAct(t, weatherScript())
	h := einotrace.NewHandler(einotrace.WithProvider(tp))
	ctx, _ := tp.StartTrace(context.Background(), "private", tracing.WithTraceDisabled(true))
	if _, err := ag.Generate(ctx, question, agent.WithComposeOptions(compose.WithCallbacks(h))); err != nil {
		t.Fatal(err)
	}
	if n, m := len(rec.StartedTraces()), len(rec.StartedSpans()); n != 0 || m != 0 {
		t.Errorf("%d traces and %d spans recorded in a disabled run", n, m)
	}
	info := &callbacks.RunInfo{Name: "g", Component: compose.ComponentOfGraph}
	if h.(callbacks.TimingChecker).Needed(ctx, info, callbacks.TimingOnStart) {
		t.Error("the handler asks for callbacks of a disabled run")
	}
}

func TestTraceOptions(t *testing.T) {
	tp, rec, w := newProvider()
	md := map[string]any{"env": "test"}
	h := einotrace.NewHandler(einotrace.WithProvider(tp), einotrace.WithTraceName("Weather bot"),
		einotrace.WithGroupID("thread_9"), einotrace.WithMetadata(md))
	ag := newReAct(t, weatherScript())
	if _, err := ag.Generate(context.Background(), question, agent.WithComposeOptions(compose.WithCallbacks(h))); err != nil {
		t.Fatal(err)
	}
	tr := w.wait(t, 1)[0]
	if tr.Name() != "Weather bot" || tr.GroupID() != "thread_9" || tr.Metadata()["env"] != "test" {
		t.Errorf("trace %q, group %q, metadata %v", tr.Name(), tr.GroupID(), tr.Metadata())
	}
	if got := rec.OnlyTree(t).Children[0].Name; got != "ReActAgent" {
		t.Errorf("root span %q", got)
	}
}

// TestNotRecording checks that a disabled provider records nothing and that
// eino is told not to call the handler at all, so it copies no stream.
func TestNotRecording(t *testing.T) {
	tp, rec, _ := newProvider(tracing.WithDisabled(true))
	h := einotrace.NewHandler(einotrace.WithProvider(tp))
	checker, ok := h.(callbacks.TimingChecker)
	if !ok {
		t.Fatal("the handler is no TimingChecker")
	}
	info := &callbacks.RunInfo{Name: "g", Component: compose.ComponentOfGraph}
	for _, timing := range []callbacks.CallbackTiming{callbacks.TimingOnStart, callbacks.TimingOnStartWithStreamInput, callbacks.TimingOnEnd, callbacks.TimingOnEndWithStreamOutput, callbacks.TimingOnError} {
		if checker.Needed(context.Background(), info, timing) {
			t.Errorf("needed at %d with tracing disabled", timing)
		}
	}
	ag := newReAct(t, weatherScript())
	sr, err := ag.Stream(context.Background(), question, agent.WithComposeOptions(compose.WithCallbacks(h)))
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = sr.Recv()
	}
	sr.Close()
	if n := len(rec.StartedSpans()); n != 0 {
		t.Errorf("%d spans recorded", n)
	}
	tp.SetDisabled(false)
	if !checker.Needed(context.Background(), info, callbacks.TimingOnStart) {
		t.Error("not needed at start with tracing enabled")
	}
	if checker.Needed(context.Background(), info, callbacks.TimingOnEnd) {
		t.Error("needed at the end of a run whose start was not recorded")
	}
}

func TestSensitiveDataExcluded(t *testing.T) {
	tp, rec, w := newProvider(tracing.WithSensitiveData(false))
	ag := newReAct(t, &selfModel{name: "gpt-4.1", script: weatherScript()})
	h := einotrace.NewHandler(einotrace.WithProvider(tp))
	if _, err := ag.Generate(context.Background(), question, agent.WithComposeOptions(compose.WithCallbacks(h))); err != nil {
		t.Fatal(err)
	}
	w.wait(t, 1)
	for _, s := range rec.Spans() {
		b, err := json.Marshal(s.Data())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "Paris") {
			t.Errorf("%s %s keeps content: %s", s.Kind(), s.Name(), b)
		}
	}
	g := spansOf(rec, spans.KindGeneration)[1].Data().(*spans.Generation)
	if g.Model != "gpt-4.1" || g.Usage.Total() != 27 || g.FinishReason != "stop" {
		t.Errorf("generation lost its model, usage or finish reason: %+v", g)
	}
}

// badValue is a lambda output whose MarshalJSON panics.
type badValue struct{}

func (badValue) MarshalJSON() ([]byte, error) { panic("bad marshaller") }

// TestUnencodableValuesNeverBreakTheRun checks that values the handler
// cannot encode are described, and that the run goes on.
func TestUnencodableValuesNeverBreakTheRun(t *testing.T) {
	tp, rec, w := newProvider()
	chain := compose.NewChain[string, string]().
		AppendLambda(compose.InvokableLambda(func(context.Context, string) (badValue, error) { return badValue{}, nil }), compose.WithNodeName("bad")).
		AppendLambda(compose.InvokableLambda(func(context.Context, badValue) (func(), error) { return func() {}, nil }), compose.WithNodeName("func")).
		AppendLambda(compose.InvokableLambda(func(context.Context, func()) (string, error) { return "done", nil }), compose.WithNodeName("done"))
	r, err := chain.Compile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Invoke(context.Background(), "go", compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp))))
	if err != nil || out != "done" {
		t.Fatalf("run: %q, %v", out, err)
	}
	w.wait(t, 1)
	customs := spansOf(rec, spans.KindCustom)
	if len(customs) != 3 {
		t.Fatalf("%d custom spans\n%s", len(customs), rec.OnlyTree(t))
	}
	for i, want := range []string{"badValue: not encodable", "func(): not encodable"} {
		got, _ := customs[i].Data().(*spans.Custom).Output.(string)
		if !strings.Contains(got, want) {
			t.Errorf("%s output %q, want it to contain %q", customs[i].Name(), got, want)
		}
	}
}

// TestUnnamedGraph names the trace and root span after the component when
// the graph has no name.
func TestUnnamedGraph(t *testing.T) {
	tp, rec, w := newProvider()
	g := compose.NewGraph[string, string]()
	_ = g.AddLambdaNode("echo", compose.InvokableLambda(func(_ context.Context, s string) (string, error) { return s, nil }))
	_ = g.AddEdge(compose.START, "echo")
	_ = g.AddEdge("echo", compose.END)
	r, err := g.Compile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Invoke(context.Background(), "hi", compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp)))); err != nil {
		t.Fatal(err)
	}
	w.wait(t, 1)
	want := &tracingtest.Node{Kind: "trace", Name: "Graph", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "Graph", Children: []*tracingtest.Node{{Kind: "custom", Name: "echo"}}},
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}
