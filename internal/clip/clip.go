package clip

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Coze Loop's limits, applied before sending so that values are cut where
// we choose, on rune boundaries, with JSON kept valid and a visible marker,
// instead of at an arbitrary byte by the server.
const (
	// MaxContent bounds an input or output value (and the other content
	// attributes that repeat it).
	MaxContent = 1 << 20
	// MaxValue bounds the span name and every other string value.
	MaxValue = 1024
	// MaxKey bounds an attribute key.
	MaxKey = 100
)

// Marker ends every clipped value.
const Marker = "…[truncated]"

// ValidUTF8 returns s with every run of bytes that are not UTF-8 replaced by
// U+FFFD. OTLP's strings are proto3 strings, which proto.Marshal refuses
// when they are not UTF-8 (failing the whole request), so every string sent
// passes through here: every attribute value the mapping makes (the
// resource's and events' included), user keys in [Key], span names and status
// messages in Text. The check costs one scan and no allocation when s is
// valid.
func ValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// maxFixGrowth bounds how much ValidUTF8 can grow a string: a run of
// invalid bytes, one byte at least, becomes the 3 bytes of U+FFFD.
const maxFixGrowth = 3

// fitsFixed reports whether s stays within limit bytes whatever ValidUTF8
// makes of it, so that clipping need not fix it first (the mapping's
// attribute values are fixed as they are made).
func fitsFixed(s string, limit int) bool { return len(s) <= limit/maxFixGrowth }

// Valid is Text for strings that do not become attribute values
// (span names, status messages): its result is always valid UTF-8.
func Valid(s string, limit int) string { return ValidUTF8(Text(s, limit)) }

// Text returns s cut to at most limit bytes on a rune boundary, ending
// in Marker when it was cut, such that it stays within limit once made
// valid UTF-8: a string that could grow past limit is fixed (see ValidUTF8)
// before it is measured, and a cut string is always valid; a shorter one is
// returned as is, for the mapping, which fixes every attribute value, to
// fix it with a single scan. Use Valid for strings that are not attribute
// values.
func Text(s string, limit int) string {
	if fitsFixed(s, limit) {
		return s
	}
	s = ValidUTF8(s)
	if len(s) <= limit {
		return s
	}
	keep := limit - len(Marker)
	if keep < 0 {
		return cutRunes(Marker, limit)
	}
	return cutRunes(s, keep) + Marker
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

// keyHashPrefix is how much of a key longer than MaxKey Key keeps
// before its hash suffix ("~" and 8 hex digits).
const keyHashPrefix = MaxKey - 10

// Key returns an attribute key of at most MaxKey, valid UTF-8. A
// longer key keeps its first bytes (on a rune boundary) followed by "~" and
// 8 hex digits of its SHA-256, so that long keys sharing a prefix stay
// distinct, and a key always maps to the same attribute name.
func Key(k string) string {
	k = ValidUTF8(k)
	if len(k) <= MaxKey {
		return k
	}
	h := sha256.Sum256([]byte(k))
	return cutRunes(k, keyHashPrefix) + "~" + hex.EncodeToString(h[:4])
}

// JSON returns the JSON text s, made valid UTF-8, within limit bytes
// while staying valid JSON (see clipJSONCost). s must be valid JSON.
func JSON(s string, limit int) string { return clipJSONCost(s, limit, &textCost) }

// clipJSONCost returns the JSON text s cut so that its size under m (its
// length for textCost) is at most limit, staying valid JSON of the same
// shape: the longest strings are shortened first, each ending in
// Marker, with the cut sized by their encoded length. When that would
// leave strings shorter than a useful minimum (or cannot fit at all: a
// conversation of very many messages, a map of very many keys), the
// container with the most children is shrunk first: an array keeps its
// first element and its newest ones, with a marker element in place of the
// dropped ones; a map drops its largest keys and counts them in
// "_truncated". Only when nothing can be dropped and it still does not fit
// is the result a JSON string holding the clipped text. s must be valid
// JSON.
func clipJSONCost(s string, limit int, m *costModel) string {
	if m == &textCost && fitsFixed(s, limit) {
		return s // see Text
	}
	s = ValidUTF8(s)
	if textSize(s, m) <= limit {
		return s
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err == nil {
		if out, ok := shrinkJSON(v, limit, m); ok {
			return out
		}
	}
	// A JSON string of the clipped text costs its quotes plus its
	// characters under m.
	out, _ := MarshalNoEscape(cutCost(s, limit-m.quote, m))
	return string(out)
}

// MarshalNoEscape encodes v as JSON without HTML escaping (which would grow
// "<", ">" and "&" sixfold) and without a trailing newline.
func MarshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
