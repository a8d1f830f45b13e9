package openaiexport

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// fuzzKey turns fuzz input into an API key: "sk-" followed by the input's
// letters, digits and -_.<>& (characters a server's JSON encoder may
// escape), at most 128 of them.
func fuzzKey(s string) string {
	var b strings.Builder
	b.WriteString("sk-")
	for _, r := range s {
		if b.Len() >= 131 {
			break
		}
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("-_.<>&", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FuzzSnippet checks the redaction of a server's answer quoted in errors:
// wherever the key sits in the body (whole, JSON-escaped, percent-encoded,
// straddling the cut), the snippet never shows it nor ends on a prefix of
// it after a cut, and stays valid UTF-8 within its bound.
func FuzzSnippet(f *testing.F) {
	for _, s := range [][2]string{
		{strings.Repeat("x", 500) + "sk-abcdefghij0123456789", "abcdefghij0123456789"},
		{`{"error":{"message":"Incorrect API key provided: sk-abc\u003c"}}`, "abc<"},
		{"sk-a%26b and sk-a&b", "a&b"},
		{strings.Repeat("é", 300), "x"},
		{"", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, body, key string) {
		key = fuzzKey(key)
		r := New(WithAPIKey(key), WithEndpoint("https://proxy.example/v1/traces/ingest")).redactorFor(key)
		for _, in := range []string{body, strings.ReplaceAll(body, "sk-", key), body + key} {
			out := r.snippet(strings.NewReader(in))
			for _, v := range safetext.Variants(key) {
				if strings.Contains(out, v) {
					t.Fatalf("snippet shows %q:\n%s", v, out)
				}
			}
			if !utf8.ValidString(out) || len(out) > maxErrorBody+len(redactedMark) {
				t.Fatalf("snippet of %d bytes, valid %v", len(out), utf8.ValidString(out))
			}
			// A cut: the end must not be the start of the key (unless the
			// server's text holds marks or spaces, which the snippet trims).
			if len(in) > maxErrorBody+r.longest() && !strings.Contains(in, redactedMark) && !strings.ContainsAny(in, " \t\r\n\v\f\u0085\u00a0") {
				for n := 1; n < len(key); n++ {
					if strings.HasSuffix(out, key[:n]) {
						t.Fatalf("snippet ends on %q of the key:\n%s", key[:n], out)
					}
				}
			}
		}
	})
}

// FuzzSafeURL checks how the endpoint is printed: never with an "@" (so
// never with user information, wherever the parser put it), with its query
// replaced by the mark, and that the redactor knows the password.
func FuzzSafeURL(f *testing.F) {
	for _, s := range []string{
		"https://api.openai.com/v1/traces/ingest", "http://user:p%40ss@proxy:8080/x?key=sk-1&b=2", "http://u@h/p?",
		"https://h/p?%zz", "//user:pw@h", "http://[::1]:80/?q", "http://h/p#frag?x", "a/b://user:pw@host/p",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		out := safeURL(u)
		if strings.Contains(out, "@") {
			t.Fatalf("safeURL(%q) = %q keeps user information", raw, out)
		}
		if _, q, ok := strings.Cut(out, "?"); u.RawQuery != "" && ok { // the path's own "?" is escaped
			if q, _, _ = strings.Cut(q, "#"); q != redactedMark {
				t.Fatalf("safeURL(%q) = %q keeps its query", raw, out)
			}
		}
		r := redactor(append(userinfoSecrets(u), querySecrets(u)...))
		if pw, ok := u.User.Password(); ok && len(pw) >= minUserinfoSecret && !strings.Contains(r.redact(pw), redactedMark) {
			t.Fatalf("the password of %q is not redacted", raw)
		}
	})
}
