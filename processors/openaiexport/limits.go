package openaiexport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// The limits every field is clamped to (see the package documentation,
// "Limits"). Sizes are of the field's compact JSON encoding, quotes and
// escapes included, except for ids, which are measured as text.
const (
	// maxFieldBytes bounds each input, output, metadata, custom data, model
	// config, error message, error data and MCP data field, and each list of
	// names, under the OpenAI endpoint's payload rules: the Python SDK's
	// limit for inputs and outputs.
	maxFieldBytes = 100_000
	// maxCustomFieldBytes bounds the same fields for a custom endpoint.
	maxCustomFieldBytes = 1 << 20
	// maxNameBytes bounds each name: workflow, agent, tool, guardrail,
	// custom span, model, MCP server, output type, group id, each entry of
	// a list of names, and a document id.
	maxNameBytes = 1024
	// maxIDBytes bounds a trace or span id (and a parent id).
	maxIDBytes = 256
)

// idHashHex is how many hex digits of an id's SHA-256 end a clamped id.
const idHashHex = 32

// clampID returns id, or, when it is longer than maxIDBytes, its start
// followed by "-" and the first 32 hex digits of its SHA-256: the same long
// id always gives the same result (a parent id still matches the span's
// id), and two that differ anywhere give different ones.
func clampID(id string) string {
	if len(id) <= maxIDBytes {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	k := maxIDBytes - idHashHex - 1
	for k > 0 && !utf8.RuneStart(id[k]) {
		k--
	}
	return id[:k] + "-" + hex.EncodeToString(sum[:])[:idHashHex]
}

// clampString returns s, or s cut so that its JSON encoding takes at most
// limit bytes, ending in "... [truncated]" (see cutString).
func clampString(s string, limit int) string {
	if len(s) <= (limit-2)/6 { // even all escapes (\u0000) fit
		return s
	}
	return cutString(s, limit)
}

// clampName clamps a name to maxNameBytes.
func clampName(s string) string { return clampString(s, maxNameBytes) }

// optName is optString of a clamped name.
func optName(s string) *string { return optString(clampName(s)) }

// names clamps each entry of a list of names to maxNameBytes and the list
// to the field limit. A nil list stays nil (sent as null).
func (e *encoder) names(list []string) any {
	if list == nil {
		return nil
	}
	out, n := list, 2
	for i, s := range list {
		if c := clampName(s); len(c) != len(s) {
			if &out[0] == &list[0] { // copy before the first change
				out = append([]string(nil), list...)
			}
			out[i] = c
		}
		n += len(out[i]) + 1
	}
	if n*6 <= e.limit {
		return out
	}
	b, err := compact(out)
	if err != nil {
		return nil // a list of strings always encodes
	}
	return fitJSON(b, e.limit)
}

// data returns a free-form value (metadata, custom data, model config,
// error data, MCP data, document metadata, prompt variables) as the JSON
// sent: with every bad value replaced (see clean) and clamped to the field
// limit. A nil value is sent as null.
func (e *encoder) data(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := e.field(v)
	if err != nil || hasBadNumber(b) {
		b, err = e.field(clean(v))
		if err != nil { // clean's result always encodes
			b, _ = compact(describe(v, err))
		}
	}
	return fitJSON(b, e.limit)
}

// dataMap is data for a map, which stays null when nil.
func (e *encoder) dataMap(m map[string]any) json.RawMessage {
	if m == nil {
		return nil
	}
	return e.data(m)
}

// content returns an input or output value clamped to the field limit (see
// fitJSON); a value with no encoding becomes the Python SDK's marker,
// {"truncated":true,"original_type":...,"preview":...}, where the preview
// describes its type and the encoding error (see unencodable).
func (e *encoder) content(v any) json.RawMessage {
	b, err := e.field(v)
	if err != nil {
		return markerJSON(unencodable(v, err))
	}
	return fitJSON(b, e.limit)
}

// field encodes one field as compact JSON into a copy of the encoder's
// scratch buffer, with a panic (in a MarshalJSON method, say) turned into
// an error.
func (e *encoder) field(v any) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("panic: %s", safetext.Panic(r))
		}
	}()
	if e.fieldEnc == nil {
		e.fieldEnc = json.NewEncoder(&e.fieldBuf)
		e.fieldEnc.SetEscapeHTML(false)
	}
	e.fieldBuf.Reset()
	if err := e.fieldEnc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(bytes.TrimSuffix(e.fieldBuf.Bytes(), []byte{'\n'})), nil
}
