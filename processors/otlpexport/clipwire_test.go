package otlpexport

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
)

func TestLargeValuesClippedOnTheWire(t *testing.T) {
	r := recordOne(t, &bigFunction, nil)
	in := r.span.Attrs["input.value"].(string)
	out := r.span.Attrs["output.value"].(string)
	if len(in) > clip.MaxContent || !json.Valid([]byte(in)) || !strings.Contains(in, clip.Marker) {
		t.Errorf("input: %d bytes, valid JSON %v", len(in), json.Valid([]byte(in)))
	}
	if len(out) > clip.MaxContent || !strings.HasSuffix(out, clip.Marker) || !utf8.ValidString(out) {
		t.Errorf("output: %d bytes, ends %q", len(out), out[len(out)-20:])
	}
	if r.span.Attrs["cozeloop.input"] != in || r.span.Attrs["gen_ai.tool.call.arguments"] != in {
		t.Error("input families differ")
	}
	if n := len(r.span.Name); n > clip.MaxValue {
		t.Errorf("span name %d bytes", n)
	}
	for k := range r.span.Attrs {
		if len(k) > clip.MaxKey {
			t.Errorf("key %q over %d bytes", k, clip.MaxKey)
		}
	}
}

var bigFunction = spans.Function{
	Name:   strings.Repeat("n", 3000),
	Input:  `{"q":"` + strings.Repeat("ü", 700_000) + `"}`,
	Output: strings.Repeat("语", 500_000),
}
