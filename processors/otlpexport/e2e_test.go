package otlpexport_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/goleak"

	"github.com/agenttrace/agenttrace-go/internal/backendtest"
	"github.com/agenttrace/agenttrace-go/internal/demo"
	"github.com/agenttrace/agenttrace-go/internal/interoptest"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestCollectorEndToEnd runs the quickstart's customer-service workflow
// through the batch processor and this exporter into a real OpenTelemetry
// Collector (its OTLP receiver and file exporter), reads the trace back from
// what the collector stored and checks what a backend shows: the
// tree, span names and kinds, the attributes every family reads, and the
// failing tool call.
func TestCollectorEndToEnd(t *testing.T) {
	// Registered first, so it runs after the collector is stopped; goroutines of
	// earlier tests are not this test's.
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	j := backendtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	exp, err := otlpexport.New(
		otlpexport.WithEndpointURL(j.OTLPEndpoint()),
		otlpexport.WithServiceName("agenttrace-e2e"),
	)
	if err != nil {
		t.Fatal(err)
	}
	batcher := processors.NewBatcher(exp)
	// A stepping clock gives every span distinct times, so the order of
	// siblings is fixed; it starts now because backends check timestamps.
	tp := tracing.NewProvider(
		tracing.WithDisabled(false),
		tracing.WithSensitiveData(true),
		tracing.WithClock(tracingtest.NewStepClock(time.Now(), time.Millisecond).Now),
		tracing.WithProcessor(batcher),
	)
	const group = "group_0123456789abcdef01234567"
	tr, answer, err := demo.Run(ctx, tp, demo.Options{GroupID: group})
	if err != nil {
		t.Fatal(err)
	}
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if st := batcher.Stats(); st.DroppedTotal() != 0 {
		t.Fatalf("batcher dropped items: %+v", st)
	}

	traceID := strings.TrimPrefix(tr.ID(), tracing.TraceIDPrefix)
	got, err := j.Trace(ctx, traceID, 10)
	if err != nil {
		t.Fatal(err)
	}

	// The tree, rebuilt from the span and parent ids the collector stored.
	wantTree := `Customer service [INTERNAL]
  invoke_agent Triage agent [INTERNAL]
    guardrail on_topic [INTERNAL]
    chat gpt-4.1-mini [CLIENT]
    execute_tool lookup_order [INTERNAL]
    execute_tool refund_status [INTERNAL] ERROR
    chat gpt-4.1-mini [CLIENT]
    handoff to Billing agent [INTERNAL]
  invoke_agent Billing agent [INTERNAL]
    chat gpt-4.1-mini [CLIENT]
`
	if diff := cmp.Diff(wantTree, renderTree(t, got)); diff != "" {
		t.Fatalf("span tree in the collector (-want +got):\n%s", diff)
	}
	for _, s := range got {
		if s.TraceID != traceID {
			t.Errorf("span %q: trace id %s, want %s", s.Name, s.TraceID, traceID)
		}
		if got := s.Resource["service.name"]; got != "agenttrace-e2e" {
			t.Errorf("span %q: resource service.name = %v", s.Name, got)
		}
		checkNoCozeTraps(t, s)
	}

	byName := func(name string, nth int) backendtest.Span {
		t.Helper()
		var found []backendtest.Span
		for _, s := range sortByStart(got) {
			if s.Name == name {
				found = append(found, s)
			}
		}
		if nth >= len(found) {
			t.Fatalf("no span %q #%d", name, nth)
		}
		return found[nth]
	}

	// The root span stands for the trace, with its times, and carries the
	// conversation id.
	root := byName(demo.Workflow, 0)
	if !root.Start.Equal(tr.StartTime()) || !root.End.Equal(tr.EndTime()) {
		t.Errorf("root span times %v..%v, want the trace's %v..%v", root.Start, root.End, tr.StartTime(), tr.EndTime())
	}
	checkAttrs(t, root, map[string]any{
		"cozeloop.span_type":      "agent",
		"gen_ai.operation.name":   "invoke_workflow",
		"openinference.span.kind": "AGENT",
		"session.id":              group,
		"gen_ai.conversation.id":  group,
	})
	if !anyValueContains(root.Attributes, "gold") {
		t.Errorf("root span: trace metadata (customer_tier=gold) not exported: %v", root.Attributes)
	}

	checkAttrs(t, byName("invoke_agent "+demo.TriageAgent, 0), map[string]any{
		"cozeloop.span_type":      "agent",
		"gen_ai.operation.name":   "invoke_agent",
		"openinference.span.kind": "AGENT",
		"gen_ai.agent.name":       demo.TriageAgent,
	})
	checkAttrs(t, byName("guardrail on_topic", 0), map[string]any{
		"openinference.span.kind": "GUARDRAIL",
	})

	// Model calls: model, provider, usage in both families, messages.
	gen := byName("chat "+demo.ModelName, 0)
	checkAttrs(t, gen, map[string]any{
		"cozeloop.span_type":         "model",
		"gen_ai.operation.name":      "chat",
		"openinference.span.kind":    "LLM",
		"gen_ai.request.model":       demo.ModelName,
		"gen_ai.system":              "openai",
		"gen_ai.provider.name":       "openai",
		"gen_ai.usage.input_tokens":  int64(30),
		"gen_ai.usage.output_tokens": int64(24),
		"llm.token_count.prompt":     int64(30),
		"llm.token_count.completion": int64(24),
		"llm.token_count.total":      int64(54),
	})
	var in struct {
		Messages []struct{ Role, Content string } `json:"messages"`
		Tools    []json.RawMessage                `json:"tools"`
	}
	decodeAttr(t, gen, "input.value", &in)
	if len(in.Messages) != 2 || in.Messages[1].Role != "user" || in.Messages[1].Content != demo.Question || len(in.Tools) != 2 {
		t.Errorf("generation input.value = %+v; want the system and user messages and 2 tools", in)
	}
	if gen.Attributes["cozeloop.input"] != gen.Attributes["input.value"] {
		t.Errorf("generation: cozeloop.input differs from input.value")
	}
	var out struct {
		Choices []struct {
			FinishReason string `json:"finish_reason"`
			Message      struct {
				ToolCalls []struct {
					Function struct{ Name string } `json:"function"`
				} `json:"tool_calls"`
			} `json:"message"`
		} `json:"choices"`
	}
	decodeAttr(t, gen, "output.value", &out)
	if len(out.Choices) != 1 || out.Choices[0].FinishReason != "tool_calls" || len(out.Choices[0].Message.ToolCalls) != 2 ||
		out.Choices[0].Message.ToolCalls[0].Function.Name != "lookup_order" {
		t.Errorf("generation output.value = %+v; want one choice calling lookup_order and refund_status", out)
	}
	last := byName("chat "+demo.ModelName, 2)
	checkAttrs(t, last, map[string]any{"gen_ai.usage.input_tokens": int64(83), "gen_ai.usage.output_tokens": int64(19)})
	if s, _ := last.Attributes["output.value"].(string); !strings.Contains(s, answer) {
		t.Errorf("last generation output.value = %q; want it to hold the answer %q", s, answer)
	}

	// Tools: the healthy call has its arguments and result.
	lookup := byName("execute_tool lookup_order", 0)
	checkAttrs(t, lookup, map[string]any{
		"cozeloop.span_type":      "tool",
		"gen_ai.operation.name":   "execute_tool",
		"openinference.span.kind": "TOOL",
		"gen_ai.tool.name":        "lookup_order",
		"gen_ai.tool.call.id":     "call_lookup_1",
		"input.value":             `{"order_id":"A1"}`,
	})
	var result map[string]any
	decodeAttr(t, lookup, "output.value", &result)
	if result["status"] != "shipped" {
		t.Errorf("lookup_order output.value = %v; want status shipped", result)
	}
	if lookup.Status.Code == "ERROR" || len(lookup.Events) != 0 {
		t.Errorf("lookup_order: status %v, events %v; want a healthy span", lookup.Status, lookup.Events)
	}

	// The failing call: status, exception event and error.type, as every
	// backend reads failures differently.
	refund := byName("execute_tool refund_status", 0)
	if refund.Status != (backendtest.Status{Code: "ERROR", Message: "Error running tool"}) {
		t.Errorf("refund_status status = %+v", refund.Status)
	}
	if typ, _ := refund.Attributes["error.type"].(string); typ == "" {
		t.Errorf("refund_status: no error.type attribute: %v", refund.Attributes)
	}
	if len(refund.Events) != 1 || refund.Events[0].Name != "exception" ||
		refund.Events[0].Attributes["exception.message"] != "Error running tool" {
		t.Fatalf("refund_status events = %+v; want one exception event", refund.Events)
	}
	if !anyValueContains(refund.Events[0].Attributes, "billing service timed out") {
		t.Errorf("refund_status exception event lacks the error data: %v", refund.Events[0].Attributes)
	}
}

// TestCollectorEndToEndWithoutSensitiveData runs the workflow with sensitive
// data off and checks in the collector that no span or event carries conversation
// text (messages, tool arguments and results), while usage remains.
func TestCollectorEndToEndWithoutSensitiveData(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	j := backendtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	exp, err := otlpexport.New(otlpexport.WithEndpointURL(j.OTLPEndpoint()))
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(
		tracing.WithDisabled(false),
		tracing.WithSensitiveData(false),
		tracing.WithProcessor(processors.NewBatcher(exp)),
	)
	tr, _, err := demo.Run(ctx, tp, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	got, err := j.Trace(ctx, strings.TrimPrefix(tr.ID(), tracing.TraceIDPrefix), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 {
		t.Fatalf("%d spans, want 10", len(got))
	}
	// Texts that only the conversation holds: the question, the system
	// prompt, tool arguments and results, and the model's answers.
	leaks := []string{
		demo.Question, "triage agent.", `"order_id":"A1"`, "shipped", "approved", "passing you to Billing",
	}
	generations := 0
	for _, s := range got {
		values := maps.Clone(s.Attributes)
		for i, e := range s.Events {
			for k, v := range e.Attributes {
				values[fmt.Sprintf("event[%d].%s", i, k)] = v
			}
		}
		for k, v := range values {
			str, _ := v.(string)
			for _, leak := range leaks {
				if strings.Contains(str, leak) {
					t.Errorf("span %q: %s holds conversation text %q with sensitive data off: %s", s.Name, k, leak, str)
				}
			}
		}
		if strings.HasPrefix(s.Name, "chat ") {
			generations++
			if _, ok := s.Attributes["gen_ai.usage.input_tokens"].(int64); !ok {
				t.Errorf("span %q: usage missing with sensitive data off: %v", s.Name, s.Attributes)
			}
		}
	}
	if generations != 3 {
		t.Errorf("%d chat spans, want 3", generations)
	}
}

// renderTree prints spans as an indented tree, children in start order,
// each with its kind and an ERROR mark for status ERROR. It fails t on a
// span whose parent is missing or on more than one root.
func renderTree(t *testing.T, list []backendtest.Span) string {
	t.Helper()
	ids := map[string]bool{}
	for _, s := range list {
		ids[s.SpanID] = true
	}
	children := map[string][]backendtest.Span{}
	for _, s := range sortByStart(list) {
		if s.ParentSpanID != "" && !ids[s.ParentSpanID] {
			t.Errorf("span %q: parent %s is not in the trace", s.Name, s.ParentSpanID)
		}
		children[s.ParentSpanID] = append(children[s.ParentSpanID], s)
	}
	if n := len(children[""]); n != 1 {
		t.Errorf("%d root spans, want 1", n)
	}
	var b strings.Builder
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		for _, s := range children[parent] {
			fmt.Fprintf(&b, "%s%s [%s]", indent, s.Name, s.Kind)
			if s.Status.Code == "ERROR" {
				b.WriteString(" ERROR")
			}
			b.WriteString("\n")
			walk(s.SpanID, indent+"  ")
		}
	}
	walk("", "")
	return b.String()
}

func sortByStart(list []backendtest.Span) []backendtest.Span {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b backendtest.Span) int { return a.Start.Compare(b.Start) })
	return out
}

func checkAttrs(t *testing.T, s backendtest.Span, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if got, ok := s.Attributes[k]; !ok || got != v {
			t.Errorf("span %q: %s = %#v (present %t), want %#v", s.Name, k, got, ok, v)
		}
	}
}

func decodeAttr(t *testing.T, s backendtest.Span, key string, v any) {
	t.Helper()
	text, ok := s.Attributes[key].(string)
	if !ok {
		t.Fatalf("span %q: no string attribute %s", s.Name, key)
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("span %q: %s is not JSON: %v\n%s", s.Name, key, err, text)
	}
}

// checkNoCozeTraps fails t when a span carries an attribute that Coze Loop
// would misread: keys starting with "tool" replace the input, and keys
// starting with "error" or "exception" mark the span failed, which only the
// failing span may have.
func checkNoCozeTraps(t *testing.T, s backendtest.Span) {
	t.Helper()
	failed := s.Status.Code == "ERROR"
	for k := range s.Attributes {
		if strings.HasPrefix(k, "tool") {
			t.Errorf("span %q: attribute %q would replace the input in Coze Loop", s.Name, k)
		}
		if !failed && (strings.HasPrefix(k, "error") || strings.HasPrefix(k, "exception")) {
			t.Errorf("span %q: attribute %q would mark a healthy span failed in Coze Loop", s.Name, k)
		}
	}
}

func anyValueContains(m map[string]any, sub string) bool {
	for _, v := range m {
		if s, ok := v.(string); ok && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestCollectorOTelInterop serves one request through otelhttp, with the OTel
// SDK and this exporter both sending to a real Collector: it must receive one
// trace, the agent trace under the request span and the HTTP client span
// under the generation span that made it.
func TestCollectorOTelInterop(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
	j := backendtest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	oexp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(j.OTLPEndpoint()))
	if err != nil {
		t.Fatal(err)
	}
	res := resource.NewSchemaless(attribute.String("service.name", "chat-service"))
	otp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(oexp), sdktrace.WithResource(res))
	exp, err := otlpexport.New(otlpexport.WithEndpointURL(j.OTLPEndpoint()), otlpexport.WithServiceName("chat-service"))
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(processors.NewBatcher(exp)))

	run := interoptest.Serve(t, otp, tp)
	if err := otp.Shutdown(ctx); err != nil {
		t.Fatalf("OTel Shutdown: %v", err)
	}
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	got, err := j.Trace(ctx, run.Trace.SpanContext().TraceID().String(), 5)
	if err != nil {
		t.Fatal(err)
	}
	list := make([]interoptest.Span, 0, len(got))
	for _, s := range got {
		list = append(list, interoptest.Span{Name: s.Name, Kind: s.Kind, TraceID: s.TraceID, SpanID: s.SpanID, ParentID: s.ParentSpanID})
	}
	interoptest.Check(t, run, list)
}
