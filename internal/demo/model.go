// Package demo is the simulated customer-service run behind the quickstart
// example and the end-to-end tests: a triage agent that checks its input,
// calls a model and two tools (one fails), hands off to a billing agent that
// answers. The model is deterministic and offline.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
)

// Model answers a chat request. FakeModel is the offline implementation.
type Model interface {
	// Chat returns the assistant's reply to msgs and the usage of the call.
	Chat(ctx context.Context, model string, msgs []spans.Message, tools []spans.Tool) (spans.Message, *spans.Usage, error)
}

// FakeModel is a deterministic Model: the billing specialist approves the
// refund; otherwise it asks for both tools when tools are offered and nothing
// has been looked up yet, and then answers from the tool results.
type FakeModel struct {
	// Latency is how long each call takes, to make timings realistic.
	Latency time.Duration
}

// Chat implements Model. It returns ctx's error if ctx ends during Latency.
func (m FakeModel) Chat(ctx context.Context, _ string, msgs []spans.Message, tools []spans.Tool) (spans.Message, *spans.Usage, error) {
	if m.Latency > 0 {
		t := time.NewTimer(m.Latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return spans.Message{}, nil, ctx.Err()
		}
	}
	in := 0
	for _, m := range msgs {
		in += tokens(m.Content)
	}
	var reply spans.Message
	switch {
	case len(msgs) > 0 && strings.Contains(msgs[0].Content, "billing"):
		reply = spans.Message{Role: "assistant", Content: "Your refund for order A1 was approved today; expect it within 5 business days."}
	case len(tools) > 0 && !hasRole(msgs, "tool"):
		reply = spans.Message{Role: "assistant", ToolCalls: []spans.ToolCall{
			{ID: "call_lookup_1", Name: "lookup_order", Arguments: `{"order_id":"A1"}`},
			{ID: "call_refund_1", Name: "refund_status", Arguments: `{"order_id":"A1"}`},
		}}
	default:
		reply = spans.Message{Role: "assistant", Content: "Order A1 has shipped and arrives in 2 days. I could not reach the billing system, so I am passing you to Billing for the refund."}
	}
	out := tokens(reply.Content) + 12*len(reply.ToolCalls)
	return reply, &spans.Usage{Requests: 1, InputTokens: int64(in), OutputTokens: int64(out), TotalTokens: int64(in + out)}, nil
}

func hasRole(msgs []spans.Message, role string) bool {
	for _, m := range msgs {
		if m.Role == role {
			return true
		}
	}
	return false
}

// tokens approximates a token count: about four per three words.
func tokens(s string) int { return (len(strings.Fields(s))*4 + 2) / 3 }

// errTool is returned by the refund tool: the billing backend never answers.
type errTool struct{ tool string }

func (e errTool) Error() string { return fmt.Sprintf("%s: billing service timed out", e.tool) }
