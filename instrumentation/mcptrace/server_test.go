package mcptrace_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestServerSpans traces the server end: its connection runs in a trace,
// so every request it serves is recorded there, and the tool handlers' own
// spans nest under the calls' spans.
func TestServerSpans(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	serverCtx, tr := tp.StartTrace(context.Background(), "weather server")
	cs := connect(t, newServer(), serverCtx, nil, mcptrace.Middleware(mcptrace.WithServerName("weather-server")))

	ctx := context.Background()
	if _, err := cs.ListTools(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"get_weather", "fail"} {
		if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: map[string]any{"city": "Paris"}}); err != nil {
			t.Fatal(err)
		}
	}
	tr.End()

	want := &tracingtest.Node{Kind: "trace", Name: "weather server", Children: []*tracingtest.Node{
		{Kind: "mcp_tools", Name: "weather-server"},
		{Kind: "function", Name: "get_weather", Children: []*tracingtest.Node{{Kind: "custom", Name: "weather lookup"}}},
		{Kind: "function", Name: "fail", Error: "MCP tool error"},
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	for _, s := range rec.Spans() {
		switch d := s.Data().(type) {
		case *spans.MCPListTools:
			if len(d.Result) != 4 {
				t.Errorf("tools/list %v, want the four tools", d.Result)
			}
		case *spans.Function:
			md := d.MCPData
			if md["server"] != "weather-server" || md["client"] != "weather-agent" || md["client_version"] != "v0.1.0" || md["protocol_version"] == nil {
				t.Errorf("%s: MCP data %v, want the server's name and the client's", d.Name, md)
			}
			if d.Input != `{"city":"Paris"}` {
				t.Errorf("%s: input %q", d.Name, d.Input)
			}
			if d.Name == "fail" && !strings.Contains(s.Error().Data["error"].(string), "offline") {
				t.Errorf("fail: error %+v, want the handler's error", s.Error())
			}
		}
	}
}

// TestBothEnds traces the client and the server in one process: each
// records its own spans, in its own trace.
func TestBothEnds(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	serverCtx, str := tp.StartTrace(context.Background(), "weather server")
	cs := connect(t, newServer(), serverCtx, mcptrace.Middleware(), mcptrace.Middleware(mcptrace.WithServerName("weather-server")))
	ctx, tr := tp.StartTrace(context.Background(), "weather run")
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "get_weather", Arguments: map[string]any{"city": "Paris"}}); err != nil {
		t.Fatal(err)
	}
	tr.End()
	str.End()
	traces := rec.Traces()
	if len(traces) != 2 {
		t.Fatalf("%d traces, want 2", len(traces))
	}
	client := rec.Tree(traces[0].ID())
	server := rec.Tree(traces[1].ID())
	wantClient := &tracingtest.Node{Kind: "trace", Name: "weather run", Children: []*tracingtest.Node{{Kind: "function", Name: "get_weather"}}}
	wantServer := &tracingtest.Node{Kind: "trace", Name: "weather server", Children: []*tracingtest.Node{
		{Kind: "function", Name: "get_weather", Children: []*tracingtest.Node{{Kind: "custom", Name: "weather lookup"}}},
	}}
	if diff := cmp.Diff(wantClient, client); diff != "" {
		t.Errorf("client tree (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantServer, server); diff != "" {
		t.Errorf("server tree (-want +got):\n%s", diff)
	}
}
