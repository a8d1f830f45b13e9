package otlpexport

import (
	"bytes"
	"encoding/json"
	"slices"
	"unicode/utf8"
)

// Coze Loop's limits (see the package documentation), applied before sending
// so that values are cut where we choose, on rune boundaries, with JSON kept
// valid and a visible marker, instead of at an arbitrary byte by the server.
const (
	// maxContentBytes bounds an input or output value (and the other content
	// attributes that repeat it).
	maxContentBytes = 1 << 20
	// maxValueBytes bounds the span name and every other string value.
	maxValueBytes = 1024
	// maxKeyBytes bounds an attribute key.
	maxKeyBytes = 100
)

// truncMarker ends every clipped value.
const truncMarker = "…[truncated]"

// clipText returns s cut to at most limit bytes on a rune boundary, ending in
// truncMarker when it was cut. Invalid UTF-8 is left as the proto encoder
// finds it only when s fits; clipped text is always valid UTF-8.
func clipText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	keep := limit - len(truncMarker)
	if keep < 0 {
		return cutRunes(truncMarker, limit)
	}
	return cutRunes(s, keep) + truncMarker
}

// cutRunes returns the longest prefix of s of at most n bytes that does not
// split a rune.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// clipKey cuts an attribute key to maxKeyBytes without a marker (a marker
// would make keys collide less readably than a plain cut).
func clipKey(k string) string { return cutRunes(k, maxKeyBytes) }

// clipJSON returns the JSON text s cut to at most limit bytes while staying
// valid JSON: the longest string values are shortened first, each ending in
// truncMarker. When that cannot fit (too many keys or numbers), the result is
// a JSON string holding the clipped text. s must be valid JSON.
func clipJSON(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil {
		var leaves []int
		collectLeaves(v, &leaves)
		if len(leaves) > 0 {
			slices.Sort(leaves)
			// Start from the cap that would save enough raw bytes, then
			// tighten it until the encoding (escapes included) fits.
			excess := len(s) - limit
			c := capFor(leaves, excess+len(leaves)*len(truncMarker))
			for range 8 {
				out, err := marshalNoEscape(clipLeaves(v, c))
				if err == nil && len(out) <= limit {
					return string(out)
				}
				if c == 0 {
					break
				}
				c = c * 3 / 4
			}
		}
	}
	// Fall back to a JSON string of the clipped text. Quoting can grow the
	// text, so leave room for escapes.
	text := clipText(s, limit)
	for {
		out, _ := marshalNoEscape(text)
		if len(out) <= limit || len(text) == 0 {
			return string(out)
		}
		text = clipText(text, len(text)-(len(out)-limit)-1)
	}
}

// capFor returns the largest per-string cap c such that cutting every leaf
// longer than c down to c saves at least need bytes (0 when nothing does).
func capFor(sorted []int, need int) int {
	lo, hi := 0, sorted[len(sorted)-1]
	for lo < hi {
		mid := (lo + hi + 1) / 2
		saved := 0
		for _, n := range sorted {
			if n > mid {
				saved += n - mid
			}
		}
		if saved >= need {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func collectLeaves(v any, out *[]int) {
	switch x := v.(type) {
	case string:
		*out = append(*out, len(x))
	case []any:
		for _, e := range x {
			collectLeaves(e, out)
		}
	case map[string]any:
		for _, e := range x {
			collectLeaves(e, out)
		}
	}
}

// clipLeaves returns a copy of v with every string longer than c bytes
// clipped to c bytes plus the marker.
func clipLeaves(v any, c int) any {
	switch x := v.(type) {
	case string:
		if len(x) > c {
			return cutRunes(x, c) + truncMarker
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clipLeaves(e, c)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clipLeaves(e, c)
		}
		return out
	}
	return v
}

// marshalNoEscape encodes v as JSON without HTML escaping (which would grow
// "<", ">" and "&" sixfold) and without a trailing newline.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
