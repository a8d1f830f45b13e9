package clip

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClipText(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{strings.Repeat("a", 30), 20, strings.Repeat("a", 20-len(Marker)) + Marker},
		// "é" is 2 bytes: a cut inside it backs up to the rune start.
		{strings.Repeat("é", 20), 21, strings.Repeat("é", 3) + Marker},
		{"abcdef", 3, "…"},
	}
	for _, tt := range tests {
		got := Text(tt.in, tt.limit)
		if got != tt.want {
			t.Errorf("Text(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
		if len(got) > tt.limit || !utf8.ValidString(got) {
			t.Errorf("Text(%q, %d) = %q: %d bytes, valid %v", tt.in, tt.limit, got, len(got), utf8.ValidString(got))
		}
	}
}

func TestClipJSONStaysValid(t *testing.T) {
	big := strings.Repeat("长", 2000) // 3 bytes a rune
	doc := `{"messages":[{"role":"user","content":"` + big + `"},{"role":"assistant","content":"short <&> reply"}],"n":1.50}`
	for _, limit := range []int{4000, 1000, 300, 120, 40} {
		got := JSON(doc, limit)
		if len(got) > limit {
			t.Errorf("limit %d: %d bytes", limit, len(got))
		}
		if !json.Valid([]byte(got)) || !utf8.ValidString(got) {
			t.Errorf("limit %d: invalid result %q", limit, got)
		}
		if !strings.Contains(got, Marker) {
			t.Errorf("limit %d: no marker in %q", limit, got)
		}
	}
	// With room to spare, the structure and the short values survive and
	// only the long string is cut.
	var v struct {
		Messages []struct{ Role, Content string }
		N        json.Number
	}
	if err := json.Unmarshal([]byte(JSON(doc, 1000)), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Messages) != 2 || v.Messages[1].Content != "short <&> reply" || v.N != "1.50" ||
		!strings.HasSuffix(v.Messages[0].Content, Marker) {
		t.Errorf("clipped = %+v", v)
	}
	if got := JSON(`{"a":1}`, 100); got != `{"a":1}` {
		t.Errorf("a short value changed: %s", got)
	}
}

// TestClipJSONEscapeHeavyKeepsNearLimit checks that the cut is sized by the
// encoded text (escapes counted): a 1.1 MiB tool result of ANSI-coloured
// output (each ESC is 6 bytes encoded) keeps close to the 1 MiB limit.
func TestClipJSONEscapeHeavyKeepsNearLimit(t *testing.T) {
	line := "\x1b[31mERR\x1b[0m\n" // 12 bytes decoded, 24 encoded
	text := strings.Repeat(line, (1100<<10)/len(line))
	s, _ := MarshalNoEscape(map[string]any{"stdout": text})
	out := JSON(string(s), MaxContent)
	var v map[string]string
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not an object: %v (%.80q)", err, out)
	}
	if len(out) > MaxContent || len(out) < MaxContent-64 {
		t.Errorf("output %d bytes, want just under the %d limit", len(out), MaxContent)
	}
	if !strings.HasSuffix(v["stdout"], Marker) || !strings.HasPrefix(text, strings.TrimSuffix(v["stdout"], Marker)) {
		t.Errorf("stdout is not a marked prefix of the text: ends %q", v["stdout"][len(v["stdout"])-20:])
	}
}

// TestClipJSONShortStringsNotLengthened checks that a string no longer than
// the marker is never replaced by a longer clipped form.
func TestClipJSONShortStringsNotLengthened(t *testing.T) {
	doc := `{"a":"` + strings.Repeat("x", 500) + `","b":"ok","c":"",` + `"d":["y","z"]}`
	out := JSON(doc, 200)
	var v struct {
		A, B, C string
		D       []string
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || len(out) > 200 {
		t.Fatalf("%q: %v", out, err)
	}
	if v.B != "ok" || v.C != "" || len(v.D) != 2 || v.D[0] != "y" || !strings.HasSuffix(v.A, Marker) {
		t.Errorf("clipped = %+v", v)
	}
}

// TestJSONCostMatchesEncoders checks the cost models against the encoders
// they predict: encoding/json without HTML escaping for text, and the span
// JSON cost of that text for the double model.
func TestJSONCostMatchesEncoders(t *testing.T) {
	samples := []string{"plain", "quote\" back\\slash", "\n\r\t\b\f\x00\x01\x1f\x7f", "<a href='x'>&amp;</a>",
		"\u2028\u2029", "长文本 é", "\x1b[31mERR\x1b[0m"}
	for _, s := range samples {
		enc, _ := MarshalNoEscape(s)
		if got := textCost.quote + strCost(s, &textCost); got != len(enc) {
			t.Errorf("text cost of %q = %d, encoded %d bytes", s, got, len(enc))
		}
		if got, want := doubleCost.quote+strCost(s, &doubleCost), strCost(string(enc), &spanCost); got != want {
			t.Errorf("double cost of %q = %d, want %d", s, got, want)
		}
	}
	v := map[string]any{"k\"ey": []any{"a\x01", json.Number("1.5"), true, nil, map[string]any{}}, "<": "\u2028"}
	enc, _ := MarshalNoEscape(v)
	if got := encSize(v, &textCost); got != len(enc) {
		t.Errorf("encSize text = %d, encoded %d", got, len(enc))
	}
	if got, want := encSize(v, &doubleCost), strCost(string(enc), &spanCost); got != want {
		t.Errorf("encSize double = %d, want %d", got, want)
	}
}

// TestClipJSONProperties checks random documents (nested objects and
// arrays, escape-heavy and non-ASCII strings) against random limits, under
// both the text and the double cost models: the result is valid JSON, valid
// UTF-8 and within the limit.
func TestClipJSONProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "é", "语", "\x01", "\"", "\\", "\n", "<", "\u2028", "\xff", "ok "}
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := rng.IntN(10); {
		case depth > 3 || k < 4:
			var b strings.Builder
			for range rng.IntN(200) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			return b.String()
		case k < 5:
			return json.Number(fmt.Sprint(rng.IntN(1000)))
		case k < 7:
			a := make([]any, rng.IntN(12))
			for i := range a {
				a[i] = gen(depth + 1)
			}
			return a
		default:
			m := map[string]any{}
			for i := range rng.IntN(12) {
				m[fmt.Sprintf("k%d", i)] = gen(depth + 1)
			}
			return m
		}
	}
	for i := range 200 {
		doc, _ := MarshalNoEscape(gen(0))
		for _, m := range []*costModel{&textCost, &doubleCost} {
			limit := 16 + rng.IntN(max(len(doc), 17))
			out := clipJSONCost(string(doc), limit, m)
			if !json.Valid([]byte(out)) || !utf8.ValidString(out) || textSize(out, m) > limit {
				t.Fatalf("doc %d, limit %d, double %v: %d bytes (size %d), valid %v: %.200q", i, limit, m == &doubleCost,
					len(out), textSize(out, m), json.Valid([]byte(out)), out)
			}
		}
	}
}

// TestClipTextStaysWithinLimitOnceValid checks that Text's result stays
// within the limit once made valid UTF-8 (as arena.str makes every value),
// that Valid and a cut are valid already, and that Key is valid.
func TestClipTextStaysWithinLimitOnceValid(t *testing.T) {
	for _, s := range []string{"查询订单"[:4], "a\xff", strings.Repeat("\xff", 50), strings.Repeat("a\xff", 40), "\xe6\x9f", strings.Repeat("é\xff", 30)} {
		for _, limit := range []int{3, 10, 20, 100} {
			got := Text(s, limit)
			if fixed := ValidUTF8(got); len(fixed) > limit || (got != s && !utf8.ValidString(got)) {
				t.Errorf("Text(%q, %d) = %q (%d bytes once valid)", s, limit, got, len(fixed))
			}
			if got := Valid(s, limit); !utf8.ValidString(got) || len(got) > limit {
				t.Errorf("Valid(%q, %d) = %q (%d bytes)", s, limit, got, len(got))
			}
		}
		if k := Key(s); !utf8.ValidString(k) {
			t.Errorf("Key(%q) = %q", s, k)
		}
	}
}
