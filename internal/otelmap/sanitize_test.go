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

type panicMarshaler struct{}

func (panicMarshaler) MarshalJSON() ([]byte, error) { panic("boom") }

type panicStringer struct{}

func (panicStringer) String() string { panic("boom") }

// TestPanickingMethodsDescribed checks the encoder and the text of
// Stringers and errors on values whose own methods panic: described by
// type, the rest of the value kept.
func TestPanickingMethodsDescribed(t *testing.T) {
	if got := string(encodeJSON(map[string]any{"a": panicMarshaler{}, "b": []any{1, panicMarshaler{}}})); got !=
		`{"a":"<otelmap.panicMarshaler: encoding panicked>","b":[1,"<otelmap.panicMarshaler: encoding panicked>"]}` {
		t.Errorf("encodeJSON = %s", got)
	}
	if got := stringerText(panicStringer{}); got != "<otelmap.panicStringer: String method panicked>" {
		t.Errorf("stringerText = %s", got)
	}
	var nilErr *nilPanicErr
	if got := errorText(nilErr); got != "<nil>" {
		t.Errorf("errorText(nil pointer) = %s", got)
	}
}

type nilPanicErr struct{ s string }

func (e *nilPanicErr) Error() string { return e.s }
