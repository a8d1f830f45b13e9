package otlpexport

import (
	"context"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Values whose own methods panic.
type (
	panicky        struct{}
	panickyJSON    struct{}
	panickyPtrJSON struct{ N int }
	panickyText    struct{}
	panickyError   struct{}
	holdsPanicky   struct{ Inner panickyJSON }
)

func (panicky) String() string                   { panic("boom") }
func (panickyJSON) MarshalJSON() ([]byte, error) { panic("boom") }
func (*panickyPtrJSON) MarshalJSON() ([]byte, error) {
	panic("boom")
}
func (panickyText) MarshalText() ([]byte, error) { panic("boom") }
func (panickyError) Error() string               { panic("boom") }

// TestPanickingMethodsKeepTheSpan checks that a user value whose String,
// Error, MarshalJSON or MarshalText method panics costs only its own place:
// the span is delivered with its other attributes and the value described
// by its type, in metadata, tool output and custom data alike.
func TestPanickingMethodsKeepTheSpan(t *testing.T) {
	md := map[string]any{
		"str": panicky{}, "json": panickyJSON{}, "ptr": &panickyPtrJSON{N: 1}, "err": panickyError{},
		"nested": holdsPanicky{}, "keys": map[panickyText]int{{}: 1}, "ok": "fine",
	}
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "lookup", Input: "{}", Output: map[string]any{"v": panickyJSON{}, "ok": 1}},
		tracing.WithSpanMetadata(md))
	sp.End()
	_, cs := tracing.StartSpan(ctx, &spans.Custom{Name: "score", Data: map[string]any{"v": &panickyPtrJSON{}, "s": panicky{}}})
	cs.End()
	tr.End()
	items := c.items[1:]
	got, err := sendItems(t, items)
	if d := processors.Dropped(err, len(items)); len(d) != 0 || len(got) != 3 {
		t.Fatalf("dropped %v (err %v), delivered %d spans, want 3", d, err, len(got))
	}
	a := attrMap(got[0].GetAttributes())
	want := map[string]string{
		"str": "<otlpexport.panicky: String method panicked>",
		"err": "<otlpexport.panickyError: Error method panicked>",
		"ok":  "fine",
	}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("%s = %q, want %q", k, a[k], v)
		}
	}
	for k, sub := range map[string]string{"json": "<otlpexport.panickyJSON: encoding panicked>", "ptr": "<*otlpexport.panickyPtrJSON: encoding panicked>",
		"nested": "<otlpexport.holdsPanicky: encoding panicked>", "keys": "<map[otlpexport.panickyText]int: json: unsupported map key type"} {
		if s, _ := a[k].(string); !strings.Contains(s, sub) {
			t.Errorf("%s = %q, want %q", k, a[k], sub)
		}
	}
	if out := a["output.value"]; out != `{"ok":1,"v":"<otlpexport.panickyJSON: encoding panicked>"}` {
		t.Errorf("tool output = %v", out)
	}
	if a["gen_ai.tool.name"] != "lookup" || a["input.value"] != "{}" {
		t.Errorf("the span lost its other attributes: %v", a)
	}
	ca := attrMap(got[1].GetAttributes())
	if ca["output.value"] != `{"s":{},"v":"<*otlpexport.panickyPtrJSON: encoding panicked>"}` ||
		ca["s"] != "<otlpexport.panicky: String method panicked>" {
		t.Errorf("custom span: output %v, s %v", ca["output.value"], ca["s"])
	}
}
