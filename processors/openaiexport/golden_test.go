package openaiexport

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// fixtureItems records, in Go, the trace the Python SDK sent in
// testdata/openai-ingest-payload.json: the same ids (from a counting id
// generator, in creation order), the same times (a clock that starts at the
// task span and steps 250.001 ms per reading; the trace's own start, which
// the wire format does not carry, takes the reading before), the same data.
func fixtureItems(t testing.TB) []processors.Item {
	t.Helper()
	const step = 250*time.Millisecond + time.Microsecond
	base := time.Date(2025, 1, 2, 3, 4, 5, 123456000, time.UTC)
	rec := &recorder{}
	tp := tracing.NewProvider(
		tracing.WithDisabled(false),
		tracing.WithSensitiveData(true),
		tracing.WithIDGenerator(&counterIDs{}),
		tracing.WithClock(stepClock(base.Add(-step), step)),
		tracing.WithProcessor(rec),
	)
	ctx, tr := tp.StartTrace(context.Background(), "oracle_workflow",
		tracing.WithGroupID("group_000000000000000000000001"),
		tracing.WithMetadata(map[string]any{"customer_tier": "gold", "ticket": 42}))
	usage := &spans.Usage{Requests: 1, InputTokens: 120, OutputTokens: 45, TotalTokens: 165,
		CachedInputTokens: 100, ReasoningTokens: 12}

	ctx, task := tracing.StartSpan(ctx, &spans.Task{Name: "oracle_workflow",
		Usage: &spans.Usage{Requests: 1, InputTokens: 120, OutputTokens: 45, TotalTokens: 165, CachedInputTokens: 100}})
	actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "Triage agent", Handoffs: []string{"Billing agent"},
		Tools: []string{"lookup_order", "failing_tool"}, OutputType: "str"})
	tctx, turn := tracing.StartSpan(actx, &spans.Turn{Turn: 1, AgentName: "Triage agent",
		Usage: &spans.Usage{InputTokens: 120, OutputTokens: 45, CachedInputTokens: 100}})
	end := func(data spans.Data, err error) {
		_, sp := tracing.StartSpan(tctx, data)
		if err != nil {
			sp.SetError(err)
		}
		sp.End()
	}
	end(&spans.Generation{
		Input:       []spans.Message{{Role: "user", Content: "Where is order A1?"}},
		Output:      []spans.Message{{Role: "assistant", Content: "Let me check that for you."}},
		Model:       "gpt-4.1",
		ModelConfig: map[string]any{"temperature": 0.2, "base_url": "https://api.openai.com/v1/"},
		Usage:       usage,
		// Not on the OpenAI wire: the Python SDK has no such keys.
		Tools: []spans.Tool{{Name: "lookup_order"}}, Provider: "openai", FinishReason: "stop", ResponseID: "resp_x",
	}, nil)
	end(&spans.Response{ResponseID: "resp_0123456789", Usage: usage}, nil)
	end(&spans.Function{Name: "lookup_order", Input: `{"order_id": "A1"}`,
		Output: map[string]any{"status": "shipped", "eta_days": 2}}, nil)
	end(&spans.Function{Name: "failing_tool", Input: "{}"}, &tracing.SpanError{
		Message: "Error running tool",
		Data:    map[string]any{"tool_name": "failing_tool", "error": "upstream timed out"},
	})
	end(&spans.Guardrail{Name: "pii_check", Triggered: true}, nil)
	end(&spans.MCPListTools{Server: "filesystem", Result: []string{"read_file", "write_file"}}, nil)
	end(&spans.Custom{Name: "db_query", Data: map[string]any{"table": "orders", "rows": 3}}, nil)
	end(&spans.Handoff{From: "Triage agent", To: "Billing agent"}, nil)
	turn.End()
	agent.End()

	vctx, voice := tracing.StartSpan(ctx, &spans.Agent{Name: "Voice agent"})
	_, tx := tracing.StartSpan(vctx, &spans.Transcription{Input: []byte("RIFF$\x00\x00\x00WAVE"), InputFormat: "pcm",
		Output: "where is my order", Model: "gpt-4o-transcribe", ModelConfig: map[string]any{"language": "en"}})
	tx.End()
	gctx, group := tracing.StartSpan(vctx, &spans.SpeechGroup{Input: "Your order ships today."})
	_, speech := tracing.StartSpan(gctx, &spans.Speech{Input: "Your order ships today.", Output: make([]byte, 6),
		OutputFormat: "pcm", Model: "gpt-4o-mini-tts", ModelConfig: map[string]any{"voice": "alloy"},
		FirstContentAt: time.Date(2025, 1, 2, 3, 4, 9, 1000, time.UTC)})
	speech.End()
	group.End()
	voice.End()
	task.End()
	tr.End()
	return rec.Items()
}

// TestGolden exports the fixture trace to the OpenAI endpoint's rules and
// compares the request with what the Python SDK sent. The differences,
// each asserted and then applied to the fixture:
//   - a function's non-string output is JSON text in Go, str(value) (a repr)
//     in Python;
//   - the fixture predates cache_write_tokens, which the Python SDK now
//     sends in input_tokens_details next to cached_tokens: Go sends it (0);
//   - the fixture's generation output is the plain message the capture
//     script set, where the Runner records a model's message as
//     model_dump() of the client's ChatCompletionMessage, with refusal,
//     annotations, audio, function_call and tool_calls: Go sends that shape.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name, fixture string
		opts          []Option
	}{
		{"openai endpoint", "openai-ingest-payload.json", []Option{WithPayloadRules(true)}},
		{"custom endpoint", "openai-ingest-payload-custom-endpoint.json", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newCapture(t)
			exp := New(append([]Option{WithEndpoint(srv.URL()), WithAPIKey("sk-test"),
				WithOrganization("org-1"), WithProject("proj-1")}, tc.opts...)...)
			defer exp.Shutdown(context.Background())

			items := fixtureItems(t)
			if err := exp.Export(context.Background(), items); err != nil {
				t.Fatalf("Export: %v", err)
			}
			reqs := srv.requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			h := reqs[0].Header
			for k, want := range map[string]string{
				"Authorization": "Bearer sk-test", "Content-Type": "application/json",
				"Openai-Beta": "traces=v1", "Openai-Organization": "org-1", "Openai-Project": "proj-1",
			} {
				if got := h.Get(k); got != want {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}

			var got, want any
			if err := json.Unmarshal(reqs[0].Body, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(fixture(t, tc.fixture), &want); err != nil {
				t.Fatal(err)
			}
			// The documented difference, asserted rather than ignored.
			fn := findSpan(t, got, "span_000000000000000000000006")["span_data"].(map[string]any)
			if out := fn["output"]; out != `{"eta_days":2,"status":"shipped"}` {
				t.Errorf("function output = %#v, want JSON text", out)
			}
			py := findSpan(t, want, "span_000000000000000000000006")["span_data"].(map[string]any)
			if py["output"] != "{'status': 'shipped', 'eta_days': 2}" {
				t.Fatalf("fixture changed: function output %#v", py["output"])
			}
			py["output"] = fn["output"]

			// cache_write_tokens, which the fixture predates.
			for _, id := range []string{"span_000000000000000000000004", "span_000000000000000000000005"} {
				details := usageDetails(t, findSpan(t, got, id))
				if details == nil {
					continue // a response span's usage, not sent to OpenAI
				}
				if details["cache_write_tokens"] != 0.0 {
					t.Errorf("%s: input_tokens_details = %v, want cache_write_tokens 0", id, details)
				}
				pyDetails := usageDetails(t, findSpan(t, want, id))
				if _, ok := pyDetails["cache_write_tokens"]; ok {
					t.Fatalf("fixture changed: it has cache_write_tokens")
				}
				pyDetails["cache_write_tokens"] = 0.0
			}

			// The generation output in the Runner's model_dump shape.
			gen := findSpan(t, want, "span_000000000000000000000004")["span_data"].(map[string]any)
			msg := gen["output"].([]any)[0].(map[string]any)
			if len(msg) != 2 {
				t.Fatalf("fixture changed: generation output %v", msg)
			}
			for k, v := range map[string]any{"refusal": nil, "annotations": []any{}, "audio": nil,
				"function_call": nil, "tool_calls": nil} {
				msg[k] = v
			}

			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("body differs from the Python SDK's (-python +go):\n%s", diff)
			}
		})
	}
}

// usageDetails returns a span's usage input_tokens_details, under details
// for the OpenAI endpoint's rewrite, or nil when the span has no usage.
func usageDetails(t *testing.T, span map[string]any) map[string]any {
	t.Helper()
	u, ok := span["span_data"].(map[string]any)["usage"].(map[string]any)
	if !ok {
		return nil
	}
	if d, ok := u["details"].(map[string]any); ok {
		u = d
	}
	return u["input_tokens_details"].(map[string]any)
}

func findSpan(t *testing.T, body any, id string) map[string]any {
	t.Helper()
	for _, it := range body.(map[string]any)["data"].([]any) {
		if m := it.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("no item %s", id)
	return nil
}

// TestDefaultEndpointRules checks that the payload rules follow the endpoint
// as in the Python SDK: on for the default endpoint only.
func TestDefaultEndpointRules(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want bool
	}{
		{nil, true},
		{[]Option{WithEndpoint(DefaultEndpoint + "/")}, true},
		{[]Option{WithEndpoint("http://127.0.0.1:1/v1/traces/ingest")}, false},
		{[]Option{WithEndpoint("http://127.0.0.1:1/v1/traces/ingest"), WithPayloadRules(true)}, true},
		{[]Option{WithPayloadRules(false)}, false},
	} {
		t.Setenv("OPENAI_BASE_URL", "")
		if got := New(tc.opts...).rules; got != tc.want {
			t.Errorf("New(%d options).rules = %v, want %v", len(tc.opts), got, tc.want)
		}
	}
}
