package einotrace_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/components"
	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// scriptModel is a chat model that answers with the replies of its script
// in turn. It implements no callbacks, so compose injects them: the
// handler sees bare messages, as with most hand-written models.
type scriptModel struct {
	mu      sync.Mutex
	replies []*schema.Message
	next    int
	err     error // returned by Generate and Stream
	midErr  error // sent in the stream after the first chunk
}

func (m *scriptModel) GetType() string { return "Script" }

func (m *scriptModel) reply() (*schema.Message, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return nil, m.err
	}
	r := m.replies[m.next%len(m.replies)]
	m.next++
	return r, nil
}

func (m *scriptModel) Generate(ctx context.Context, _ []*schema.Message, _ ...model.Option) (*schema.Message, error) {
	return m.reply()
}

func (m *scriptModel) Stream(ctx context.Context, _ []*schema.Message, _ ...model.Option) (*schema.StreamReader[*schema.Message], error) {
	r, err := m.reply()
	if err != nil {
		return nil, err
	}
	return m.stream(r), nil
}

// stream streams a reply in chunks, failing after the first with midErr
// when it is set.
func (m *scriptModel) stream(r *schema.Message) *schema.StreamReader[*schema.Message] {
	chunks := split(r)
	if m.midErr == nil {
		return schema.StreamReaderFromArray(chunks)
	}
	sr, sw := schema.Pipe[*schema.Message](len(chunks))
	go func() {
		defer sw.Close()
		sw.Send(chunks[0], nil)
		sw.Send(nil, m.midErr)
	}()
	return sr
}

func (m *scriptModel) WithTools([]*schema.ToolInfo) (model.ToolCallingChatModel, error) {
	return m, nil
}

// split cuts a reply into stream chunks as vendors send them: a role-only
// chunk, the content word by word, the tool calls, then the usage.
func split(r *schema.Message) []*schema.Message {
	out := []*schema.Message{{Role: r.Role}}
	rest := r.Content
	for rest != "" {
		n := 1
		for n < len(rest) && rest[n-1] != ' ' {
			n++
		}
		out = append(out, &schema.Message{Role: r.Role, Content: rest[:n]})
		rest = rest[n:]
	}
	if len(r.ToolCalls) > 0 {
		out = append(out, &schema.Message{Role: r.Role, ToolCalls: r.ToolCalls})
	}
	if r.ResponseMeta != nil {
		out = append(out, &schema.Message{Role: r.Role, ResponseMeta: r.ResponseMeta})
	}
	return out
}

// selfModel is a chat model that reports its own callbacks, as eino-ext's
// models do: *model.CallbackInput with tools and config, and
// *model.CallbackOutput with the token usage.
type selfModel struct {
	script *scriptModel
	name   string
	tools  []*schema.ToolInfo
}

func (m *selfModel) GetType() string          { return "Self" }
func (m *selfModel) IsCallbacksEnabled() bool { return true }

func (m *selfModel) WithTools(tools []*schema.ToolInfo) (model.ToolCallingChatModel, error) {
	c := *m
	c.tools = tools
	return &c, nil
}

func (m *selfModel) config() *model.Config {
	return &model.Config{Model: m.name, Temperature: 0.7, MaxTokens: 256}
}

func (m *selfModel) start(ctx context.Context, in []*schema.Message) context.Context {
	ctx = callbacks.EnsureRunInfo(ctx, m.GetType(), components.ComponentOfChatModel)
	return callbacks.OnStart(ctx, &model.CallbackInput{Messages: in, Tools: m.tools, Config: m.config()})
}

func usageOf(r *schema.Message) *model.TokenUsage {
	if r.ResponseMeta == nil || r.ResponseMeta.Usage == nil {
		return nil
	}
	u := r.ResponseMeta.Usage
	return &model.TokenUsage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
}

func (m *selfModel) Generate(ctx context.Context, in []*schema.Message, _ ...model.Option) (*schema.Message, error) {
	ctx = m.start(ctx, in)
	r, err := m.script.reply()
	if err != nil {
		callbacks.OnError(ctx, err)
		return nil, err
	}
	callbacks.OnEnd(ctx, &model.CallbackOutput{Message: r, Config: m.config(), TokenUsage: usageOf(r)})
	return r, nil
}

func (m *selfModel) Stream(ctx context.Context, in []*schema.Message, _ ...model.Option) (*schema.StreamReader[*schema.Message], error) {
	ctx = m.start(ctx, in)
	r, err := m.script.reply()
	if err != nil {
		callbacks.OnError(ctx, err)
		return nil, err
	}
	outs := schema.StreamReaderWithConvert(m.script.stream(r), func(c *schema.Message) (*model.CallbackOutput, error) {
		return &model.CallbackOutput{Message: c, Config: m.config(), TokenUsage: usageOf(c)}, nil
	})
	_, sr := callbacks.OnEndWithStreamOutput(ctx, outs)
	return schema.StreamReaderWithConvert(sr, func(o *model.CallbackOutput) (*schema.Message, error) {
		return o.Message, nil
	}), nil
}

// weatherTool answers any city with the same forecast.
type weatherTool struct{ err error }

func (weatherTool) Info(context.Context) (*schema.ToolInfo, error) {
	return &schema.ToolInfo{
		Name: "get_weather", Desc: "Get the weather of a city",
		ParamsOneOf: schema.NewParamsOneOfByParams(map[string]*schema.ParameterInfo{
			"city": {Type: schema.String, Desc: "the city", Required: true},
		}),
	}, nil
}

func (t weatherTool) InvokableRun(_ context.Context, args string, _ ...tool.Option) (string, error) {
	if t.err != nil {
		return "", t.err
	}
	return `{"forecast":"sunny"}`, nil
}

// toolCall returns an assistant message that calls get_weather.
func toolCall(id, city string) *schema.Message {
	return &schema.Message{
		Role: schema.Assistant,
		ToolCalls: []schema.ToolCall{{ID: id, Type: "function", Function: schema.FunctionCall{
			Name: "get_weather", Arguments: `{"city":"` + city + `"}`,
		}}},
		ResponseMeta: &schema.ResponseMeta{FinishReason: "tool_calls", Usage: &schema.TokenUsage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15}},
	}
}

// answer returns a final assistant message.
func answer(text string) *schema.Message {
	return &schema.Message{
		Role: schema.Assistant, Content: text,
		ResponseMeta: &schema.ResponseMeta{FinishReason: "stop", Usage: &schema.TokenUsage{PromptTokens: 20, CompletionTokens: 7, TotalTokens: 27}},
	}
}

var errBoom = errors.New("boom")

// waiter is a processor that reports ended traces on a channel, so that
// tests wait for spans that end on the handler's stream goroutines.
type waiter struct {
	ended chan *tracing.Trace
}

func newWaiter() *waiter { return &waiter{ended: make(chan *tracing.Trace, 64)} }

func (w *waiter) OnTraceStart(*tracing.Trace)      {}
func (w *waiter) OnTraceEnd(t *tracing.Trace)      { w.ended <- t }
func (w *waiter) OnSpanStart(*tracing.Span)        {}
func (w *waiter) OnSpanEnd(*tracing.Span)          {}
func (w *waiter) ForceFlush(context.Context) error { return nil }
func (w *waiter) Shutdown(context.Context) error   { return nil }

// wait returns the next n traces to end, failing t when they do not end in
// a generous bound (a hang, not a timing check).
func (w *waiter) wait(t *testing.T, n int) []*tracing.Trace {
	t.Helper()
	out := make([]*tracing.Trace, 0, n)
	for len(out) < n {
		select {
		case tr := <-w.ended:
			out = append(out, tr)
		case <-time.After(20 * time.Second):
			t.Fatalf("%d of %d traces ended", len(out), n)
		}
	}
	return out
}

// newProvider returns a recording provider and a waiter for its traces.
func newProvider(opts ...tracing.Option) (*tracing.Provider, *tracingtest.Recorder, *waiter) {
	w := newWaiter()
	tp, rec := tracingtest.NewProvider(append([]tracing.Option{tracing.WithProcessor(w)}, opts...)...)
	return tp, rec, w
}
