package otlpexport

import (
	"context"
	"testing"
	"unicode/utf8"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// cutCJK is Chinese text cut inside its second rune, as a program that cuts
// with s[:n] makes it.
var cutCJK = "查询订单"[:4]

// TestInvalidUTF8DoesNotLoseTheBatch checks that a tool argument with invalid
// UTF-8 (which proto.Marshal refuses in a string field) costs nothing: the
// whole batch arrives, with the bad bytes replaced by U+FFFD.
func TestInvalidUTF8DoesNotLoseTheBatch(t *testing.T) {
	items := recordItems(&spans.Function{Name: "lookup", Input: cutCJK}, nil, nil)
	items = append(items, makeItems(4, 10)...)
	got, err := sendItems(t, items)
	if err != nil || len(got) != len(items) {
		t.Fatalf("Export = %v; received %d of %d spans", err, len(got), len(items))
	}
	if in := childAttrs(t, got)["input.value"]; in != "查\uFFFD" {
		t.Errorf("input.value = %q, want %q", in, "查\uFFFD")
	}
}

// TestResourceAttrInvalidUTF8 checks that a percent-decoded resource value
// that is not UTF-8 does not break every request.
func TestResourceAttrInvalidUTF8(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvResourceAttrs, "deployment.environment=prod,host.note=caf%E9,b\xffd.key=v")
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	if err := exp.Export(context.Background(), makeItems(2, 10)); err != nil || len(s.spans()) != 3 {
		t.Fatalf("Export = %v; received %d of 3 spans", err, len(s.spans()))
	}
	res := attrMap(s.requests()[0].Req.GetResourceSpans()[0].GetResource().GetAttributes())
	if res["host.note"] != "caf\uFFFD" || res["deployment.environment"] != "prod" || res["b\uFFFDd.key"] != "v" {
		t.Errorf("resource = %v", res)
	}
}

// TestBinaryToolOutput checks that []byte tool output is sent as text when it
// is UTF-8 and as a placeholder otherwise, never as raw bytes.
func TestBinaryToolOutput(t *testing.T) {
	for _, tt := range []struct {
		out  []byte
		want string
	}{
		{[]byte{0x89, 'P', 'N', 'G', 0xff, 0x00}, "<binary: 6 bytes>"},
		{[]byte("plain 文本"), "plain 文本"},
	} {
		got, err := sendItems(t, recordItems(&spans.Function{Name: "fetch", Input: "{}", Output: tt.out}, nil, nil))
		if err != nil || len(got) != 2 {
			t.Fatalf("Export = %v; received %d of 2 spans", err, len(got))
		}
		a := childAttrs(t, got)
		if a["output.value"] != tt.want || a["gen_ai.tool.call.result"] != tt.want {
			t.Errorf("output %q: output.value = %q, result = %q, want %q", tt.out, a["output.value"], a["gen_ai.tool.call.result"], tt.want)
		}
	}
}

// TestInvalidUTF8Everywhere puts invalid UTF-8 in every string a span can
// carry (names, keys, metadata, error text, tool schemas, tool-call
// arguments, flat messages) and checks that every span arrives and every
// string on the wire is valid UTF-8.
func TestInvalidUTF8Everywhere(t *testing.T) {
	bad := "x\xffy" + cutCJK
	md := map[string]any{"note" + bad: bad, "list": []any{bad}, "err": &textErr{bad}}
	data := []spans.Data{
		&spans.Agent{Name: bad, Handoffs: []string{bad}, Tools: []string{bad}, OutputType: bad},
		&spans.Generation{Model: bad, Provider: bad, FinishReason: bad, ResponseID: bad,
			ModelConfig: map[string]any{"stop": bad, bad: bad},
			Input:       []spans.Message{{Role: "user", Content: bad, Name: bad}},
			Tools:       []spans.Tool{{Name: bad, Description: bad, Parameters: `{"type":"object","description":"` + bad + `"}`}},
			Output: []spans.Message{{Role: "assistant", Content: bad, ToolCalls: []spans.ToolCall{
				{ID: bad, Name: bad, Arguments: `{"q":"` + bad + `"}`}}}}},
		&spans.Function{Name: bad, CallID: bad, Input: `{"q":"` + bad + `"}`, Output: map[string]any{bad: bad}, MCPData: map[string]any{bad: bad}},
		&spans.Function{Name: "t", Input: bad, Output: bad},
		&spans.Handoff{From: bad, To: bad},
		&spans.Guardrail{Name: bad},
		&spans.Transcription{Model: bad, InputFormat: bad, Output: bad},
		&spans.Speech{Model: bad, Input: bad, OutputFormat: bad},
		&spans.SpeechGroup{Input: bad},
		&spans.Custom{Name: bad, Data: map[string]any{bad: bad}},
		&spans.MCPListTools{Server: bad, Result: []string{bad}},
		&spans.Task{Name: bad},
		&spans.Turn{AgentName: bad},
	}
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false), tracing.WithSensitiveData(true))
	ctx, tr := tp.StartTrace(context.Background(), "wf"+bad, tracing.WithGroupID("g"+bad), tracing.WithMetadata(md))
	for _, d := range data {
		_, sp := tracing.StartSpan(ctx, d, tracing.WithSpanMetadata(md))
		sp.SetError(&tracing.SpanError{Message: bad, Data: map[string]any{"type": bad, bad: bad}})
		sp.End()
	}
	tr.End()
	items := c.items[1:]
	got, err := sendItems(t, items)
	if err != nil || len(got) != len(items) {
		t.Fatalf("Export = %v; received %d of %d spans", err, len(got), len(items))
	}
	for _, ps := range got {
		checkValidUTF8(t, ps)
	}
}

func checkValidUTF8(t *testing.T, ps *tracepb.Span) {
	t.Helper()
	check := func(what, s string) {
		if !utf8.ValidString(s) {
			t.Errorf("%s: %s is not UTF-8: %q", ps.GetName(), what, s)
		}
	}
	var kvs func(list []*commonpb.KeyValue)
	var val func(k string, v *commonpb.AnyValue)
	val = func(k string, v *commonpb.AnyValue) {
		check("value of "+k, v.GetStringValue())
		for _, e := range v.GetArrayValue().GetValues() {
			val(k, e)
		}
		kvs(v.GetKvlistValue().GetValues())
	}
	kvs = func(list []*commonpb.KeyValue) {
		for _, kv := range list {
			check("key", kv.GetKey())
			val(kv.GetKey(), kv.GetValue())
		}
	}
	check("name", ps.GetName())
	check("status", ps.GetStatus().GetMessage())
	kvs(ps.GetAttributes())
	for _, ev := range ps.GetEvents() {
		kvs(ev.GetAttributes())
	}
}
