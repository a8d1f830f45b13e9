package otlpexport

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
)

// TestModelConfigNumbers checks that integers stay exact int64 whatever
// their width, and that integral floats and json.Numbers (what decoding a
// JSON config gives) become ints for the keys OTel GenAI defines as ints.
func TestModelConfigNumbers(t *testing.T) {
	seed := int64(1<<62 + 1)
	for _, tt := range []struct {
		name string
		cfg  map[string]any
		want map[string]any
	}{
		{"int64 seed, float max_tokens, json.Number n", map[string]any{"seed": seed, "max_tokens": float64(512), "n": json.Number("2")},
			map[string]any{"gen_ai.request.seed": seed, "gen_ai.request.max_tokens": int64(512), "gen_ai.request.choice.count": int64(2)}},
		{"small widths", map[string]any{"max_tokens": uint16(300), "seed": int8(-3), "n": uint8(1), "top_k": int16(40)},
			map[string]any{"gen_ai.request.max_tokens": int64(300), "gen_ai.request.seed": int64(-3), "gen_ai.request.choice.count": int64(1), "gen_ai.request.top_k": int64(40)}},
		{"uint64 beyond int64", map[string]any{"seed": uint64(math.MaxUint64), "max_tokens": uint64(7)},
			map[string]any{"gen_ai.request.seed": float64(math.MaxUint64), "gen_ai.request.max_tokens": int64(7)}},
		{"non-integral stays a double", map[string]any{"max_tokens": 1.5, "temperature": json.Number("0.25"), "top_p": float32(0.5)},
			map[string]any{"gen_ai.request.max_tokens": 1.5, "gen_ai.request.temperature": 0.25, "gen_ai.request.top_p": 0.5}},
		{"json.Number beyond int64", map[string]any{"seed": json.Number("18446744073709551615")},
			map[string]any{"gen_ai.request.seed": float64(math.MaxUint64)}},
		{"stop values", map[string]any{"stop": []any{"END", 7, 1.5, true, json.Number("3"), nil, map[string]any{"a": 1}, make(chan int)}},
			map[string]any{"gen_ai.request.stop_sequences": []any{"END", "7", "1.5", "true", "3", `{"a":1}`, "<unencodable chan int>"}}},
		{"Anthropic's stop_sequences", map[string]any{"stop_sequences": []string{"END", "\n\nHuman:"}},
			map[string]any{"gen_ai.request.stop_sequences": []any{"END", "\n\nHuman:"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sendItems(t, recordItems(&spans.Generation{Model: "m", ModelConfig: tt.cfg}, nil, nil))
			if err != nil {
				t.Fatal(err)
			}
			a := childAttrs(t, got)
			gotParams := map[string]any{}
			for k := range tt.want {
				gotParams[k] = a[k]
			}
			if diff := cmp.Diff(tt.want, gotParams); diff != "" {
				t.Errorf("gen_ai.request.* (-want +got):\n%s", diff)
			}
			if _, ok := a["llm.invocation_parameters"]; !ok {
				t.Error("llm.invocation_parameters missing")
			}
		})
	}
}
