package openaiexport

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// truncSuffix ends a cut string; a dropped value is replaced by it alone.
const truncSuffix = "... [truncated]"

// markerSize is the encoded size of truncSuffix as a JSON string.
var markerSize = len(truncSuffix) + 2

// maxPreviewBytes bounds the preview of a value that cannot be encoded.
const maxPreviewBytes = 512

// markerJSON encodes a truncation marker, which always encodes.
func markerJSON(m map[string]any) json.RawMessage {
	b, err := compact(m)
	if err != nil {
		return suffixJSON
	}
	return b
}

// suffixJSON is truncSuffix as JSON: what is left of a value that cannot be
// cut to fit.
var suffixJSON = json.RawMessage(`"` + truncSuffix + `"`)

// fitJSON returns the JSON text b when it fits in limit bytes, and otherwise
// JSON that fits: strings cut and suffixed with "... [truncated]", objects
// and arrays shrunk largest child first (see shrinkChildren).
func fitJSON(b []byte, limit int) json.RawMessage {
	if len(b) <= limit {
		return b
	}
	var g any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&g); err != nil {
		return suffixJSON // b is always JSON that encoding/json wrote
	}
	// First drop children of the top value only, so that what is kept keeps
	// its shape (a message keeps its role); when that is not enough (one
	// child too large however far it is cut), drop children at every level.
	// Dropping children can leave a comma's worth of slack unaccounted for:
	// check, and shrink to a tighter budget if needed.
	for _, nested := range []bool{false, true} {
		sh := shrinker{dropNested: nested}
		budget := limit
		for range 4 {
			out, err := compact(sh.shrink(g, len(b), budget, 0))
			if err != nil {
				break // decoded JSON values always encode
			}
			if len(out) <= limit {
				return out
			}
			budget -= len(out) - limit
		}
	}
	return suffixJSON
}

// shrinker cuts decoded JSON values down to a budget. Children of the top
// value may be dropped as a last resort, and those of nested values too when
// dropNested is set.
type shrinker struct{ dropNested bool }

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
	if s, ok := v.(string); ok {
		return stringSize(s)
	}
	b, err := compact(v)
	if err != nil {
		return 0 // decoded JSON values always encode
	}
	return len(b)
}

// shrink returns a decoded JSON value v, whose encoding takes n bytes and
// which is depth levels below the top value, cut down to at most budget
// bytes where it can be. Scalars other than strings are returned as they
// are; the caller replaces or drops them.
func (sh shrinker) shrink(v any, n, budget, depth int) any {
	if n <= budget {
		return v
	}
	switch x := v.(type) {
	case string:
		return cutString(x, budget)
	case []any:
		return sh.shrinkArray(x, n, budget, depth)
	case map[string]any:
		return sh.shrinkObject(x, n, budget, depth)
	}
	return v
}

// cutString returns the longest prefix of s (on a rune boundary) that, with
// truncSuffix appended, encodes in at most budget bytes. When not even the
// suffix fits, it returns the suffix alone, or s if that is no longer.
func cutString(s string, budget int) string {
	n := stringSize(s)
	if n <= budget {
		return s
	}
	if budget < markerSize {
		if n <= markerSize {
			return s
		}
		return truncSuffix
	}
	// The suffix needs no escapes: the prefix has what the marker leaves.
	return s[:fittingPrefix(s, budget-markerSize)] + truncSuffix
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
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
// budget, the largest child first and, among children of the same size, the
// first first, as the Python SDK does: each is cut to the room left for it,
// or as far as it goes when the room is too small (strings become
// truncSuffix, so lists of messages keep their shape). In a list of
// messages the oldest are emptied and cut first and the newest survive. As
// a last resort the children of the top value (of any value when
// sh.dropNested is set) are dropped from the start. It reports the new
// total.
func (sh shrinker) shrinkChildren(cs []child, total, budget, depth int) int {
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	// Largest first; among equals the first first, so the end survives.
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(cs[b].size, cs[a].size)
	})
	for _, i := range order {
		if total <= budget {
			return total
		}
		c := &cs[i]
		room := max(budget-(total-c.size), 0)
		nv := sh.shrink(c.val, c.size, room, depth+1)
		if ns := size(nv); ns < c.size {
			total += ns - c.size
			c.val, c.size = nv, ns
		}
	}
	if depth > 0 && !sh.dropNested {
		return total
	}
	for i := 0; i < len(cs) && total > budget; i++ {
		total -= cs[i].size + cs[i].over
		cs[i].gone = true
	}
	return total
}

func (sh shrinker) shrinkArray(a []any, n, budget, depth int) any {
	cs := make([]child, len(a))
	for i, v := range a {
		cs[i] = child{val: v, size: size(v), over: 1}
	}
	sh.shrinkChildren(cs, n, budget, depth)
	out := make([]any, 0, len(cs))
	for _, c := range cs {
		if !c.gone {
			out = append(out, c.val)
		}
	}
	return out
}

func (sh shrinker) shrinkObject(m map[string]any, n, budget, depth int) any {
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
	sh.shrinkChildren(cs, n, budget, depth)
	out := make(map[string]any, len(cs))
	for _, c := range cs {
		if !c.gone {
			out[c.key] = c.val
		}
	}
	return out
}
