package mcptrace_test

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// discard is a processor that does nothing, to measure the middleware alone.
type discard struct{}

func (discard) OnTraceStart(*tracing.Trace)      {}
func (discard) OnTraceEnd(*tracing.Trace)        {}
func (discard) OnSpanStart(*tracing.Span)        {}
func (discard) OnSpanEnd(*tracing.Span)          {}
func (discard) ForceFlush(context.Context) error { return nil }
func (discard) Shutdown(context.Context) error   { return nil }

// TestUnrecordedAllocatesNothing pins the cost of a request whose context
// holds no recorded trace, and of a method that is not recorded.
func TestUnrecordedAllocatesNothing(t *testing.T) {
	result := &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}
	next := func(context.Context, string, mcp.Request) (mcp.Result, error) { return result, nil }
	h := mcptrace.Middleware()(next)
	req := &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Name: "get_weather", Arguments: []byte(`{}`)}}

	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(discard{}))
	traceCtx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	hidden, _ := tracing.StartSpan(traceCtx, &spans.Agent{Name: "a"}, tracing.WithSpanDisabled(true))

	for _, c := range []struct {
		name, method string
		ctx          context.Context
	}{
		{"tools/call, no trace", "tools/call", context.Background()},
		{"tools/list, disabled span", "tools/list", hidden},
		{"another method", "resources/read", traceCtx},
	} {
		if got := testing.AllocsPerRun(1000, func() { _, _ = h(c.ctx, c.method, req) }); got != 0 {
			t.Errorf("%s: %v allocs per request, want 0", c.name, got)
		}
	}
}
