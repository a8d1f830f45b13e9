package mcptrace_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

type weatherIn struct {
	City string `json:"city" jsonschema:"the city"`
}

type forecastOut struct {
	City  string `json:"city"`
	TempC int    `json:"temp_c"`
	Sky   string `json:"sky"`
}

// newServer returns a real MCP server with four tools: get_weather (text),
// get_forecast (structured output), get_map (an image) and fail (an
// isError result).
func newServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "weather-server", Version: "v1.2.0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "get_weather", Description: "Current weather of a city"},
		func(ctx context.Context, req *mcp.CallToolRequest, in weatherIn) (*mcp.CallToolResult, any, error) {
			// The handler's own spans nest under the server's span, if any.
			_, span := tracing.StartSpan(ctx, &spans.Custom{Name: "weather lookup"})
			span.End()
			return &mcp.CallToolResult{Content: []mcp.Content{
				&mcp.TextContent{Text: "18°C in " + in.City},
				&mcp.TextContent{Text: "sunny"},
			}}, nil, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "get_forecast", Description: "Tomorrow's forecast"},
		func(ctx context.Context, req *mcp.CallToolRequest, in weatherIn) (*mcp.CallToolResult, forecastOut, error) {
			return nil, forecastOut{City: in.City, TempC: 21, Sky: "cloudy"}, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "get_map", Description: "A map of a city"},
		func(ctx context.Context, req *mcp.CallToolRequest, in weatherIn) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{
				&mcp.TextContent{Text: "map of " + in.City},
				&mcp.ImageContent{MIMEType: "image/png", Data: []byte("PNG")},
			}}, nil, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "fail", Description: "Always fails"},
		func(ctx context.Context, req *mcp.CallToolRequest, in weatherIn) (*mcp.CallToolResult, any, error) {
			return nil, nil, errors.New("station " + in.City + " is offline")
		})
	return s
}

// connect connects a real client to srv over the SDK's in-memory
// transport, the client traced by clientMW and the server by serverMW
// (either may be nil). The server's connection runs with serverCtx.
func connect(t testing.TB, srv *mcp.Server, serverCtx context.Context, clientMW, serverMW mcp.Middleware) *mcp.ClientSession {
	t.Helper()
	if serverMW != nil {
		srv.AddReceivingMiddleware(serverMW)
	}
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(serverCtx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "weather-agent", Version: "v0.1.0"}, nil)
	if clientMW != nil {
		client.AddSendingMiddleware(clientMW)
	}
	cs, err := client.Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.Close()
		_ = ss.Wait()
	})
	return cs
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
