package mcptrace_test

import (
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace"
)

func TestToolOutput(t *testing.T) {
	for _, c := range []struct {
		name string
		r    *mcp.CallToolResult
		want string
	}{
		{"nil", nil, ""},
		{"no content", &mcp.CallToolResult{}, ""},
		{"texts joined", &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "a"}, &mcp.TextContent{Text: "b"}}}, "a\nb"},
		{"structured first", &mcp.CallToolResult{
			Content:           []mcp.Content{&mcp.TextContent{Text: `{"n":1}`}},
			StructuredContent: map[string]any{"n": 2},
		}, `{"n":2}`},
		{"a resource link", &mcp.CallToolResult{Content: []mcp.Content{&mcp.ResourceLink{URI: "file:///a.txt", Name: "a"}}},
			`[{"type":"resource_link","uri":"file:///a.txt","name":"a"}]`},
	} {
		if got := mcptrace.ToolOutput(c.r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if md := mcptrace.ServerData(nil); md == nil || len(md) != 0 {
		t.Errorf("ServerData(nil) = %v, want an empty map", md)
	}
}
