package mcptrace_test

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

func benchCtx(b *testing.B) context.Context {
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	ctx, tr := tp.StartTrace(context.Background(), "bench")
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	b.Cleanup(func() { agent.End(); tr.End() })
	return ctx
}

// BenchmarkMiddleware measures the middleware alone, around a handler that
// answers a server-side tools/call at once.
func BenchmarkMiddleware(b *testing.B) {
	result := &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "18°C in Paris"}, &mcp.TextContent{Text: "sunny"}}}
	next := func(context.Context, string, mcp.Request) (mcp.Result, error) { return result, nil }
	h := mcptrace.Middleware(mcptrace.WithServerName("weather-server"))(next)
	req := &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)}}
	for _, c := range []struct {
		name     string
		recorded bool
	}{{"unrecorded", false}, {"recorded", true}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			if c.recorded {
				ctx = benchCtx(b)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h(ctx, "tools/call", req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCallTool measures a whole tool call of the real client to a
// real server over the in-memory transport, without the middleware, with
// it outside any trace, and with it recording.
func BenchmarkCallTool(b *testing.B) {
	for _, c := range []struct {
		name     string
		mw       mcp.Middleware
		recorded bool
	}{
		{"bare", nil, false},
		{"unrecorded", mcptrace.Middleware(), false},
		{"recorded", mcptrace.Middleware(), true},
	} {
		b.Run(c.name, func(b *testing.B) {
			cs := connect(b, newServer(), context.Background(), c.mw, nil)
			ctx := context.Background()
			if c.recorded {
				ctx = benchCtx(b)
			}
			params := &mcp.CallToolParams{Name: "get_weather", Arguments: map[string]any{"city": "Paris"}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cs.CallTool(ctx, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
