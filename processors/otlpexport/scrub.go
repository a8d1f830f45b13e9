package otlpexport

import (
	"cmp"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// redacted stands for a credential in errors.
const redacted = "[REDACTED]"

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

// isCredentialHeader reports whether a header carries a credential:
// Authorization, and any header naming a token, key, secret, password,
// cookie or auth.
func isCredentialHeader(k string) bool {
	lk := strings.ToLower(k)
	for _, w := range []string{"auth", "token", "key", "secret", "password", "cookie"} {
		if strings.Contains(lk, w) {
			return true
		}
	}
	return false
}

// credentialParts returns what of a credential header's value must never
// appear in errors: the whole value; the credential after the scheme,
// whatever the scheme ("Bearer", "bearer", "Token", ...); for Basic, the
// decoded user:password and the password.
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

// credentials returns the secrets of the credential headers among the
// given header sets plus the extra tokens, longest first, so that a whole
// value is redacted before its parts.
func credentials(headers, env map[string]string, extra ...string) []string {
	var out []string
	add := func(s string) {
		if len(s) >= minSecretLen && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, h := range []map[string]string{headers, env} {
		for k, v := range h {
			if isCredentialHeader(k) {
				for _, p := range credentialParts(v) {
					add(p)
				}
			}
		}
	}
	for _, s := range extra {
		add(strings.TrimSpace(s))
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	return out
}

// scrub removes from msg the secrets and the credentials of the request
// headers h (see credentialParts), matching ASCII letters in any case.
func scrub(msg string, h http.Header, secrets []string) string {
	all := slices.Clone(secrets) // secrets is shared by concurrent exports
	for k, vs := range h {
		if !isCredentialHeader(k) {
			continue
		}
		for _, v := range vs {
			all = append(all, credentialParts(v)...)
		}
	}
	slices.SortFunc(all, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, s := range all {
		if len(s) >= minSecretLen {
			msg = replaceFold(msg, s, redacted)
		}
	}
	return msg
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

// envHeaders returns the headers the OpenTelemetry client reads from the
// environment: OTEL_EXPORTER_OTLP_TRACES_HEADERS, else
// OTEL_EXPORTER_OTLP_HEADERS, parsed as it parses them (key=value pairs
// separated by commas, values percent-decoded).
func envHeaders() map[string]string {
	v := envFirst(EnvTracesHeaders, EnvHeaders)
	if v == "" {
		return nil
	}
	out := map[string]string{}
	for k, val := range pairs(v) {
		if u, err := url.PathUnescape(val); err == nil {
			val = u
		}
		out[k] = strings.TrimSpace(val)
	}
	return out
}
