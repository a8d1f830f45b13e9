package mcptrace

import (
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// maxErrorText bounds the tool error text recorded on a span.
const maxErrorText = 1 << 10

// ToolOutput returns the result of a tool call as a function span's
// output: its structured content as JSON when it has any, else its text
// content joined with newlines, else (for images, audio and resources) its
// content list as JSON, in the MCP wire shape. A nil r gives "".
func ToolOutput(r *mcp.CallToolResult) string {
	if r == nil {
		return ""
	}
	if r.StructuredContent != nil {
		if s := jsonText(r.StructuredContent); s != "" {
			return s
		}
	}
	var b strings.Builder
	for i, c := range r.Content {
		tc, ok := c.(*mcp.TextContent)
		if !ok {
			return jsonText(r.Content)
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(tc.Text)
	}
	return b.String()
}

// ServerData returns the MCP data of a function span for a tool called in
// session cs, as the Python SDK records it and more: "server" (the name the
// server gives itself), "server_version", "protocol_version" and
// "session_id", those that are known. A nil cs gives an empty map.
func ServerData(cs *mcp.ClientSession) map[string]any {
	md := make(map[string]any, 4)
	if cs == nil {
		return md
	}
	if r := cs.InitializeResult(); r != nil {
		if si := r.ServerInfo; si != nil {
			md["server"] = si.Name
			if si.Version != "" {
				md["server_version"] = si.Version
			}
		}
		if r.ProtocolVersion != "" {
			md["protocol_version"] = r.ProtocolVersion
		}
	}
	if id := cs.ID(); id != "" {
		md["session_id"] = id
	}
	return md
}

// toolError describes a result with isError set. Its text, which is tool
// output, is recorded only when content is.
func toolError(name string, r *mcp.CallToolResult, content bool) *tracing.SpanError {
	data := map[string]any{"tool_name": name}
	if content {
		text := ToolOutput(r)
		data["error"] = clip(text, maxErrorText)
	}
	return &tracing.SpanError{Message: "MCP tool error", Data: data}
}

// clip returns s cut to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
