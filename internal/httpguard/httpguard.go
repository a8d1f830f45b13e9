// Package httpguard keeps the credentials of the exporters where they
// belong: a redirect policy that never follows https to plain http and
// drops the configured credential headers once a hop leaves the endpoint's
// origin, and the checks behind the exporters' warnings about credentials
// sent in clear and header values HTTP refuses.
//
// net/http, left to itself, sends the Authorization header on a redirect
// from https to http on the same host (in clear), and every other header
// (an x-api-key, a cozeloop-workspace-id, an uptrace-dsn) to any host a
// redirect names.
package httpguard

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ErrRedirectToHTTP is the redirect policy's refusal of a downgrade. The
// http.Client quotes it after the URL of the refused hop.
var ErrRedirectToHTTP = errors.New("refused to follow a redirect from https to http (the credentials would go in clear)")

// errTooManyRedirects ends a redirect chain, as net/http's default policy
// does.
var errTooManyRedirects = errors.New("stopped after 10 redirects")

// RedirectPolicy returns a CheckRedirect for an exporter's client: next,
// the policy of the caller's client, or net/http's default limit of 10
// redirects; then never from https to anything but https, and once a hop
// leaves the endpoint's origin (scheme, host and port), none of the header
// names goes with it or with any later hop.
func RedirectPolicy(names []string, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		switch {
		case next != nil:
			if err := next(req, via); err != nil {
				return err
			}
		case len(via) >= 10:
			return errTooManyRedirects
		}
		if len(via) == 0 {
			return nil
		}
		if strings.EqualFold(via[len(via)-1].URL.Scheme, "https") && !strings.EqualFold(req.URL.Scheme, "https") {
			return ErrRedirectToHTTP
		}
		if leftOrigin(via[0].URL, append(via[1:len(via):len(via)], req)) {
			for _, k := range names {
				req.Header.Del(k)
			}
		}
		return nil
	}
}

// leftOrigin reports whether any of hops is at another origin than start.
func leftOrigin(start *url.URL, hops []*http.Request) bool {
	for _, h := range hops {
		if !sameOrigin(start, h.URL) {
			return true
		}
	}
	return false
}

// sameOrigin reports whether a and b have the same scheme, host and port
// (the scheme's default port when none is written).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// Cleartext reports whether requests to u travel in clear to another
// machine: u is plain http and its host is not loopback (localhost, a name
// under .localhost, or a loopback address).
func Cleartext(u *url.URL) bool {
	return u != nil && strings.EqualFold(u.Scheme, "http") && !isLoopback(u.Hostname())
}

func isLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ValidHeaderValue reports whether s holds no control character but the
// horizontal tab: what net/http sends in a header.
func ValidHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
