package mcptrace_test

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

func ExampleMiddleware() {
	server := mcp.NewServer(&mcp.Implementation{Name: "weather-server", Version: "v1"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "get_weather", Description: "Current weather"},
		func(ctx context.Context, req *mcp.CallToolRequest, in struct{ City string }) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "sunny in " + in.City}}}, nil, nil
		})
	client := mcp.NewClient(&mcp.Implementation{Name: "agent", Version: "v1"}, nil)
	client.AddSendingMiddleware(mcptrace.Middleware())

	st, ct := mcp.NewInMemoryTransports()
	ss, _ := server.Connect(context.Background(), st, nil)
	cs, err := client.Connect(context.Background(), ct, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = cs.Close(); _ = ss.Wait() }()

	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "weather run")
	_, _ = cs.ListTools(ctx, nil)
	_, _ = cs.CallTool(ctx, &mcp.CallToolParams{Name: "get_weather", Arguments: map[string]any{"City": "Paris"}})
	tr.End()

	for _, s := range rec.Spans() {
		switch d := s.Data().(type) {
		case *spans.MCPListTools:
			fmt.Println(s.Kind(), d.Server, d.Result)
		case *spans.Function:
			fmt.Println(s.Kind(), d.Name, d.Input, d.Output, d.MCPData["server"])
		}
	}
	// Output:
	// mcp_tools weather-server [get_weather]
	// function get_weather {"City":"Paris"} sunny in Paris weather-server
}
