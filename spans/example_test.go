package spans_test

import (
	"encoding/json"
	"fmt"

	"github.com/agenttrace/agenttrace-go/spans"
)

// Every kind of span data names its kind and its span.
func ExampleData() {
	for _, d := range []spans.Data{
		&spans.Agent{Name: "Triage agent"},
		&spans.Generation{Model: "gpt-4.1"},
		&spans.Function{Name: "lookup_order"},
		&spans.Handoff{From: "Triage agent", To: "Billing agent"},
	} {
		fmt.Printf("%-10s %s\n", d.Kind(), d.SpanName())
	}
	// Output:
	// agent      Triage agent
	// generation gpt-4.1
	// function   lookup_order
	// handoff    Triage agent -> Billing agent
}

// A Message encodes to the chat-completions shape: a message that only calls
// tools has null content, and tool calls nest their function.
func ExampleMessage_MarshalJSON() {
	m := spans.Message{Role: "assistant", ToolCalls: []spans.ToolCall{
		{ID: "call_1", Type: "function", Name: "lookup_order", Arguments: `{"order_id":"A1"}`},
	}}
	b, err := json.Marshal(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
	// Output:
	// {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup_order","arguments":"{\"order_id\":\"A1\"}"}}]}
}

// A Message decodes from the chat-completions shape, content parts included;
// Text joins the text parts one a line.
func ExampleMessage_UnmarshalJSON() {
	var m spans.Message
	err := json.Unmarshal([]byte(`{"role":"user","content":[{"type":"text","text":"What is in"},{"type":"text","text":"this box?"}]}`), &m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %q (%d parts)\n", m.Role, m.Text(), len(m.Parts))
	// Output:
	// user: "What is in\nthis box?" (2 parts)
}

// Usage.Total falls back to the sum of input and output tokens, and is zero
// for a nil *Usage.
func ExampleUsage_Total() {
	var none *spans.Usage
	fmt.Println((&spans.Usage{InputTokens: 30, OutputTokens: 24}).Total(), (&spans.Usage{TotalTokens: 60}).Total(), none.Total())
	// Output:
	// 54 60 0
}

// Snapshot copies span data, so that later changes to the original do not
// reach the copy; with redact, inputs and outputs are left out.
func ExampleSnapshot() {
	gen := &spans.Generation{Model: "gpt-4.1", Input: []spans.Message{{Role: "user", Content: "hi"}}, Usage: &spans.Usage{InputTokens: 1}}
	kept := spans.Snapshot(gen, false).(*spans.Generation)
	redacted := spans.Snapshot(gen, true).(*spans.Generation)
	gen.Usage.InputTokens = 99
	fmt.Println(kept.Usage.InputTokens, len(kept.Input), redacted.Model, len(redacted.Input))
	// Output:
	// 1 1 gpt-4.1 0
}
