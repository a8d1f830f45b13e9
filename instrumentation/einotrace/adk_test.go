package einotrace_test

import (
	"context"
	"testing"

	"github.com/cloudwego/eino/adk"
	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// newADKRunner returns a runner whose router agent transfers to a weather
// agent that calls get_weather.
func newADKRunner(t *testing.T) *adk.Runner {
	t.Helper()
	ctx := context.Background()
	router, err := adk.NewChatModelAgent(ctx, &adk.ChatModelAgentConfig{
		Name: "router", Description: "Routes questions", Instruction: "Route the question.",
		Model: &scriptModel{replies: []*schema.Message{{Role: schema.Assistant, ToolCalls: []schema.ToolCall{{
			ID: "call_t", Type: "function", Function: schema.FunctionCall{Name: adk.TransferToAgentToolName, Arguments: `{"agent_name":"weather_agent"}`},
		}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	weather, err := adk.NewChatModelAgent(ctx, &adk.ChatModelAgentConfig{
		Name: "weather_agent", Description: "Forecasts", Instruction: "Forecast.",
		Model:       weatherScript(),
		ToolsConfig: adk.ToolsConfig{ToolsNodeConfig: compose.ToolsNodeConfig{Tools: []tool.BaseTool{weatherTool{}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	root, err := adk.SetSubAgents(ctx, router, []adk.Agent{weather})
	if err != nil {
		t.Fatal(err)
	}
	return adk.NewRunner(ctx, adk.RunnerConfig{Agent: root})
}

func drain(t *testing.T, it *adk.AsyncIterator[*adk.AgentEvent]) {
	t.Helper()
	for {
		ev, ok := it.Next()
		if !ok {
			return
		}
		if ev.Err != nil {
			t.Fatal(ev.Err)
		}
	}
}

// adkAgentTree is the tree of an ADK ChatModelAgent's run: its chain, the
// input lambda, and the ReAct graph inside.
func adkAgentTree(name string, inner ...*tracingtest.Node) *tracingtest.Node {
	return &tracingtest.Node{Kind: "agent", Name: name, Children: []*tracingtest.Node{
		{Kind: "custom", Name: "node_0"}, // a chain node's key
		{Kind: "agent", Name: "ReAct", Children: inner},
	}}
}

func TestADKTransferInsideATrace(t *testing.T) {
	tp, rec, _ := newProvider()
	globalHandler(t, einotrace.NewHandler(einotrace.WithProvider(tp)))
	ctx, tr := tp.StartTrace(context.Background(), "Weather desk")
	drain(t, newADKRunner(t).Query(ctx, "Weather in Paris?"))
	tr.End()
	want := &tracingtest.Node{Kind: "trace", Name: "Weather desk", Children: []*tracingtest.Node{
		adkAgentTree("router",
			&tracingtest.Node{Kind: "generation"},
			&tracingtest.Node{Kind: "custom", Name: "ToolNode", Children: []*tracingtest.Node{
				{Kind: "handoff", Name: "router -> weather_agent"},
			}},
			&tracingtest.Node{Kind: "custom", Name: "ToolNodeToEndConverter"},
		),
		adkAgentTree("weather_agent",
			&tracingtest.Node{Kind: "generation"},
			&tracingtest.Node{Kind: "custom", Name: "ToolNode", Children: []*tracingtest.Node{
				{Kind: "function", Name: "get_weather"},
			}},
			&tracingtest.Node{Kind: "generation"},
		),
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	agents := spansOf(rec, spans.KindAgent)
	in, ok := agents[0].Data().(*spans.Agent).Input.([]spans.Message)
	if !ok || len(in) != 1 || in[0].Content != "Weather in Paris?" {
		t.Errorf("router input %#v", agents[0].Data().(*spans.Agent).Input)
	}
}

func TestADKTransferWithoutATraceSharesAGroup(t *testing.T) {
	tp, _, w := newProvider()
	globalHandler(t, einotrace.NewHandler(einotrace.WithProvider(tp)))
	drain(t, newADKRunner(t).Query(context.Background(), "Weather in Paris?"))
	traces := w.wait(t, 2)
	if traces[1].StartTime().Before(traces[0].StartTime()) {
		traces[0], traces[1] = traces[1], traces[0]
	}
	names := []string{traces[0].Name(), traces[1].Name()}
	if diff := cmp.Diff([]string{"router", "weather_agent"}, names); diff != "" {
		t.Errorf("trace names (-want +got):\n%s", diff)
	}
	if g := traces[0].GroupID(); g == "" || g != traces[1].GroupID() {
		t.Errorf("group ids %q and %q", g, traces[1].GroupID())
	}
	drain(t, newADKRunner(t).Query(context.Background(), "Weather in Paris?"))
	again := w.wait(t, 2)
	if again[0].GroupID() == traces[0].GroupID() {
		t.Error("two runs share a group id")
	}
}

// globalHandler registers h for every run until the test ends (ADK runs
// take no per-run handlers in eino v0.7).
func globalHandler(t *testing.T, h callbacks.Handler) {
	callbacks.AppendGlobalHandlers(h)
	t.Cleanup(func() { callbacks.InitCallbackHandlers(nil) })
}
