// Package mcptrace records the tool traffic of MCP sessions made with the
// MCP Go SDK (github.com/modelcontextprotocol/go-sdk) as agenttrace spans,
// through the SDK's method middleware:
//
//	client := mcp.NewClient(impl, nil)
//	client.AddSendingMiddleware(mcptrace.Middleware())
//
// Listing a server's tools (tools/list, including each page of
// ClientSession.Tools) becomes a [spans.MCPListTools] span with the server
// and the tool names; calling a tool (tools/call) becomes a
// [spans.Function] span named after the tool, with its arguments as JSON
// text, its result (see [ToolOutput]) and, in MCPData, the server (see
// [ServerData]). A protocol error (an unknown tool, invalid arguments, a
// broken connection) and a result with isError set are the span's error;
// an isError result's text is in the error's data when content is
// recorded. Spans are children of the span current in the call's context,
// and nothing is recorded when it holds no recorded trace.
//
// # Servers
//
// The same middleware traces a server, as receiving middleware:
//
//	server.AddReceivingMiddleware(mcptrace.Middleware(mcptrace.WithServerName("weather")))
//
// Its spans are children of the span current in the context the server's
// connection runs with (the one given to Server.Connect or Server.Run), so
// the server names the trace they belong to; the spans a tool handler starts
// with its context nest under the call's span. The MCPData of a server's
// span names the client, from the session's initialization. The MCP
// session carries no trace context, so a client's and a server's spans are
// in traces of their own.
//
// # Sensitive data
//
// When the trace's provider drops sensitive data
// ([tracing.WithSensitiveData](false)), the middleware does not encode
// arguments or results at all, and an isError result's error carries the
// tool's name but not its text.
//
// # Performance considerations
//
// A request of another method, or one whose context holds no recorded
// trace, costs a string comparison or a context lookup and no allocation;
// the package's benchmarks measure both cases, and the cost of a recorded
// call.
package mcptrace
