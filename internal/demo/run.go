package demo

import (
	"context"
	"encoding/json"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Names used by the run, for tests that check what was recorded.
const (
	Workflow     = "Customer service"
	TriageAgent  = "Triage agent"
	BillingAgent = "Billing agent"
	ModelName    = "gpt-4.1-mini"
	Question     = "Where is my order A1, and can I get a refund for the damaged box?"
)

// Options configure a run.
type Options struct {
	// Model answers chat requests; nil means FakeModel.
	Model Model
	// ModelName is sent to the model and recorded; "" means ModelName.
	ModelName string
	// GroupID links the run to a conversation; "" means none.
	GroupID string
}

// Run records one customer-service conversation as a trace of tp and returns
// the trace (nil when tp records nothing) and the final answer.
func Run(ctx context.Context, tp *tracing.Provider, o Options) (*tracing.Trace, string, error) {
	if o.Model == nil {
		o.Model = FakeModel{}
	}
	if o.ModelName == "" {
		o.ModelName = ModelName
	}
	ctx, tr := tp.StartTrace(ctx, Workflow,
		tracing.WithGroupID(o.GroupID),
		tracing.WithMetadata(map[string]any{"channel": "chat", "customer_tier": "gold"}))
	defer tr.End()

	history := []spans.Message{
		{Role: "system", Content: "You are a helpful customer-service triage agent."},
		{Role: "user", Content: Question},
	}
	history, err := triage(ctx, o, history)
	if err != nil {
		return tr, "", err
	}
	answer, err := billing(ctx, o, history)
	return tr, answer, err
}

var tools = []spans.Tool{
	{Name: "lookup_order", Description: "Find an order's shipping status.", Parameters: `{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}`},
	{Name: "refund_status", Description: "Check a refund with the billing system.", Parameters: `{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}`},
}

func triage(ctx context.Context, o Options, history []spans.Message) ([]spans.Message, error) {
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{
		Name: TriageAgent, Handoffs: []string{BillingAgent},
		Tools: []string{"lookup_order", "refund_status"}, OutputType: "str",
	})
	defer agent.End()

	guard := &spans.Guardrail{Name: "on_topic"}
	_, g := tracing.StartSpan(ctx, guard)
	guard.Triggered = false // a real check would classify the question here
	g.End()

	reply, err := generate(ctx, o, history, tools)
	if err != nil {
		agent.SetError(err)
		return nil, err
	}
	history = append(history, reply)
	for _, call := range reply.ToolCalls {
		history = append(history, callTool(ctx, call))
	}
	reply, err = generate(ctx, o, history, tools)
	if err != nil {
		agent.SetError(err)
		return nil, err
	}
	history = append(history, reply)

	_, h := tracing.HandoffSpan(ctx, TriageAgent, BillingAgent)
	h.End()
	return history, nil
}

func billing(ctx context.Context, o Options, history []spans.Message) (string, error) {
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: BillingAgent, OutputType: "str"})
	defer agent.End()
	history = append([]spans.Message{{Role: "system", Content: "You are the billing specialist: settle refunds."}}, history[1:]...)
	reply, err := generate(ctx, o, history, nil)
	if err != nil {
		agent.SetError(err)
		return "", err
	}
	return reply.Content, nil
}

// generate calls the model inside a generation span.
func generate(ctx context.Context, o Options, msgs []spans.Message, offered []spans.Tool) (spans.Message, error) {
	gen := &spans.Generation{
		Model: o.ModelName, Provider: "openai", Input: msgs, Tools: offered,
		ModelConfig: map[string]any{"temperature": 0.2, "max_tokens": 512},
	}
	ctx, span := tracing.StartSpan(ctx, gen)
	defer span.End()
	reply, usage, err := o.Model.Chat(ctx, o.ModelName, msgs, offered)
	if err != nil {
		span.SetError(err)
		return spans.Message{}, err
	}
	gen.Output, gen.Usage = []spans.Message{reply}, usage
	gen.FinishReason = "stop"
	if len(reply.ToolCalls) > 0 {
		gen.FinishReason = "tool_calls"
	}
	return reply, nil
}

type orderStatus struct {
	OrderID string `json:"order_id"`
	Status  string `json:"status"`
	ETADays int    `json:"eta_days"`
}

// callTool runs a tool inside a function span and returns the tool message.
func callTool(ctx context.Context, call spans.ToolCall) spans.Message {
	fn := &spans.Function{Name: call.Name, CallID: call.ID, Input: call.Arguments}
	_, span := tracing.StartSpan(ctx, fn)
	defer span.End()
	msg := spans.Message{Role: "tool", ToolCallID: call.ID}
	switch call.Name {
	case "lookup_order":
		res := orderStatus{OrderID: "A1", Status: "shipped", ETADays: 2}
		fn.Output = res
		b, _ := json.Marshal(res)
		msg.Content = string(b)
	default:
		err := errTool{call.Name}
		span.SetError(&tracing.SpanError{
			Message: "Error running tool",
			Data:    map[string]any{"tool_name": call.Name, "error": err.Error()},
		})
		msg.Content = "An error occurred while running the tool: " + err.Error()
	}
	return msg
}
