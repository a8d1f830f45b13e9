package otelmap

import "testing"

func TestCozeParameters(t *testing.T) {
	tests := []struct {
		in, want string
		changed  bool
	}{
		{"", "", false},
		{`{"type":"object"}`, `{"type":"object"}`, false},
		{` {"type" : "object", "properties": {"type": {"type": "string"}}}`, ` {"type" : "object", "properties": {"type": {"type": "string"}}}`, false},
		{"not json", "", true},
		{`[1]`, "", true},
		{`"s"`, "", true},
		{`{"type":["string","null"]}`, `{"nullable":true,"type":"string"}`, true},
		{`{"type" : [ "null" ]}`, `{"type":"null"}`, true},
		{`{"type":["integer","string"],"nullable":false}`, `{"nullable":false,"type":"integer"}`, true},
		{`{"type":"object","properties":{"a":{"anyOf":[{"type":["string","null"]}]},"b":{"type":"array","items":[{"type":["number"]}]}},` +
			`"$defs":{"d":{"type":["boolean","null"]}},"additionalProperties":{"type":["string","null"]}}`,
			`{"$defs":{"d":{"nullable":true,"type":"boolean"}},"additionalProperties":{"nullable":true,"type":"string"},"properties":{"a":{"anyOf":[{"nullable":true,"type":"string"}]},"b":{"items":[{"type":"number"}],"type":"array"}},"type":"object"}`,
			true},
		// A property named "type" whose schema is a list of types is not a
		// type list: only its own "type" is.
		{`{"properties":{"type":{"type":["string","null"]}},"enum":["type", 1]}`, `{"enum":["type",1],"properties":{"type":{"nullable":true,"type":"string"}}}`, true},
		{`{"description":"\"type\": [x]"}`, `{"description":"\"type\": [x]"}`, false},
	}
	for _, tt := range tests {
		got, changed := cozeParameters(tt.in)
		if got != tt.want || changed != tt.changed {
			t.Errorf("cozeParameters(%s) = %s, %v; want %s, %v", tt.in, got, changed, tt.want, tt.changed)
		}
	}
}
