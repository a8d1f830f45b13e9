package otlpexport

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

// The hand-written chat encoder writes what spans.Message's own JSON
// encoding writes, for every message that has no inline audio or file data
// (whose bytes the exporter never inlines).
func TestChatMessageEncoderMatchesSpansJSON(t *testing.T) {
	msgs := []spans.Message{
		{Role: "user", Content: "hi <b>&</b>"},
		{Role: "user"},
		{Role: "system", Name: "policy", Parts: []spans.Part{{Type: spans.PartText, Text: "Be brief."}}},
		{Role: "user", Parts: []spans.Part{
			{Type: spans.PartText, Text: "What is this?"},
			{Type: spans.PartImageURL, URL: "https://x.test/a.png", Detail: "low"},
			{Type: spans.PartImageURL, URL: "https://x.test/b.png"},
			{Type: spans.PartFile, FileID: "file-1", Filename: "a.pdf"},
			{Type: "input_video"},
		}},
		{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: "c1", Name: "f", Arguments: `{"a":1}`}}},
		{Role: "tool", ToolCallID: "c1", Content: `{"ok":true}`},
		{Role: "assistant", Refusal: "no"},
		{Role: "assistant", Parts: []spans.Part{{Type: spans.PartText, Text: "Partly"}, {Type: spans.PartRefusal, Text: "no"}}},
		{Role: "assistant", Content: "4", ReasoningContent: "2+2"},
		{Role: "assistant", Audio: &spans.Audio{ID: "audio_1", Transcript: "hello"}},
	}
	for _, m := range msgs {
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendChatMessage(nil, m); !sameJSON(t, want, got) {
			t.Errorf("encoder differs from spans.Message JSON:\n got %s\nwant %s", got, want)
		}
	}
	// Inline bytes are never sent: their size stands in.
	big := spans.Message{Role: "user", Parts: []spans.Part{
		{Type: spans.PartInputAudio, Data: "UklGRiQAAABXQVZF", Format: "wav"},
		{Type: spans.PartFile, Data: "JVBERi0x", Filename: "r.pdf"},
	}}
	want := `{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"[audio: 16 bytes, wav]","format":"wav"}},` +
		`{"type":"file","file":{"filename":"r.pdf","file_data":"[file: 8 bytes of base64]"}}]}`
	if got := string(appendChatMessage(nil, big)); got != want {
		t.Errorf("inline data:\n got %s\nwant %s", got, want)
	}
}

func TestGenAIPartsOfMultipartMessages(t *testing.T) {
	got := genaiMessagesJSON([]spans.Message{
		{Role: "user", Parts: []spans.Part{
			{Type: spans.PartText, Text: "What is this?"},
			{Type: spans.PartImageURL, URL: "https://x.test/a.png"},
			{Type: spans.PartImageURL, URL: "data:image/png;base64,AAAA"},
			{Type: spans.PartInputAudio, Data: "AAAA", Format: "wav"},
			{Type: spans.PartFile, FileID: "file-1"},
		}},
		{Role: "assistant", Content: "A cat.", ReasoningContent: "whiskers", Refusal: "no"},
		{Role: "tool", ToolCallID: "c1", Parts: []spans.Part{{Type: spans.PartText, Text: "10:42"}}},
	}, "")
	want := `[{"role":"user","parts":[{"type":"text","content":"What is this?"},{"type":"uri","modality":"image","uri":"https://x.test/a.png"},` +
		`{"type":"blob","modality":"image","content":"[image: 26 bytes of data URL]"},{"type":"blob","modality":"audio","content":"[audio: 4 bytes, wav]"},` +
		`{"type":"file","file_id":"file-1"}]},` +
		`{"role":"assistant","parts":[{"type":"reasoning","content":"whiskers"},{"type":"text","content":"A cat."},{"type":"refusal","content":"no"}]},` +
		`{"role":"tool","parts":[{"type":"tool_call_response","id":"c1","response":"10:42"}]}]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// The span-model additions show in Coze Loop: agent and trace input and
// output, Responses shapes, and the retriever, prompt and embedding kinds.
func TestCozeLoopModelAdditions(t *testing.T) {
	tests := []struct {
		name string
		data spans.Data
		want cozeView
	}{
		{"agent input and output", &spans.Agent{Name: "Triage", Input: "Where is A1?", Output: []spans.Message{{Role: "assistant", Content: "Shipped."}}},
			cozeView{SpanType: "agent", Input: "Where is A1?",
				Output: `{"choices":[{"index":0,"message":{"role":"assistant","content":"Shipped."}}]}`}},
		{"agent structured output", &spans.Agent{Name: "Triage", Input: []spans.Message{{Role: "user", Content: "A1?"}}, Output: map[string]any{"eta_days": 2}},
			cozeView{SpanType: "agent", Input: `{"messages":[{"role":"user","content":"A1?"}]}`, Output: `{"eta_days":2}`}},
		{"response items", &spans.Response{ResponseID: "resp_1", Model: "gpt-5", Provider: "openai",
			Input:  json.RawMessage(`[{"role":"user","content":"hi"}]`),
			Output: []any{map[string]any{"type": "message", "role": "assistant", "content": []any{map[string]any{"type": "output_text", "text": "hello"}}}}},
			cozeView{SpanType: "model", Model: "gpt-5", Provider: "openai",
				Input:  `{"input":[{"role":"user","content":"hi"}]}`,
				Output: `{"id":"resp_1","output":[{"content":[{"text":"hello","type":"output_text"}],"role":"assistant","type":"message"}]}`}},
		{"retriever", &spans.Retriever{Name: "kb", Query: "refund policy", Documents: []spans.Document{{ID: "d1", Content: "30 days", Score: 0.9}}},
			cozeView{SpanType: "retriever", Input: "refund policy", Output: `[{"id":"d1","content":"30 days","score":0.9}]`}},
		{"prompt", &spans.Prompt{Name: "greet", Variables: map[string]any{"name": "Ann"},
			Template: []spans.Message{{Role: "system", Content: "Greet {name}."}}, Output: []spans.Message{{Role: "system", Content: "Greet Ann."}}},
			cozeView{SpanType: "prompt", Input: `{"arguments":{"name":"Ann"},"templates":[{"role":"system","content":"Greet {name}."}]}`,
				Output: `{"messages":[{"role":"system","content":"Greet Ann."}]}`}},
		{"embedding", &spans.Embedding{Model: "text-embedding-3-small", Input: []string{"a", "b"}, Dimensions: 1536, Count: 2, Usage: &spans.Usage{InputTokens: 2}},
			cozeView{SpanType: "embedding", Model: "text-embedding-3-small", Input: `["a","b"]`, InputTokens: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			child, _ := exportToCoze(t, tt.data, nil, nil)
			want := tt.want
			want.Thread = "group_7"
			if diff := cmp.Diff(want, readCoze(child)); diff != "" {
				t.Errorf("Coze Loop view (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTraceInputOutputOnTheRootSpan(t *testing.T) {
	s := newSink(t, nil)
	exp, err := New(WithCozeLoop("7486", "pat_secret"), WithCozeLoopBaseURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)), tracing.WithDisabled(false))
	_, tr := tp.StartTrace(context.Background(), "Support run")
	tr.SetInput("Where is A1?")
	tr.SetOutput("It ships today.")
	tr.End()
	tp.Shutdown(context.Background())
	got := s.spans()
	if len(got) != 1 {
		t.Fatalf("%d spans", len(got))
	}
	if diff := cmp.Diff(cozeView{SpanType: "agent", Input: "Where is A1?", Output: "It ships today."}, readCoze(got[0])); diff != "" {
		t.Errorf("root (-want +got):\n%s", diff)
	}
}

func TestStreamedGenerationAttributes(t *testing.T) {
	first := time.Date(2026, 12, 1, 10, 0, 0, 123456000, time.UTC)
	child, _ := exportToCoze(t, &spans.Generation{Model: "m", Stream: true, FirstTokenAt: first}, nil, nil)
	var stream bool
	var ttft int64
	for _, kv := range child.GetAttributes() {
		switch kv.GetKey() {
		case "cozeloop.stream":
			stream = kv.GetValue().GetBoolValue()
		case "cozeloop.time_to_first_token":
			ttft = kv.GetValue().GetIntValue()
		}
	}
	if !stream || ttft != first.UnixMicro() {
		t.Errorf("cozeloop.stream %v, cozeloop.time_to_first_token %d (want %d)", stream, ttft, first.UnixMicro())
	}
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return cmp.Equal(x, y)
}
