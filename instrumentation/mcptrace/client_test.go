package mcptrace_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// agentRun lists the server's tools and calls each of them, and a tool the
// server does not have, under an agent span, as an agent loop does.
func agentRun(t *testing.T, tp *tracing.Provider, cs *mcp.ClientSession) map[string]*mcp.CallToolResult {
	t.Helper()
	ctx, tr := tp.StartTrace(context.Background(), "weather run")
	defer tr.End()
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "Weather agent"})
	defer agent.End()
	list, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	results := map[string]*mcp.CallToolResult{}
	for _, tool := range list.Tools {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool.Name, Arguments: map[string]any{"city": "Paris"}})
		if err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		results[tool.Name] = res
	}
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "no_such_tool", Arguments: map[string]any{}}); err == nil {
		t.Fatal("calling an unknown tool should fail")
	}
	return results
}

func TestClientSpans(t *testing.T) {
	cs := connect(t, newServer(), context.Background(), mcptrace.Middleware(), nil)
	tp, rec := tracingtest.NewProvider()
	results := agentRun(t, tp, cs)

	tree := rec.OnlyTree(t)
	unknown := tree.Children[0].Children[5].Error
	if !strings.Contains(unknown, "no_such_tool") {
		t.Errorf("unknown tool error %q, want the server's error naming it", unknown)
	}
	want := &tracingtest.Node{Kind: "trace", Name: "weather run", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "Weather agent", Children: []*tracingtest.Node{
			{Kind: "mcp_tools", Name: "weather-server"},
			{Kind: "function", Name: "fail", Error: "MCP tool error"},
			{Kind: "function", Name: "get_forecast"},
			{Kind: "function", Name: "get_map"},
			{Kind: "function", Name: "get_weather"},
			{Kind: "function", Name: "no_such_tool", Error: unknown},
		}},
	}}
	if diff := cmp.Diff(want, tree); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}

	data := map[string]spans.Data{}
	errs := map[string]*tracing.SpanError{}
	for _, s := range rec.Spans() {
		data[s.Name()], errs[s.Name()] = s.Data(), s.Error()
	}
	if diff := cmp.Diff(&spans.MCPListTools{Server: "weather-server", Result: []string{"fail", "get_forecast", "get_map", "get_weather"}}, data["weather-server"]); diff != "" {
		t.Errorf("tools/list (-want +got):\n%s", diff)
	}
	mcpData := mcptrace.ServerData(cs)
	if mcpData["server"] != "weather-server" || mcpData["server_version"] != "v1.2.0" || mcpData["protocol_version"] == "" {
		t.Errorf("ServerData %v, want the server's name, version and protocol", mcpData)
	}
	args := `{"city":"Paris"}`
	for name, want := range map[string]*spans.Function{
		"get_weather":  {Name: "get_weather", Input: args, Output: "18°C in Paris\nsunny", MCPData: mcpData},
		"get_forecast": {Name: "get_forecast", Input: args, Output: `{"city":"Paris","sky":"cloudy","temp_c":21}`, MCPData: mcpData},
		"get_map": {Name: "get_map", Input: args, MCPData: mcpData,
			Output: `[{"type":"text","text":"map of Paris"},{"type":"image","mimeType":"image/png","data":"UE5H"}]`},
		"fail":         {Name: "fail", Input: args, Output: "station Paris is offline", MCPData: mcpData},
		"no_such_tool": {Name: "no_such_tool", Input: `{}`, MCPData: mcpData},
	} {
		if diff := cmp.Diff(want, data[name]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	wantErr := &tracing.SpanError{Message: "MCP tool error", Data: map[string]any{"tool_name": "fail", "error": "station Paris is offline"}}
	if diff := cmp.Diff(wantErr, errs["fail"]); diff != "" {
		t.Errorf("isError result (-want +got):\n%s", diff)
	}
	// The program's results are the server's.
	if r := results["get_forecast"]; r.StructuredContent.(map[string]any)["sky"] != "cloudy" || !results["fail"].IsError {
		t.Errorf("the program got %+v and %+v", r, results["fail"])
	}
}

func TestClientServerNameOption(t *testing.T) {
	cs := connect(t, newServer(), context.Background(), mcptrace.Middleware(mcptrace.WithServerName("weather")), nil)
	tp, rec := tracingtest.NewProvider()
	agentRun(t, tp, cs)
	for _, s := range rec.Spans() {
		switch d := s.Data().(type) {
		case *spans.MCPListTools:
			if d.Server != "weather" {
				t.Errorf("tools/list server %q, want the configured name", d.Server)
			}
		case *spans.Function:
			if d.MCPData["server"] != "weather" || d.MCPData["server_version"] != "v1.2.0" {
				t.Errorf("%s: MCP data %v, want the configured name", d.Name, d.MCPData)
			}
		}
	}
}

func TestClientSensitiveDataOff(t *testing.T) {
	cs := connect(t, newServer(), context.Background(), mcptrace.Middleware(), nil)
	tp, rec := tracingtest.NewProvider(tracing.WithSensitiveData(false))
	agentRun(t, tp, cs)
	n := 0
	for _, s := range rec.Spans() {
		if f, ok := s.Data().(*spans.Function); ok {
			n++
			if f.Input != "" || f.Output != nil {
				t.Errorf("%s: input %q, output %v; want no content", f.Name, f.Input, f.Output)
			}
			if e := s.Error(); e != nil && strings.Contains(e.Message+jsonOf(t, e.Data), "Paris") {
				t.Errorf("%s: error %+v records tool output", f.Name, e)
			}
		}
	}
	if n != 5 {
		t.Errorf("%d function spans, want 5", n)
	}
}

func TestClientUnrecorded(t *testing.T) {
	cs := connect(t, newServer(), context.Background(), mcptrace.Middleware(), nil)
	tp, rec := tracingtest.NewProvider()
	tp.SetDisabled(true)
	agentRun(t, tp, cs)
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_weather", Arguments: map[string]any{"city": "Oslo"}}); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Spans()); n != 0 {
		t.Errorf("%d spans recorded, want 0", n)
	}
}

// TestClientListToolsError lists tools with a context already canceled:
// the request fails, and the span records the failure.
func TestClientListToolsError(t *testing.T) {
	cs := connect(t, newServer(), context.Background(), mcptrace.Middleware(), nil)
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "list")
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := cs.ListTools(ctx, nil)
	tr.End()
	if err == nil {
		t.Fatal("listing tools with a canceled context should fail")
	}
	want := &tracingtest.Node{Kind: "trace", Name: "list", Children: []*tracingtest.Node{
		{Kind: "mcp_tools", Name: "weather-server", Error: err.Error()},
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}
