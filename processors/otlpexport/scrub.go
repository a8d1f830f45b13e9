package otlpexport

import (
	"cmp"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// redacted stands for a credential in errors.
const redacted = "[REDACTED]"

// cutMark ends server text that was cut to fit an error message.
const cutMark = "…[truncated]"

// minSecretLen is the shortest credential part that is redacted: shorter
// ones ("Bearer" alone leaves none) would blank out ordinary words.
const minSecretLen = 4

// scrubbed is an error whose message has been scrubbed of credentials while
// errors.Is and errors.As still see the cause (context.DeadlineExceeded, say).
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// scrubber removes the exporter's secrets from text bound for errors and
// logs: every configured header value (whatever the header's name: an
// x-honeycomb-team or uptrace-dsn value is as secret as an Authorization),
// the credential after a scheme (Bearer, Token, ...), a Basic credential
// decoded, every query value of the endpoint and its user information; each
// as written, percent-encoded and JSON-escaped, since a server may echo it in
// any of these forms. ASCII letters match in any case. It is shared by
// concurrent exports and never modified after [newScrubber].
type scrubber struct {
	secrets []string // longest first, each at least minSecretLen bytes
	longest int
}

// newScrubber returns the scrubber of the header values of the given sets,
// the secrets of endpoint (a URL, or "") and the extra values.
func newScrubber(endpoint string, headers []map[string]string, extra ...string) scrubber {
	var out []string
	add := func(s string) {
		for _, v := range safetext.Variants(s) {
			if len(v) >= minSecretLen && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	for _, h := range headers {
		for _, v := range h {
			for _, p := range credentialParts(v) {
				add(p)
			}
		}
	}
	for _, s := range urlSecrets(endpoint) {
		add(s)
	}
	for _, s := range extra {
		add(strings.TrimSpace(s))
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	sc := scrubber{secrets: out}
	if len(out) > 0 {
		sc.longest = len(out[0])
	}
	return sc
}

// credentialParts returns what of a header value must never appear in
// errors: the whole value; the credential after the scheme, whatever the
// scheme ("Bearer", "bearer", "Token", ...); for Basic, the decoded
// user:password and the password.
func credentialParts(v string) []string {
	v = strings.TrimSpace(v)
	parts := []string{v}
	scheme, cred, ok := strings.Cut(v, " ")
	if !ok {
		return parts
	}
	cred = strings.TrimSpace(cred)
	parts = append(parts, cred)
	if strings.EqualFold(scheme, "basic") {
		if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
			parts = append(parts, string(dec))
			if _, pw, ok := strings.Cut(string(dec), ":"); ok {
				parts = append(parts, pw)
			}
		}
	}
	return parts
}

// urlSecrets returns the secrets of an endpoint URL: each query value, as
// decoded and as written, the raw query, and the user information.
func urlSecrets(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	var out []string
	if u.RawQuery != "" {
		out = append(out, u.RawQuery)
		for pair := range strings.SplitSeq(u.RawQuery, "&") {
			_, v, _ := strings.Cut(pair, "=")
			out = append(out, v)
			if d, err := url.QueryUnescape(v); err == nil {
				out = append(out, d)
			}
		}
	}
	if u.User != nil {
		out = append(out, u.User.String(), u.User.Username())
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
	}
	return out
}

// clean removes every secret from s.
func (sc scrubber) clean(s string) string {
	for _, sec := range sc.secrets {
		s = replaceFold(s, sec, redacted)
	}
	return s
}

// quote returns server text s for an error message, valid UTF-8 of at most
// limit bytes (or of the cut mark's length, if larger) plus one redaction
// mark: scrubbed first, then cut, and what is left at the cut of a secret
// that straddled it redacted too. Only the first limit plus
// the longest secret's length bytes of s are read, enough to find every
// secret that starts before the cut.
func (sc scrubber) quote(s string, limit int) string {
	window := s
	cut := false
	if n := limit + sc.longest; len(window) > n {
		window, cut = window[:n], true
	}
	t := strings.ToValidUTF8(sc.clean(window), "\uFFFD")
	if !cut && len(t) <= limit {
		return t
	}
	if keep := max(limit-len(cutMark), 0); len(t) > keep {
		t = t[:cutPoint(t, keep)]
	}
	return sc.redactTail(t) + cutMark
}

// redactTail replaces the longest end of s that is the start of a secret
// (ASCII letters in any case): what is left of a secret that straddled the
// point where s was cut.
func (sc scrubber) redactTail(s string) string {
	best := 0
	for _, sec := range sc.secrets {
		for i := min(len(sec)-1, len(s)); i > best; i-- {
			if asciiEqualFold(s[len(s)-i:], sec[:i]) {
				best = i
				break
			}
		}
	}
	if best == 0 {
		return s
	}
	return s[:len(s)-best] + redacted
}

// cutPoint returns where to cut s near n (n <= len(s)): at the start of the
// rune n falls in, or before a redaction mark that n falls in, so that both
// stay whole.
func cutPoint(s string, n int) int {
	lo := max(n-len(redacted)+1, 0)
	if i := strings.Index(s[lo:min(n+len(redacted)-1, len(s))], redacted); i >= 0 && lo+i < n {
		return lo + i
	}
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// replaceFold replaces every occurrence of old in s, ASCII letters matched
// in any case, by repl.
func replaceFold(s, old, repl string) string {
	var b strings.Builder
	for {
		i := indexFold(s, old)
		if i < 0 {
			if b.Len() == 0 {
				return s
			}
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s = s[i+len(old):]
	}
}

// indexFold returns the index of the first occurrence of sub in s, ASCII
// letters matched in any case, or -1.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if asciiEqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
