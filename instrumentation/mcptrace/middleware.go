package mcptrace

import (
	"context"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The methods the middleware records.
const (
	methodListTools = "tools/list"
	methodCallTool  = "tools/call"
)

// Middleware returns an MCP middleware that records the tool traffic of a
// session: each tools/list request as a [spans.MCPListTools] span (the
// server and the tool names it lists), and each tools/call request as a
// [spans.Function] span (the tool, its arguments as JSON, its result, the
// server in MCPData, and the error of a failed call or of a result with
// isError set). Spans are children of the span current in the request's
// context; other methods, and requests whose context holds no recorded
// trace ([tracing.Recording]), pass through at the cost of a comparison or
// a context lookup. The same middleware serves both ends of a session:
//
//	client.AddSendingMiddleware(mcptrace.Middleware())
//	server.AddReceivingMiddleware(mcptrace.Middleware(mcptrace.WithServerName("weather")))
//
// Middleware added later wraps what was added before (and, in one call,
// the first given is the outermost): add it after the session's other
// middleware, so that it sees each request as the program makes it and a
// call the SDK sends in several rounds makes one span. It is safe for
// concurrent use.
func Middleware(opts ...Option) mcp.Middleware {
	t := &tracer{cfg: newConfig(opts)}
	return t.wrap
}

type tracer struct {
	cfg config
}

func (t *tracer) wrap(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		switch {
		case method != methodCallTool && method != methodListTools, !tracing.Recording(ctx):
			return next(ctx, method, req)
		case method == methodCallTool:
			return t.callTool(ctx, method, req, next)
		default:
			return t.listTools(ctx, method, req, next)
		}
	}
}

// callTool records one tools/call request.
func (t *tracer) callTool(ctx context.Context, method string, req mcp.Request, next mcp.MethodHandler) (res mcp.Result, err error) {
	content := tracing.TraceFromContext(ctx).Provider().IncludesSensitiveData()
	fn := &spans.Function{}
	guard(func() {
		fn.MCPData = t.serverData(req)
		switch p := req.GetParams().(type) {
		case *mcp.CallToolParams: // a client's
			fn.Name = p.Name
			if content {
				fn.Input = jsonText(p.Arguments)
			}
		case *mcp.CallToolParamsRaw: // a server's
			fn.Name = p.Name
			if content {
				fn.Input = string(p.Arguments)
			}
		}
	})
	ctx, span := tracing.StartSpan(ctx, fn)
	defer span.End()
	res, err = next(ctx, method, req)
	guard(func() {
		if err != nil {
			span.SetError(err)
			return
		}
		r, ok := res.(*mcp.CallToolResult)
		if !ok || r == nil {
			return
		}
		if content {
			fn.Output = ToolOutput(r)
		}
		if r.IsError {
			span.SetError(toolError(fn.Name, r, content))
		}
	})
	return res, err
}

// listTools records one tools/list request.
func (t *tracer) listTools(ctx context.Context, method string, req mcp.Request, next mcp.MethodHandler) (res mcp.Result, err error) {
	lt := &spans.MCPListTools{}
	guard(func() { lt.Server = t.serverName(req) })
	ctx, span := tracing.StartSpan(ctx, lt)
	defer span.End()
	res, err = next(ctx, method, req)
	guard(func() {
		span.SetError(err)
		if r, ok := res.(*mcp.ListToolsResult); ok && r != nil {
			lt.Result = make([]string, 0, len(r.Tools))
			for _, tool := range r.Tools {
				if tool != nil {
					lt.Result = append(lt.Result, tool.Name)
				}
			}
		}
	})
	return res, err
}

// serverName returns the name of the request's server.
func (t *tracer) serverName(req mcp.Request) string {
	if t.cfg.server != "" {
		return t.cfg.server
	}
	if cs, ok := req.GetSession().(*mcp.ClientSession); ok && cs != nil {
		if r := cs.InitializeResult(); r != nil && r.ServerInfo != nil {
			return r.ServerInfo.Name
		}
	}
	return ""
}

// serverData returns the MCP data of a tool call made in req's session.
func (t *tracer) serverData(req mcp.Request) map[string]any {
	switch s := req.GetSession().(type) {
	case *mcp.ClientSession:
		md := ServerData(s)
		if t.cfg.server != "" {
			md["server"] = t.cfg.server
		}
		return md
	case *mcp.ServerSession:
		md := make(map[string]any, 5)
		if t.cfg.server != "" {
			md["server"] = t.cfg.server
		}
		if s == nil {
			return md
		}
		if id := s.ID(); id != "" {
			md["session_id"] = id
		}
		if p := s.InitializeParams(); p != nil {
			if p.ProtocolVersion != "" {
				md["protocol_version"] = p.ProtocolVersion
			}
			if c := p.ClientInfo; c != nil {
				md["client"] = c.Name
				if c.Version != "" {
					md["client_version"] = c.Version
				}
			}
		}
		return md
	}
	return nil
}

// jsonText returns v's JSON encoding, or "" when it has none.
func jsonText(v any) string {
	if v == nil {
		return ""
	}
	if raw, ok := v.(json.RawMessage); ok {
		return string(raw)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// guard runs f; a panic in f goes no further, so that a fault in the
// middleware never reaches the traced program.
func guard(f func()) {
	defer func() { _ = recover() }()
	f()
}
