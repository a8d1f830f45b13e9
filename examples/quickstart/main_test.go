package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
)

// The quickstart prints every kind it uses, the failing tool's error and the
// final answer.
func TestQuickstartPrintsTheTree(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, 0, processors.WithoutTimings(), processors.WithoutIDs()); err != nil {
		t.Fatal(err)
	}
	want := `trace "Customer service"
├─ agent "Triage agent"
│  ├─ guardrail "on_topic" triggered=false
│  ├─ generation model=gpt-4.1-mini tokens=30 in/24 out
│  ├─ function "lookup_order"
│  ├─ function "refund_status" ERROR: Error running tool error=refund_status: billing service timed out tool_name=refund_status
│  ├─ generation model=gpt-4.1-mini tokens=48 in/35 out
│  └─ handoff "Triage agent -> Billing agent"
└─ agent "Billing agent"
   └─ generation model=gpt-4.1-mini tokens=83 in/19 out

answer: Your refund for order A1 was approved today; expect it within 5 business days.
`
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
