package otelmap

import (
	"fmt"
	"testing"

	"github.com/agenttrace/agenttrace-go/spans"
)

// TestFlatMessagesBounded checks the attribute budget of the flattened
// messages: a conversation that fits is flattened whole; a longer one keeps
// its first and newest messages around a marker; a message whose tool calls
// alone exceed the budget is flattened in part; never more than max.
func TestFlatMessagesBounded(t *testing.T) {
	calls := make([]spans.ToolCall, 30)
	for i := range calls {
		calls[i] = spans.ToolCall{ID: fmt.Sprint("c", i), Name: "f", Arguments: "{}"}
	}
	many := make([]spans.Message, 0, 101)
	many = append(many, spans.Message{Role: "system", Content: "s"})
	for i := range 100 {
		many = append(many, spans.Message{Role: "user", Content: fmt.Sprint(i)})
	}
	tests := []struct {
		name  string
		msgs  []spans.Message
		max   int
		want  int
		check func(map[string]string) bool
	}{
		{"fits", many[:5], 48, 10, func(m map[string]string) bool { return m["p.4.message.content"] == "3" }},
		{"long", many, 48, 48, func(m map[string]string) bool {
			return m["p.0.message.content"] == "s" && m["p.1.message.content"] == "…[78 messages truncated]" && m["p.23.message.content"] == "99"
		}},
		{"many calls", []spans.Message{{Role: "assistant", ToolCalls: calls}}, 24, 22, func(m map[string]string) bool {
			return m["p.0.message.tool_calls.6.tool_call.id"] == "c6" && m["p.0.message.tool_calls.7.tool_call.id"] == ""
		}},
		{"long with calls", append(append([]spans.Message{}, many[:3]...), spans.Message{Role: "assistant", ToolCalls: calls}), 24, 23,
			func(m map[string]string) bool {
				return m["p.1.message.content"] == "…[2 messages truncated]" && m["p.2.message.tool_calls.0.tool_call.id"] == "c0"
			}},
	}
	for _, tt := range tests {
		a := attrs{}
		a.flatMessages("p", tt.msgs, tt.max)
		m := map[string]string{}
		for _, kv := range a.list {
			m[kv.GetKey()] = kv.GetValue().GetStringValue()
		}
		if len(a.list) != tt.want || len(a.list) > tt.max || !tt.check(m) {
			t.Errorf("%s: %d attributes, want %d: %v", tt.name, len(a.list), tt.want, m)
		}
	}
}
