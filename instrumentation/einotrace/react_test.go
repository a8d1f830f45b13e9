package einotrace_test

import (
	"context"
	"io"
	"testing"

	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent"
	"github.com/cloudwego/eino/flow/agent/react"
	"github.com/cloudwego/eino/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

func newReAct(t testing.TB, m model.ToolCallingChatModel, tools ...tool.BaseTool) *react.Agent {
	t.Helper()
	if len(tools) == 0 {
		tools = []tool.BaseTool{weatherTool{}}
	}
	ag, err := react.NewAgent(context.Background(), &react.AgentConfig{
		ToolCallingModel: m,
		ToolsConfig:      compose.ToolsNodeConfig{Tools: tools},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

// reactTree is the tree of one ReAct run that calls get_weather once.
func reactTree(model string) *tracingtest.Node {
	return &tracingtest.Node{Kind: "trace", Name: "ReActAgent", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "ReActAgent", Children: []*tracingtest.Node{
			{Kind: "generation", Name: model},
			{Kind: "custom", Name: "Tools", Children: []*tracingtest.Node{
				{Kind: "function", Name: "get_weather"},
			}},
			{Kind: "generation", Name: model},
		}},
	}}
}

// spansOf returns the ended spans of kind k, in start order.
func spansOf(rec *tracingtest.Recorder, k spans.Kind) []*tracing.Span {
	var out []*tracing.Span
	for _, s := range rec.Spans() {
		if s.Kind() == k {
			out = append(out, s)
		}
	}
	sortByStart(out)
	return out
}

func sortByStart(ss []*tracing.Span) {
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && ss[j].StartTime().Before(ss[j-1].StartTime()); j-- {
			ss[j], ss[j-1] = ss[j-1], ss[j]
		}
	}
}

var question = []*schema.Message{schema.SystemMessage("You forecast."), schema.UserMessage("Weather in Paris?")}

func TestReActInjectedCallbacks(t *testing.T) {
	tp, rec, w := newProvider()
	m := &scriptModel{replies: []*schema.Message{toolCall("call_1", "Paris"), answer("It is sunny in Paris.")}}
	ag := newReAct(t, m)

	out, err := ag.Generate(context.Background(), question, agent.WithComposeOptions(compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp)))))
	if err != nil {
		t.Fatal(err)
	}
	if out.Content != "It is sunny in Paris." {
		t.Fatalf("answer %q", out.Content)
	}
	w.wait(t, 1)
	if diff := cmp.Diff(reactTree(""), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}

	gens := spansOf(rec, spans.KindGeneration)
	g0 := gens[0].Data().(*spans.Generation)
	want0 := &spans.Generation{
		Input: []spans.Message{{Role: "system", Content: "You forecast."}, {Role: "user", Content: "Weather in Paris?"}},
		Output: []spans.Message{{Role: "assistant", ToolCalls: []spans.ToolCall{{
			ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`,
		}}}},
		Provider:     "script",
		FinishReason: "tool_calls",
		Usage:        &spans.Usage{Requests: 1, InputTokens: 10, OutputTokens: 5, TotalTokens: 15},
	}
	if diff := cmp.Diff(want0, g0); diff != "" {
		t.Errorf("first generation (-want +got):\n%s", diff)
	}
	g1 := gens[1].Data().(*spans.Generation)
	if n := len(g1.Input); n != 4 || g1.Input[3].Role != "tool" || g1.Input[3].ToolCallID != "call_1" || g1.Input[3].Name != "get_weather" {
		t.Errorf("second generation input: %+v", g1.Input)
	}
	if g1.Usage.Total() != 27 || g1.Output[0].Content != "It is sunny in Paris." {
		t.Errorf("second generation: usage %+v, output %+v", g1.Usage, g1.Output)
	}

	fn := spansOf(rec, spans.KindFunction)[0]
	wantFn := &spans.Function{Name: "get_weather", CallID: "call_1", Input: `{"city":"Paris"}`, Output: `{"forecast":"sunny"}`}
	if diff := cmp.Diff(wantFn, fn.Data()); diff != "" {
		t.Errorf("function (-want +got):\n%s", diff)
	}
	if md := fn.Metadata(); md["eino.component"] != "Tool" || md["eino.type"] != "weatherTool" {
		t.Errorf("function metadata %v", md)
	}

	ag0 := spansOf(rec, spans.KindAgent)[0].Data().(*spans.Agent)
	if in, ok := ag0.Input.([]spans.Message); !ok || len(in) != 2 {
		t.Errorf("agent input %#v", ag0.Input)
	}
	if out, ok := ag0.Output.([]spans.Message); !ok || out[0].Content != "It is sunny in Paris." {
		t.Errorf("agent output %#v", ag0.Output)
	}
	tr := rec.Traces()[0]
	if in, ok := tr.Input().([]spans.Message); !ok || in[1].Content != "Weather in Paris?" {
		t.Errorf("trace input %#v", tr.Input())
	}
	if out, ok := tr.Output().([]spans.Message); !ok || out[0].Content != "It is sunny in Paris." {
		t.Errorf("trace output %#v", tr.Output())
	}
}

func TestReActSelfReportingModelStreams(t *testing.T) {
	tp, rec, w := newProvider()
	m := &selfModel{name: "gpt-4.1-mini", script: &scriptModel{replies: []*schema.Message{toolCall("call_1", "Paris"), answer("It is sunny in Paris.")}}}
	ag := newReAct(t, m)

	sr, err := ag.Stream(context.Background(), question, agent.WithComposeOptions(compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp)))))
	if err != nil {
		t.Fatal(err)
	}
	// The caller's stream is untouched by the handler reading its copy.
	var got string
	for {
		c, err := sr.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got += c.Content
	}
	sr.Close()
	if got != "It is sunny in Paris." {
		t.Fatalf("streamed answer %q", got)
	}
	w.wait(t, 1)
	if diff := cmp.Diff(reactTree("gpt-4.1-mini"), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}

	gens := spansOf(rec, spans.KindGeneration)
	g1 := gens[1].Data().(*spans.Generation)
	if !g1.Stream || g1.FirstTokenAt.IsZero() || !g1.FirstTokenAt.After(gens[1].StartTime()) || g1.FirstTokenAt.After(gens[1].EndTime()) {
		t.Errorf("stream %v, first token %v, span %v..%v", g1.Stream, g1.FirstTokenAt, gens[1].StartTime(), gens[1].EndTime())
	}
	if len(g1.Output) != 1 || g1.Output[0].Content != "It is sunny in Paris." || g1.FinishReason != "stop" {
		t.Errorf("concatenated output %+v, finish %q", g1.Output, g1.FinishReason)
	}
	if diff := cmp.Diff(&spans.Usage{Requests: 1, InputTokens: 20, OutputTokens: 7, TotalTokens: 27}, g1.Usage); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"temperature": 0.7, "max_tokens": 256}, g1.ModelConfig); diff != "" {
		t.Errorf("model config (-want +got):\n%s", diff)
	}
	wantTools := []spans.Tool{{Name: "get_weather", Description: "Get the weather of a city",
		Parameters: `{"properties":{"city":{"description":"the city","type":"string"}},"required":["city"],"type":"object"}`}}
	if diff := cmp.Diff(wantTools, g1.Tools); diff != "" {
		t.Errorf("tools (-want +got):\n%s", diff)
	}
	g0 := gens[0].Data().(*spans.Generation)
	if len(g0.Output) != 1 || len(g0.Output[0].ToolCalls) != 1 || g0.Output[0].ToolCalls[0].Arguments != `{"city":"Paris"}` {
		t.Errorf("streamed tool call %+v", g0.Output)
	}
	ag0 := spansOf(rec, spans.KindAgent)[0].Data().(*spans.Agent)
	if out, ok := ag0.Output.([]spans.Message); !ok || out[0].Content != "It is sunny in Paris." {
		t.Errorf("agent's streamed output %#v", ag0.Output)
	}
	if in, ok := ag0.Input.([]spans.Message); !ok || len(in) != 2 {
		t.Errorf("agent's streamed input %#v", ag0.Input)
	}
}
