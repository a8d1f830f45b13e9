package otlpexport

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/spans"
)

func TestClipText(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{strings.Repeat("a", 30), 20, strings.Repeat("a", 20-len(truncMarker)) + truncMarker},
		// "é" is 2 bytes: a cut inside it backs up to the rune start.
		{strings.Repeat("é", 20), 21, strings.Repeat("é", 3) + truncMarker},
		{"abcdef", 3, "…"},
	}
	for _, tt := range tests {
		got := clipText(tt.in, tt.limit)
		if got != tt.want {
			t.Errorf("clipText(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
		if len(got) > tt.limit || !utf8.ValidString(got) {
			t.Errorf("clipText(%q, %d) = %q: %d bytes, valid %v", tt.in, tt.limit, got, len(got), utf8.ValidString(got))
		}
	}
}

func TestClipJSONStaysValid(t *testing.T) {
	big := strings.Repeat("长", 2000) // 3 bytes a rune
	doc := `{"messages":[{"role":"user","content":"` + big + `"},{"role":"assistant","content":"short <&> reply"}],"n":1.50}`
	for _, limit := range []int{4000, 1000, 300, 120, 40} {
		got := clipJSON(doc, limit)
		if len(got) > limit {
			t.Errorf("limit %d: %d bytes", limit, len(got))
		}
		if !json.Valid([]byte(got)) || !utf8.ValidString(got) {
			t.Errorf("limit %d: invalid result %q", limit, got)
		}
		if !strings.Contains(got, truncMarker) {
			t.Errorf("limit %d: no marker in %q", limit, got)
		}
	}
	// With room to spare, the structure and the short values survive and
	// only the long string is cut.
	var v struct {
		Messages []struct{ Role, Content string }
		N        json.Number
	}
	if err := json.Unmarshal([]byte(clipJSON(doc, 1000)), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Messages) != 2 || v.Messages[1].Content != "short <&> reply" || v.N != "1.50" ||
		!strings.HasSuffix(v.Messages[0].Content, truncMarker) {
		t.Errorf("clipped = %+v", v)
	}
	if got := clipJSON(`{"a":1}`, 100); got != `{"a":1}` {
		t.Errorf("a short value changed: %s", got)
	}
}

func TestLargeValuesClippedOnTheWire(t *testing.T) {
	r := recordOne(t, &bigFunction, nil)
	in := r.span.Attrs["input.value"].(string)
	out := r.span.Attrs["output.value"].(string)
	if len(in) > maxContentBytes || !json.Valid([]byte(in)) || !strings.Contains(in, truncMarker) {
		t.Errorf("input: %d bytes, valid JSON %v", len(in), json.Valid([]byte(in)))
	}
	if len(out) > maxContentBytes || !strings.HasSuffix(out, truncMarker) || !utf8.ValidString(out) {
		t.Errorf("output: %d bytes, ends %q", len(out), out[len(out)-20:])
	}
	if r.span.Attrs["cozeloop.input"] != in || r.span.Attrs["gen_ai.tool.call.arguments"] != in {
		t.Error("input families differ")
	}
	if n := len(r.span.Name); n > maxValueBytes {
		t.Errorf("span name %d bytes", n)
	}
	for k := range r.span.Attrs {
		if len(k) > maxKeyBytes {
			t.Errorf("key %q over %d bytes", k, maxKeyBytes)
		}
	}
}

var bigFunction = spans.Function{
	Name:   strings.Repeat("n", 3000),
	Input:  `{"q":"` + strings.Repeat("ü", 700_000) + `"}`,
	Output: strings.Repeat("语", 500_000),
}
