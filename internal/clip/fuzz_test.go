package clip

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzLimit maps a fuzzed number to a limit between 16 and a little more
// than n.
func fuzzLimit(l uint16, n int) int { return 16 + int(l)%(n+64) }

// FuzzClipJSON checks the JSON clipping on any document and limit: the
// result, once made valid UTF-8 as every attribute value is, is valid JSON
// within the limit, under the text and the escaped cost alike, and a
// document that fits is left as it is.
func FuzzClipJSON(f *testing.F) {
	f.Add(`{"messages":[{"role":"user","content":"hi"}]}`, uint16(20))
	f.Add(`{"a":"`+strings.Repeat("长\"\\\x01<", 300)+`","b":[1,2,{"c":"\u2028"}],"n":1.5e300}`, uint16(500))
	f.Add(`["`+strings.Repeat("x", 100)+`","\xff\xfe",null,true,false,-0,{}]`, uint16(3))
	f.Add(`{"_truncated":3,"k":{"k":{"k":[[[["deep"]]]]}}}`, uint16(40))
	f.Add(`"just a string"`, uint16(0))
	f.Fuzz(func(t *testing.T, doc string, l uint16) {
		if !json.Valid([]byte(doc)) {
			return
		}
		limit := fuzzLimit(l, len(doc))
		out := ValidUTF8(JSON(doc, limit))
		if !json.Valid([]byte(out)) || len(out) > limit {
			t.Fatalf("JSON(%.100q, %d) = %.200q: %d bytes, valid %v", doc, limit, out, len(out), json.Valid([]byte(out)))
		}
		if fixed := ValidUTF8(doc); len(fixed) <= limit && out != fixed {
			t.Fatalf("a fitting document changed: %.100q -> %.100q", doc, out)
		}
		esc := JSONEscaped(doc, limit)
		if !json.Valid([]byte(esc)) || !utf8.ValidString(esc) || EscapedSize(esc) > limit {
			t.Fatalf("JSONEscaped(%.100q, %d) = %.200q: escaped %d bytes", doc, limit, esc, EscapedSize(esc))
		}
	})
}

// FuzzClipText checks the text clipping on any string and limit: within
// the limit once valid UTF-8, cut on a rune boundary with the marker, keys
// within 100 bytes and stable, escaped cuts within their escaped limit.
func FuzzClipText(f *testing.F) {
	f.Add("short", uint16(10))
	f.Add(strings.Repeat("é", 20), uint16(21))
	f.Add("查询订单"[:4]+"\xff\xff\x00\"\\<>&\u2028", uint16(1))
	f.Add(strings.Repeat("k", 300), uint16(200))
	f.Fuzz(func(t *testing.T, s string, l uint16) {
		limit := int(l) % (len(s) + 32)
		if got := Text(s, limit); len(ValidUTF8(got)) > limit {
			t.Fatalf("Text(%q, %d) = %q: %d bytes once valid", s, limit, got, len(ValidUTF8(got)))
		} else if got != s && got != ValidUTF8(s) && !strings.HasSuffix(got, Marker) && !strings.HasPrefix(Marker, got) {
			t.Fatalf("Text(%q, %d) = %q: cut without the marker", s, limit, got)
		}
		if got := Valid(s, limit); !utf8.ValidString(got) || len(got) > limit {
			t.Fatalf("Valid(%q, %d) = %q", s, limit, got)
		}
		k := Key(s)
		if len(k) > MaxKey || !utf8.ValidString(k) || k != Key(s) || (len(ValidUTF8(s)) <= MaxKey && k != ValidUTF8(s)) {
			t.Fatalf("Key(%q) = %q", s, k)
		}
		if got := CutEscaped(s, limit); EscapedSize(got) > limit && got != s {
			t.Fatalf("CutEscaped(%q, %d) = %q: %d escaped bytes", s, limit, got, EscapedSize(got))
		}
	})
}
