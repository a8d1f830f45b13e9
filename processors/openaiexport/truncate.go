package openaiexport

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// maxFieldBytes is the largest compact JSON encoding of span_data.input or
// span_data.output that the OpenAI endpoint accepts.
const maxFieldBytes = 100_000

// truncSuffix ends a cut string; a dropped value is replaced by it alone.
const truncSuffix = "... [truncated]"

// markerSize is the encoded size of truncSuffix as a JSON string.
var markerSize = len(truncSuffix) + 2

// maxPreviewBytes bounds the preview of a value that cannot be encoded.
const maxPreviewBytes = 512

// truncateField returns v when its compact JSON encoding fits in limit bytes,
// and otherwise a JSON value that fits: strings cut and suffixed with
// "... [truncated]", objects and arrays shrunk largest child first. A value
// that cannot be encoded becomes {"truncated":true,"original_type":...,
// "preview":...}, where the preview describes its type and the encoding
// error (see unencodable).
func truncateField(v any, limit int) any {
	b, err := compact(v)
	if err != nil {
		return unencodable(v, err)
	}
	if len(b) <= limit {
		return json.RawMessage(b)
	}
	var g any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&g); err != nil {
		return unencodable(v, err)
	}
	// Dropping children can leave a comma's worth of slack unaccounted for:
	// check, and shrink to a tighter budget if needed.
	budget := limit
	for range 4 {
		out := shrink(g, len(b), budget)
		n := size(out)
		if n <= limit {
			return out
		}
		budget -= n - limit
	}
	return truncSuffix
}

// unencodable stands in for a value v that has no JSON encoding, err being
// the encoding error. Python's preview is str(value); Go's describes the
// type and the error instead (see describe), since fmt's %v has no cycle
// check and a cyclic value is a common reason for having no encoding.
func unencodable(v any, err error) map[string]any {
	return map[string]any{
		"truncated":     true,
		"original_type": fmt.Sprintf("%T", v),
		"preview":       cutPreview(describe(v, err)),
	}
}

func cutPreview(s string) string {
	if len(s) <= maxPreviewBytes {
		return s
	}
	k := maxPreviewBytes
	for k > 0 && !utf8.RuneStart(s[k]) {
		k--
	}
	return s[:k] + truncSuffix
}

// compact encodes v as the request body will: compact, no HTML escaping.
func compact(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// size returns the encoded size of a decoded JSON value.
func size(v any) int {
	b, err := compact(v)
	if err != nil {
		return 0 // decoded JSON values always encode
	}
	return len(b)
}

// shrink returns a decoded JSON value v, whose encoding takes n bytes, cut
// down to at most budget bytes where it can be. Scalars other than strings
// are returned as they are; the caller replaces or drops them.
func shrink(v any, n, budget int) any {
	if n <= budget {
		return v
	}
	switch x := v.(type) {
	case string:
		return cutString(x, budget)
	case []any:
		return shrinkArray(x, n, budget)
	case map[string]any:
		return shrinkObject(x, n, budget)
	}
	return v
}

// cutString returns the longest prefix of s (on a rune boundary) that, with
// truncSuffix appended, encodes in at most budget bytes. When not even the
// suffix fits, it returns the suffix alone, or s if that is no longer.
func cutString(s string, budget int) string {
	n := size(s)
	if n <= budget {
		return s
	}
	if budget < markerSize {
		if n <= markerSize {
			return s
		}
		return truncSuffix
	}
	lo, hi := 0, len(s) // the answer is in [lo, hi)
	for hi-lo > 1 {
		mid := runeStart(s, lo+(hi-lo)/2)
		if mid <= lo {
			mid = runeEnd(s, lo+1)
			if mid >= hi {
				break
			}
		}
		if size(s[:mid]+truncSuffix) <= budget {
			lo = mid
		} else {
			hi = mid
		}
	}
	return s[:lo] + truncSuffix
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// runeEnd moves i forward to the start of the next rune.
func runeEnd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

// child is one element or member of an array or object being shrunk.
type child struct {
	key  string // objects only
	val  any
	size int  // encoded size of val
	over int  // encoded size of everything else the child adds: key, colon, comma
	gone bool // dropped
}

// shrinkChildren shrinks cs, whose container encodes in total bytes, to fit
// budget, the largest child first: each is cut to the room left for it, or
// as far as it goes when the room is too small (strings become truncSuffix,
// so lists of messages keep their shape). As a last resort children are
// dropped from the end. It reports the new total.
func shrinkChildren(cs []child, total, budget int) int {
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	// Largest first; among equals the later first, so the start survives.
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(cs[b].size, cs[a].size); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	for _, i := range order {
		if total <= budget {
			return total
		}
		c := &cs[i]
		room := max(budget-(total-c.size), 0)
		nv := shrink(c.val, c.size, room)
		if ns := size(nv); ns < c.size {
			total += ns - c.size
			c.val, c.size = nv, ns
		}
	}
	for i := len(cs) - 1; i >= 0 && total > budget; i-- {
		total -= cs[i].size + cs[i].over
		cs[i].gone = true
	}
	return total
}

func shrinkArray(a []any, n, budget int) any {
	cs := make([]child, len(a))
	for i, v := range a {
		cs[i] = child{val: v, size: size(v), over: 1}
	}
	shrinkChildren(cs, n, budget)
	out := make([]any, 0, len(cs))
	for _, c := range cs {
		if !c.gone {
			out = append(out, c.val)
		}
	}
	return out
}

func shrinkObject(m map[string]any, n, budget int) any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	cs := make([]child, len(keys))
	for i, k := range keys {
		v := m[k]
		cs[i] = child{key: k, val: v, size: size(v), over: size(k) + 2}
	}
	shrinkChildren(cs, n, budget)
	out := make(map[string]any, len(cs))
	for _, c := range cs {
		if !c.gone {
			out[c.key] = c.val
		}
	}
	return out
}
