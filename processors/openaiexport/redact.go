package openaiexport

import (
	"cmp"
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// redactedMark replaces a secret in errors and logs.
const redactedMark = "[REDACTED]"

// redactor removes secrets, longest first, from text bound for errors and
// logs: the API keys, the organization and project header values, the
// endpoint's user information and query values; each as written,
// percent-encoded and JSON-escaped, since a server may echo it in any of
// these forms.
type redactor []string

// redactorFor returns the redactor for a POST with key: it knows key, the
// exporter's own key, organization and project, and the endpoint's user
// information and query values.
func (e *Exporter) redactorFor(key string) redactor {
	r := make(redactor, 0, 4+len(e.userinfo))
	add := func(s string, minLen int) {
		for _, v := range safetext.Variants(s) {
			if len(v) >= minLen && !slices.Contains(r, v) {
				r = append(r, v)
			}
		}
	}
	add(key, 1)
	add(e.apiKey, 1)
	for _, s := range append([]string{e.org, e.project}, e.userinfo...) {
		add(s, minUserinfoSecret)
	}
	for _, s := range querySecrets(e.url) {
		add(s, minUserinfoSecret)
	}
	// Longest first, so that a secret holding another is removed whole.
	slices.SortStableFunc(r, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return r
}

// querySecrets returns the secrets of u's query: the raw query and each
// value, as written and decoded.
func querySecrets(u *url.URL) []string {
	if u == nil || u.RawQuery == "" {
		return nil
	}
	out := []string{u.RawQuery}
	for pair := range strings.SplitSeq(u.RawQuery, "&") {
		_, v, _ := strings.Cut(pair, "=")
		out = append(out, v)
		if d, err := url.QueryUnescape(v); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// redact replaces every occurrence of every secret in s.
func (r redactor) redact(s string) string {
	for _, sec := range r {
		s = strings.ReplaceAll(s, sec, redactedMark)
	}
	return s
}

// redactTail replaces the longest end of s that is the start of a secret:
// what is left of a secret that straddled the point where s was cut.
func (r redactor) redactTail(s string) string {
	best := 0
	for _, sec := range r {
		for i := min(len(sec)-1, len(s)); i > best; i-- {
			if strings.HasSuffix(s, sec[:i]) {
				best = i
				break
			}
		}
	}
	if best == 0 {
		return s
	}
	return s[:len(s)-best] + redactedMark
}

// longest returns the length of the longest secret.
func (r redactor) longest() int {
	if len(r) == 0 {
		return 0
	}
	return len(r[0])
}

// snippet reads the start of an error answer's body for an error message:
// valid UTF-8 of at most maxErrorBody bytes (plus one redaction mark), with
// the secrets redacted. It reads a secret's length further than it quotes,
// so that a secret straddling the cut is redacted before the cut, and
// redacts what is left of a secret at the cut.
func (r redactor) snippet(body io.Reader) string {
	limit := maxErrorBody + r.longest()
	raw, _ := io.ReadAll(io.LimitReader(body, int64(limit)+1))
	cut := len(raw) > limit
	if cut {
		raw = raw[:limit]
	}
	s := strings.ToValidUTF8(r.redact(string(raw)), string(utf8.RuneError))
	if len(s) > maxErrorBody {
		s = s[:cutPoint(s, maxErrorBody)]
		cut = true
	}
	if cut {
		s = r.redactTail(s)
	}
	return strings.TrimSpace(s)
}

// cutPoint returns where to cut s near n: at the start of the rune n falls
// in, or after a redaction mark that n falls in, so that it stays whole.
func cutPoint(s string, n int) int {
	window := s[:min(n+len(redactedMark)-1, len(s))]
	if i := strings.LastIndex(window, redactedMark); i >= 0 && i < n && n < i+len(redactedMark) {
		return i + len(redactedMark)
	}
	return runeStart(s, n)
}

// safeURL returns the endpoint u for errors and logs: without its user
// information, user name included, and with its query replaced by a mark,
// since a token is often put in either. A nil u (an endpoint that does not
// parse) gives a placeholder, never the raw URL, and so does one that still
// holds an "@" without them: user information the parser left in the path
// ("a/b://user:pw@host" has no scheme, so it is all path).
func safeURL(u *url.URL) string {
	if u == nil {
		return "(invalid endpoint URL)"
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		c.RawQuery = redactedMark
	}
	if s := c.String(); !strings.Contains(s, "@") {
		return s
	}
	return "(endpoint URL hidden: its path looks like user information)"
}

// minUserinfoSecret is the shortest part of the endpoint's user information
// that is redacted wherever it appears. Errors and logs never quote the user
// information (see safeURL); redacting it too is a second line of defence,
// which for a part of a few letters would mangle every message ("p" in
// "http") and protect nothing.
const minUserinfoSecret = 4

// userinfoSecrets returns the parts of u's user information, as given and as
// escaped in a URL, to be redacted from errors and logs.
func userinfoSecrets(u *url.URL) []string {
	if u == nil || u.User == nil {
		return nil
	}
	var out []string
	add := func(s string) {
		if len(s) >= minUserinfoSecret && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(u.User.String())
	add(u.User.Username())
	add(url.User(u.User.Username()).String())
	if pw, ok := u.User.Password(); ok {
		add(pw)
		add(url.UserPassword("", pw).String()[1:]) // the password as escaped, without the ":"
	}
	return out
}
