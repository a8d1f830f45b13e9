package openaiexport

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// exportOne exports the spans made by record and returns the parsed items of
// the request, the trace first.
func exportOne(t *testing.T, opts []Option, record func(ctx context.Context)) []any {
	t.Helper()
	srv := newCapture(t)
	exp := New(append([]Option{WithEndpoint(srv.URL()), WithAPIKey("k")}, opts...)...)
	defer exp.Shutdown(context.Background())
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	record(ctx)
	tr.End()
	if err := exp.Export(context.Background(), rec.Items()); err != nil {
		t.Fatalf("Export: %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	return data(t, reqs[0].Body)
}

// TestZeroValues checks that every kind, left empty, sends exactly the
// Python key set with null for what is unset. The keys Python adds only when
// set (task and turn usage) are absent; a response's usage is null on a
// custom endpoint ("usage": self.usage) and absent under the OpenAI rules.
func TestZeroValues(t *testing.T) {
	kinds := []spans.Data{
		&spans.Agent{}, &spans.Generation{}, &spans.Function{}, &spans.Guardrail{}, &spans.Handoff{},
		&spans.Transcription{}, &spans.Speech{}, &spans.SpeechGroup{}, &spans.Custom{}, &spans.Response{},
		&spans.MCPListTools{}, &spans.Task{}, &spans.Turn{}, &spans.Embedding{}, &spans.Retriever{}, &spans.Prompt{},
	}
	if len(kinds) != len(spans.Kinds()) {
		t.Fatalf("test covers %d kinds, spans has %d", len(kinds), len(spans.Kinds()))
	}
	want := func(rules bool) []map[string]any {
		response := map[string]any{"type": "response", "response_id": nil, "usage": nil}
		if rules {
			response = map[string]any{"type": "response", "response_id": nil}
		}
		return []map[string]any{
			{"type": "agent", "name": "", "handoffs": nil, "tools": nil, "output_type": nil},
			{"type": "generation", "input": nil, "output": nil, "model": nil, "model_config": nil, "usage": nil},
			{"type": "function", "name": "", "input": nil, "output": nil, "mcp_data": nil},
			{"type": "guardrail", "name": "", "triggered": false},
			{"type": "handoff", "from_agent": nil, "to_agent": nil},
			{"type": "transcription", "input": map[string]any{"data": "", "format": "pcm"}, "output": nil, "model": nil, "model_config": nil},
			{"type": "speech", "input": nil, "output": map[string]any{"data": "", "format": "pcm"}, "model": nil, "model_config": nil, "first_content_at": nil},
			{"type": "speech_group", "input": nil},
			{"type": "custom", "name": "", "data": map[string]any{}},
			response,
			{"type": "mcp_tools", "server": nil, "result": nil},
			{"type": "custom", "name": "task", "data": map[string]any{"sdk_span_type": "task", "name": ""}},
			{"type": "custom", "name": "turn", "data": map[string]any{"sdk_span_type": "turn", "turn": 0.0, "agent_name": ""}},
			{"type": "custom", "name": "embedding", "data": map[string]any{"sdk_span_type": "embedding", "model": nil, "input": nil}},
			{"type": "custom", "name": "retriever", "data": map[string]any{"sdk_span_type": "retriever", "name": "", "query": nil, "documents": nil}},
			{"type": "custom", "name": "prompt", "data": map[string]any{"sdk_span_type": "prompt", "name": "", "template": nil, "variables": nil, "output": nil}},
		}
	}
	for _, rules := range []bool{false, true} {
		items := exportOne(t, []Option{WithPayloadRules(rules)}, func(ctx context.Context) {
			for _, d := range kinds {
				_, sp := tracing.StartSpan(ctx, d)
				sp.End()
			}
		})
		var got []map[string]any
		for _, it := range items[1:] {
			span := it.(map[string]any)
			got = append(got, span["span_data"].(map[string]any))
			if _, ok := span["metadata"]; ok {
				t.Errorf("span %v has metadata though none was set", span["id"])
			}
			for _, k := range []string{"object", "id", "trace_id", "parent_id", "started_at", "ended_at", "span_data", "error"} {
				if _, ok := span[k]; !ok {
					t.Errorf("span %v lacks %q", span["id"], k)
				}
			}
			if len(span) != 8 {
				t.Errorf("span %v has keys %v", span["id"], keys(span))
			}
		}
		if diff := cmp.Diff(want(rules), got); diff != "" {
			t.Errorf("rules=%v: span_data (-want +got):\n%s", rules, diff)
		}
	}
}

func TestTraceAndSpanFields(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "plain")
	_, sp := tracing.StartSpan(ctx, &spans.Custom{Name: "c"}, tracing.WithSpanMetadata(map[string]any{"k": "v"}))
	sp.SetError(errors.New("boom"))
	sp.End()
	_, empty := tracing.StartSpan(ctx, &spans.Custom{Name: "e"}, tracing.WithSpanMetadata(map[string]any{}))
	empty.End()
	tr.End()
	_, tr2 := tp.StartTrace(context.Background(), "with-md", tracing.WithMetadata(map[string]any{}))
	tr2.End()
	if err := exp.Export(context.Background(), rec.Items()); err != nil {
		t.Fatal(err)
	}
	got := data(t, srv.requests()[0].Body)
	want := []any{
		map[string]any{"object": "trace", "id": "trace_00000000000000000000000000000001", "workflow_name": "plain", "group_id": nil, "metadata": nil},
		map[string]any{
			"object": "trace.span", "id": "span_000000000000000000000001", "trace_id": "trace_00000000000000000000000000000001",
			"parent_id": nil, "started_at": "2025-01-02T03:04:06+00:00", "ended_at": "2025-01-02T03:04:07+00:00",
			"span_data": map[string]any{"type": "custom", "name": "c", "data": map[string]any{}},
			"error":     map[string]any{"message": "boom", "data": nil},
			"metadata":  map[string]any{"k": "v"},
		},
		map[string]any{
			"object": "trace.span", "id": "span_000000000000000000000002", "trace_id": "trace_00000000000000000000000000000001",
			"parent_id": nil, "started_at": "2025-01-02T03:04:08+00:00", "ended_at": "2025-01-02T03:04:09+00:00",
			"span_data": map[string]any{"type": "custom", "name": "e", "data": map[string]any{}},
			"error":     nil,
		},
		// An empty, non-nil trace metadata map is sent as {} (Python sends what it is given).
		map[string]any{"object": "trace", "id": "trace_00000000000000000000000000000002", "workflow_name": "with-md", "group_id": nil, "metadata": map[string]any{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

func TestFormatTime(t *testing.T) {
	east := time.FixedZone("UTC+2", 2*3600)
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC), "2025-01-02T03:04:05.123456+00:00"}, // truncated, as Python's microseconds
		{time.Date(2025, 1, 2, 5, 4, 5, 1000, east), "2025-01-02T03:04:05.000001+00:00"},          // converted to UTC
		{time.Date(2025, 1, 2, 3, 4, 5, 999, time.UTC), "2025-01-02T03:04:05+00:00"},              // isoformat drops zero microseconds
		{time.Date(2025, 12, 31, 23, 59, 59, 100000000, time.UTC), "2025-12-31T23:59:59.100000+00:00"},
	} {
		if got := formatTime(tc.in); got != tc.want {
			t.Errorf("formatTime(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAudioAndOptionalFields(t *testing.T) {
	items := exportOne(t, nil, func(ctx context.Context) {
		_, sp := tracing.StartSpan(ctx, &spans.Transcription{Input: []byte{0, 1, 2, 250}, InputFormat: "wav"})
		sp.End()
		_, sp = tracing.StartSpan(ctx, &spans.Speech{Output: []byte("abc"), OutputFormat: "mp3"})
		sp.End()
		_, sp = tracing.StartSpan(ctx, &spans.Agent{Name: "a", Handoffs: []string{}, Tools: []string{}})
		sp.End()
	})
	tx := items[1].(map[string]any)["span_data"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"data": "AAEC+g==", "format": "wav"}, tx["input"]); diff != "" {
		t.Errorf("transcription input: %s", diff)
	}
	sp := items[2].(map[string]any)["span_data"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"data": "YWJj", "format": "mp3"}, sp["output"]); diff != "" {
		t.Errorf("speech output: %s", diff)
	}
	ag := items[3].(map[string]any)["span_data"].(map[string]any)
	if diff := cmp.Diff([]any{}, ag["handoffs"]); diff != "" {
		t.Errorf("empty handoffs must be [] (Python's empty list), not null: %s", diff)
	}
}

// A custom span's input and output go out as the "input" and "output" keys
// of its data, Python's custom spans having data only; data's own keys win.
func TestCustomInputOutput(t *testing.T) {
	data := map[string]any{"node": "n1", "output": "data wins"}
	items := exportOne(t, nil, func(ctx context.Context) {
		_, sp := tracing.StartSpan(ctx, &spans.Custom{Name: "lambda", Input: "hello", Output: 5, Data: data})
		sp.End()
		_, sp = tracing.StartSpan(ctx, &spans.Custom{Name: "plain", Input: []string{"a"}})
		sp.End()
	})
	got := []any{items[1].(map[string]any)["span_data"], items[2].(map[string]any)["span_data"]}
	want := []any{
		map[string]any{"type": "custom", "name": "lambda", "data": map[string]any{"input": "hello", "node": "n1", "output": "data wins"}},
		map[string]any{"type": "custom", "name": "plain", "data": map[string]any{"input": []any{"a"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("span_data (-want +got):\n%s", diff)
	}
	if len(data) != 2 {
		t.Errorf("the span's data map was changed: %v", data)
	}
}
