package otelmap

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
)

// Coze Loop's chat view validates each offered tool's function.parameters
// against a schema in which parameters is an object and a property's "type"
// is a string: an OpenAI strict-mode schema ("type":["string","null"]) or
// parameters that are not a JSON object make the whole conversation fall
// back to raw text. For Coze Loop, cozeTools rewrites such schemas and the
// original tools go to gen_ai.tool.definitions.

// keyToolDefinitions holds the tools as given when they were rewritten for
// Coze Loop: OTel GenAI's attribute for the tools offered to a model.
const keyToolDefinitions = "gen_ai.tool.definitions"

// cozeTools returns tools with parameters Coze Loop's chat view accepts (see
// cozeParameters), and whether any changed. tools itself is not modified.
func cozeTools(tools []spans.Tool) ([]spans.Tool, bool) {
	var out []spans.Tool
	for i, t := range tools {
		p, changed := cozeParameters(t.Parameters)
		if !changed {
			continue
		}
		if out == nil {
			out = slices.Clone(tools)
		}
		out[i].Parameters = p
	}
	if out == nil {
		return tools, false
	}
	return out, true
}

// cozeParameters returns a tool's parameters in the form Coze Loop's chat
// view accepts, and whether that differs from p: a JSON object in which
// every "type" that is a list of types becomes its first type other than
// "null" (with "nullable":true when the list had "null"); "" (no
// parameters) when p is not a JSON object. Empty parameters stay empty.
func cozeParameters(p string) (string, bool) {
	if p == "" {
		return "", false
	}
	t := strings.TrimLeft(p, " \t\r\n")
	if t == "" || t[0] != '{' || !json.Valid([]byte(p)) {
		return "", true
	}
	if !hasTypeList(p) {
		return p, false
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(p))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return "", true
	}
	if !fixSchema(v, 0) {
		return p, false
	}
	b, err := clip.MarshalNoEscape(v)
	if err != nil {
		return "", true
	}
	return string(b), true
}

// hasTypeList reports whether the JSON text p may hold a "type" whose value
// is a list: a cheap scan, so that the usual schema is not decoded.
func hasTypeList(p string) bool {
	for i := 0; ; {
		j := strings.Index(p[i:], `"type"`)
		if j < 0 {
			return false
		}
		i += j + len(`"type"`)
		rest := strings.TrimLeft(p[i:], " \t\r\n")
		if rest, ok := strings.CutPrefix(rest, ":"); ok && strings.HasPrefix(strings.TrimLeft(rest, " \t\r\n"), "[") {
			return true
		}
	}
}

// maxSchemaDepth bounds how deep fixSchema walks a schema.
const maxSchemaDepth = 64

// fixSchema rewrites, in place, every list of types in the JSON schema v
// (decoded with UseNumber) and in the schemas it holds, and reports whether
// it changed anything.
func fixSchema(v any, depth int) bool {
	m, ok := v.(map[string]any)
	if !ok || depth > maxSchemaDepth {
		return false
	}
	changed := false
	if list, ok := m["type"].([]any); ok {
		typ, null := "", false
		for _, e := range list {
			switch s, _ := e.(string); {
			case s == "null":
				null = true
			case s != "" && typ == "":
				typ = s
			}
		}
		if typ == "" {
			typ = "null"
		}
		m["type"] = typ
		if null && typ != "null" {
			if _, ok := m["nullable"]; !ok {
				m["nullable"] = true
			}
		}
		changed = true
	}
	for k, sub := range m {
		switch k {
		case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas":
			if mm, ok := sub.(map[string]any); ok {
				for _, s := range mm {
					changed = fixSchema(s, depth+1) || changed
				}
			}
		case "items", "prefixItems", "anyOf", "oneOf", "allOf":
			if list, ok := sub.([]any); ok {
				for _, s := range list {
					changed = fixSchema(s, depth+1) || changed
				}
			} else {
				changed = fixSchema(sub, depth+1) || changed
			}
		case "additionalProperties", "unevaluatedProperties", "not", "if", "then", "else", "contains", "propertyNames":
			changed = fixSchema(sub, depth+1) || changed
		}
	}
	return changed
}

// toolDefinitionsJSON returns tools as OTel GenAI's tool definitions:
// [{"type":"function","name":...,"description":...,"parameters":...}], the
// parameters as given (JSON when they are JSON, else a string).
func toolDefinitionsJSON(tools []spans.Tool) string {
	b := make([]byte, 0, 64*len(tools))
	b = append(b, '[')
	for i, t := range tools {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"function","name":`...)
		b = appendString(b, t.Name)
		if t.Description != "" {
			b = append(b, `,"description":`...)
			b = appendString(b, t.Description)
		}
		if t.Parameters != "" {
			b = append(b, `,"parameters":`...)
			b = appendRawOrString(b, t.Parameters)
		}
		b = append(b, '}')
	}
	return string(append(b, ']'))
}
