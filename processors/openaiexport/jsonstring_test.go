package openaiexport

import (
	"strings"
	"testing"
)

// stringCases are strings with every kind of escape encoding/json writes.
var stringCases = []string{
	"", "plain", `quote " and backslash \`, "\b\f\n\r\t", "\x00\x01\x1f\x7f", "<html> & co",
	"é日本語🙂", "\u2028\u2029", "bad \xff\xfe utf-8 \xe6\x97", strings.Repeat("é\"\\<", 100),
}

// TestStringSize checks stringSize against encoding/json.
func TestStringSize(t *testing.T) {
	for _, s := range stringCases {
		b, err := compact(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := stringSize(s); got != len(b) {
			t.Errorf("stringSize(%q) = %d, encoding/json writes %d bytes", s, got, len(b))
		}
	}
}

// TestCutStringFits checks that every cut fits its budget and is the
// longest that does.
func TestCutStringFits(t *testing.T) {
	for _, s := range stringCases {
		for budget := 0; budget <= stringSize(s)+1; budget++ {
			got := cutString(s, budget)
			n := size(got)
			if got != s && got != truncSuffix && n > budget {
				t.Fatalf("cutString(%q, %d) = %q, %d bytes", s, budget, got, n)
			}
			if got != s && budget >= markerSize {
				k := len(strings.TrimSuffix(got, truncSuffix))
				if k < len(s) {
					_, w := escapedSize(s, k)
					if longer := s[:k+w] + truncSuffix; size(longer) <= budget {
						t.Fatalf("cutString(%q, %d) = %q, but %q fits", s, budget, got, longer)
					}
				}
			}
		}
	}
}
