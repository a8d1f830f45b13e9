package otelmap

import (
	"encoding/json"
	"math"
	"testing"
)

// TestEncodeJSONNeverFails checks the encoder on values encoding/json
// refuses, at the top level and nested in typed containers.
func TestEncodeJSONNeverFails(t *testing.T) {
	type inner struct {
		C chan int `json:"c"`
	}
	p := &struct{ Next any }{}
	p.Next = p
	tests := []struct {
		v    any
		want string
	}{
		{math.NaN(), `"NaN"`},
		{[]float64{1, math.Inf(-1)}, `[1,"-Inf"]`},
		{map[string]float32{"x": float32(math.Inf(1))}, `{"x":"+Inf"}`},
		{map[int]any{2: func() {}}, `{"2":"<unencodable func()>"}`},
		{[]inner{{}}, `["<otelmap.inner: json: unsupported type: chan int>"]`},
		{json.Number("1x"), `"1x"`},
		{p, `"<*struct { Next interface {} }: json: unsupported value: encountered a cycle via *struct { Next interface {} }>"`},
	}
	for _, tt := range tests {
		if got := string(encodeJSON(tt.v)); got != tt.want {
			t.Errorf("encodeJSON(%T) = %s, want %s", tt.v, got, tt.want)
		}
	}
}
