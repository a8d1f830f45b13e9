package clip

import (
	"encoding/json"
	"math"
	"unicode/utf8"
)

// A costModel says how many bytes a string's characters take once encoded,
// so that clipping can size its cuts by the encoded text (escapes counted)
// instead of the decoded one. Three models are used:
//
//   - textCost: the JSON text of a value, as MarshalNoEscape writes it
//     (the limit of an attribute value applies to that text);
//   - spanCost: a string inside the JSON form of a whole span, counted
//     conservatively (as encoding/json with HTML escaping would write it),
//     for Coze Loop's per-span JSON limit;
//   - doubleCost: a string inside JSON text that is itself a string of the
//     span's JSON (an attribute holding JSON text): the spanCost of its
//     textCost encoding.
type costModel struct {
	// ascii is the cost of each ASCII byte.
	ascii [utf8.RuneSelf]uint8
	// quote is the cost of the two quotes around a string.
	quote int
	// sep is the cost of U+2028 and U+2029, which encoding/json escapes.
	sep int
	// invalid is the cost of a byte that is not UTF-8 (written as \ufffd).
	invalid int
}

var textCost, spanCost, doubleCost = newCostModels()

func newCostModels() (text, span, double costModel) {
	for c := range utf8.RuneSelf {
		var t int
		switch c {
		case '"', '\\', '\b', '\f', '\n', '\r', '\t':
			t = 2
		default:
			t = 1
			if c < 0x20 {
				t = 6 // \u00XX
			}
		}
		s := t
		if c == '<' || c == '>' || c == '&' {
			s = 6 // \u003c and so on
		}
		// The double cost is the span cost of the text encoding: every
		// backslash of an escape costs 2, the rest 1.
		d := s
		switch t {
		case 2:
			d = 2 + spanByte(byte(c))
		case 6:
			d = 2 + 5
		}
		text.ascii[c], span.ascii[c], double.ascii[c] = uint8(t), uint8(s), uint8(d)
	}
	text.quote, span.quote, double.quote = 2, 2, 4
	text.sep, span.sep, double.sep = 6, 6, 7
	text.invalid, span.invalid, double.invalid = 6, 6, 7
	return text, span, double
}

// spanByte is the span cost of the character after the backslash of a
// two-byte escape: itself, or 2 for a quote or a backslash.
func spanByte(c byte) int {
	switch c {
	case '"', '\\':
		return 2
	}
	return 1
}

// strCost returns the encoded size of s under m, quotes excluded.
func strCost(s string, m *costModel) int { return strCostMax(s, math.MaxInt, m) }

// strCostMax returns min(strCost(s, m), c), scanning s only as far as needed.
func strCostMax(s string, c int, m *costModel) int {
	n := 0
	for i := 0; i < len(s) && n < c; {
		if b := s[i]; b < utf8.RuneSelf {
			n += int(m.ascii[b])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeCost(r, size, m)
		i += size
	}
	return min(n, c)
}

func runeCost(r rune, size int, m *costModel) int {
	switch {
	case r == utf8.RuneError && size == 1:
		return m.invalid
	case r == '\u2028' || r == '\u2029':
		return m.sep
	}
	return size
}

// cutCost returns s when its cost under m is at most c, otherwise its
// longest prefix that leaves room for Marker within c, on a rune
// boundary, followed by the marker (or as much of the marker as fits). A cut
// string always costs less than s did: a string is never "clipped" into
// something costlier.
func cutCost(s string, c int, m *costModel) string {
	keep := c - len(Marker) // the marker has no characters to escape
	n := 0
	for i := 0; i < len(s); {
		var k, size int
		if b := s[i]; b < utf8.RuneSelf {
			k, size = int(m.ascii[b]), 1
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			k = runeCost(r, size, m)
		}
		if n+k > keep {
			// s may still fit whole: measure the rest.
			if n+strCost(s[i:], m) <= c {
				return s
			}
			if keep < 0 {
				return cutRunes(Marker, max(c, 0))
			}
			return s[:i] + Marker
		}
		n += k
		i += size
	}
	return s
}

// textSize returns the size under m of JSON text s: its length for
// textCost, the span cost of the text for doubleCost.
func textSize(s string, m *costModel) int {
	if m == &doubleCost {
		return strCost(s, &spanCost)
	}
	return len(s)
}

// encSize returns the size under m of the JSON encoding of v, a value
// decoded by encoding/json with UseNumber (strings, json.Numbers, booleans,
// nil, []any, map[string]any).
func encSize(v any, m *costModel) int {
	switch x := v.(type) {
	case string:
		return m.quote + strCost(x, m)
	case json.Number:
		return len(x)
	case bool:
		if x {
			return 4
		}
		return 5
	case nil:
		return 4
	case []any:
		n := 2 + max(len(x)-1, 0)
		for _, e := range x {
			n += encSize(e, m)
		}
		return n
	case map[string]any:
		n := 2 + max(len(x)-1, 0)
		for k, e := range x {
			n += m.quote + strCost(k, m) + 1 + encSize(e, m)
		}
		return n
	}
	return 0
}
