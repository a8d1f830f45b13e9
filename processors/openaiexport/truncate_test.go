package openaiexport

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// rawFields exports what record makes and returns, per span in order, the raw
// compact JSON of span_data's input and output.
func rawFields(t *testing.T, opts []Option, record func(ctx context.Context)) []map[string]json.RawMessage {
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
	var body struct {
		Data []struct {
			SpanData map[string]json.RawMessage `json:"span_data"`
		} `json:"data"`
	}
	if err := json.Unmarshal(srv.requests()[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	var out []map[string]json.RawMessage
	for _, it := range body.Data[1:] {
		m := map[string]json.RawMessage{}
		for _, k := range []string{"input", "output"} {
			if raw, ok := it.SpanData[k]; ok {
				var buf bytes.Buffer
				if err := json.Compact(&buf, raw); err != nil {
					t.Fatal(err)
				}
				m[k] = buf.Bytes()
			}
		}
		out = append(out, m)
	}
	return out
}

// bigSpans records one span of every kind with content, each field far over
// the limit, with characters that JSON escapes and multi-byte runes.
func bigSpans(ctx context.Context) {
	text := strings.Repeat(`é"\<`, 40_000) // 240,000 bytes of JSON
	var msgs []spans.Message
	for i := range 300 {
		msgs = append(msgs, spans.Message{Role: "user", Content: strings.Repeat(string(rune('a'+i%26)), 1000)})
	}
	end := func(d spans.Data) {
		_, sp := tracing.StartSpan(ctx, d)
		sp.End()
	}
	end(&spans.Generation{Input: msgs, Output: []spans.Message{{Role: "assistant", Content: text}}})
	end(&spans.Function{Name: "f", Input: text, Output: map[string]any{"small": "keep me", "big": text}})
	end(&spans.Transcription{Input: bytes.Repeat([]byte{7}, 200_000), Output: text})
	end(&spans.Speech{Input: text, Output: bytes.Repeat([]byte{7}, 200_000)})
	end(&spans.SpeechGroup{Input: text})
}

func TestTruncation(t *testing.T) {
	fields := rawFields(t, []Option{WithPayloadRules(true)}, bigSpans)
	for i, m := range fields {
		for k, raw := range m {
			if len(raw) > maxFieldBytes {
				t.Errorf("span %d %s: %d bytes, over the limit", i, k, len(raw))
			}
			if string(raw) != "null" && !bytes.Contains(raw, []byte(truncSuffix)) {
				t.Errorf("span %d %s is not marked truncated: %.80s", i, k, raw)
			}
			if len(raw) < maxFieldBytes*9/10 {
				t.Errorf("span %d %s: %d bytes, truncated far more than needed", i, k, len(raw))
			}
		}
	}

	var in []spans.Message
	if err := json.Unmarshal(fields[0]["input"], &in); err != nil {
		t.Fatalf("generation input no longer a message list: %v", err)
	}
	// As in Python: the oldest messages are emptied first (keeping their
	// role), the newest survive whole, and the list keeps every message.
	if len(in) != 300 {
		t.Errorf("%d messages sent, want all 300", len(in))
	}
	if last := in[len(in)-1]; last.Content != strings.Repeat("n", 1000) || last.Role != "user" {
		t.Errorf("the newest message must survive: %+v", last)
	}
	if in[0].Content != truncSuffix || in[0].Role != "user" {
		t.Errorf("the oldest message must be emptied first: %+v", in[0])
	}
	// A function's output is text (JSON text here), so it is cut as a string.
	var out string
	if err := json.Unmarshal(fields[1]["output"], &out); err != nil {
		t.Fatalf("function output: %v", err)
	}
	if !strings.HasPrefix(out, `{"big":"é\"\\<`) || !strings.HasSuffix(out, truncSuffix) {
		t.Errorf("function output: %.20q...", out)
	}
	var s string
	if err := json.Unmarshal(fields[1]["input"], &s); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, `é"\<é"\<`) || !strings.HasSuffix(s, truncSuffix) {
		t.Errorf("cut string keeps its start and ends with the suffix: %.20q...%q", s, s[len(s)-20:])
	}
	var audio map[string]string
	if err := json.Unmarshal(fields[2]["input"], &audio); err != nil {
		t.Fatal(err)
	}
	if audio["format"] != "pcm" || !strings.HasPrefix(audio["data"], base64.StdEncoding.EncodeToString([]byte{7, 7, 7})) {
		t.Errorf("audio: format %q, data %.20q", audio["format"], audio["data"])
	}

	// A custom endpoint gets everything.
	for i, m := range rawFields(t, nil, bigSpans) {
		for k, raw := range m {
			if len(raw) <= maxFieldBytes || bytes.Contains(raw, []byte(truncSuffix)) {
				t.Errorf("custom endpoint: span %d %s was truncated (%d bytes)", i, k, len(raw))
			}
		}
	}
}

func TestTruncateLargestChildFirst(t *testing.T) {
	big := strings.Repeat("x", 150_000)
	got := truncated(map[string]any{"small": "keep", "n": 12, "big": big, "list": []string{"a", "b"}})
	m, ok := decoded(t, got).(map[string]any)
	if !ok {
		t.Fatalf("got %T", got)
	}
	if m["small"] != "keep" || m["n"] != json.Number("12") || !cmp.Equal(m["list"], []any{"a", "b"}) {
		t.Errorf("small children changed: %v %v %v", m["small"], m["n"], m["list"])
	}
	if s := m["big"].(string); !strings.HasSuffix(s, truncSuffix) {
		t.Errorf("big child not cut")
	}
	if n := encodedSize(t, got); n > maxFieldBytes || n < maxFieldBytes-8 {
		t.Errorf("size %d, want just under %d", n, maxFieldBytes)
	}
}

func TestTruncateBoundary(t *testing.T) {
	exact := strings.Repeat("y", maxFieldBytes-2) // with quotes: exactly the limit
	if got := truncated(exact); encodedSize(t, got) != maxFieldBytes || strings.Contains(string(got), truncSuffix) {
		t.Errorf("a value of exactly the limit must be sent as is")
	}
	over := exact + "y"
	got := decoded(t, truncated(over)).(string)
	if !strings.HasSuffix(got, truncSuffix) || encodedSize(t, got) > maxFieldBytes {
		t.Errorf("one byte over: got %d bytes", encodedSize(t, got))
	}
}

func TestTruncateManySmallChildren(t *testing.T) {
	// No child can be cut: they are replaced by the marker, then dropped.
	nums := make([]int, 60_000)
	got := truncated(nums)
	n := encodedSize(t, got)
	if n > maxFieldBytes {
		t.Errorf("size %d over the limit", n)
	}
	if len(decoded(t, got).([]any)) == 0 {
		t.Errorf("everything dropped")
	}
}

func TestTruncateUnencodable(t *testing.T) {
	ch := make(chan int)
	got := decoded(t, truncated(ch))
	m, ok := got.(map[string]any)
	if !ok || m["truncated"] != true || m["original_type"] != "chan int" || m["preview"] == "" {
		t.Errorf("got %#v", got)
	}
	long := decoded(t, truncated(map[string]any{"f": func() {}, "s": strings.Repeat("z", 2000)})).(map[string]any)
	if p := long["preview"].(string); len(p) > maxPreviewBytes+len(truncSuffix) {
		t.Errorf("preview of %d bytes", len(p))
	}
}

// TestTruncateUnencodableCyclic checks that the preview of a cyclic value
// describes it rather than formatting it with fmt, which would overflow the
// stack (fatally, hence the child process).
func TestTruncateUnencodableCyclic(t *testing.T) {
	if !runInChild(t) {
		return
	}
	m := map[string]any{"k": "v"}
	m["self"] = m
	got, ok := decoded(t, truncated(m)).(map[string]any)
	want := map[string]any{
		"truncated":     true,
		"original_type": "map[string]interface {}",
		"preview":       "<map[string]interface {}: json: unsupported value: encountered a cycle via map[string]interface {}>",
	}
	if !ok || !cmp.Equal(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

// truncated is what the encoder sends for an input or output value v under
// the OpenAI payload rules.
func truncated(v any) json.RawMessage {
	e := newEncoder(true)
	return e.content(v)
}

// decoded returns JSON text decoded, numbers as json.Number.
func decoded(t *testing.T, v any) any {
	t.Helper()
	raw, ok := v.(json.RawMessage)
	if !ok {
		t.Fatalf("%T is not JSON text", v)
	}
	var out any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func encodedSize(t *testing.T, v any) int {
	t.Helper()
	b, err := compact(v)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

// TestUsageRewrite checks usage on both endpoints, cache_write_tokens (which
// the Python SDK sends in input_tokens_details) included.
func TestUsageRewrite(t *testing.T) {
	usage := &spans.Usage{Requests: 2, InputTokens: 10, OutputTokens: 5, CachedInputTokens: 3, ReasoningTokens: 1, CacheWriteInputTokens: 9}
	record := func(ctx context.Context) {
		_, sp := tracing.StartSpan(ctx, &spans.Generation{Usage: usage})
		sp.End()
		_, sp = tracing.StartSpan(ctx, &spans.Response{ResponseID: "r", Usage: usage})
		sp.End()
	}
	full := map[string]any{"requests": 2.0, "input_tokens": 10.0, "output_tokens": 5.0, "total_tokens": 15.0,
		"input_tokens_details": map[string]any{"cached_tokens": 3.0, "cache_write_tokens": 9.0}, "output_tokens_details": map[string]any{"reasoning_tokens": 1.0}}
	for _, tc := range []struct {
		rules         bool
		gen, response any
	}{
		{true, map[string]any{"input_tokens": 10.0, "output_tokens": 5.0, "details": map[string]any{
			"requests": 2.0, "total_tokens": 15.0,
			"input_tokens_details": map[string]any{"cached_tokens": 3.0, "cache_write_tokens": 9.0}, "output_tokens_details": map[string]any{"reasoning_tokens": 1.0}}}, nil},
		{false, full, full},
	} {
		items := exportOne(t, []Option{WithPayloadRules(tc.rules)}, record)
		gen := items[1].(map[string]any)["span_data"].(map[string]any)
		if diff := cmp.Diff(tc.gen, gen["usage"]); diff != "" {
			t.Errorf("rules=%v generation usage (-want +got):\n%s", tc.rules, diff)
		}
		resp := items[2].(map[string]any)["span_data"].(map[string]any)
		u, present := resp["usage"]
		if tc.response == nil && present {
			t.Errorf("rules=%v: response usage sent: %v", tc.rules, u)
		}
		if diff := cmp.Diff(tc.response, u); diff != "" {
			t.Errorf("rules=%v response usage (-want +got):\n%s", tc.rules, diff)
		}
	}
}

// TestTruncateOldestFirst checks the Python SDK's order among children of
// the same size: the first (the oldest message) is cut first, and the
// newest survive whole.
func TestTruncateOldestFirst(t *testing.T) {
	a, b, c := strings.Repeat("a", 40_000), strings.Repeat("b", 40_000), strings.Repeat("c", 40_000)
	got, ok := decoded(t, truncated([]string{a, b, c})).([]any)
	if !ok || len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	if s := got[0].(string); !strings.HasPrefix(s, "aaa") || !strings.HasSuffix(s, truncSuffix) {
		t.Errorf("the first is not the one cut: %.10q...", s)
	}
	if got[1] != b || got[2] != c {
		t.Errorf("the newest did not survive whole")
	}
}
