package otlpexport

import (
	"errors"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Where the configured headers may travel. net/http, left to itself, sends
// the Authorization header on a redirect from https to http on the same
// host (in clear), and every other header (an x-api-key, a
// cozeloop-workspace-id, an uptrace-dsn) to any host a redirect names.

// errRedirectToHTTP is the redirect policy's refusal of a downgrade. The
// http.Client quotes it after the URL of the refused hop.
var errRedirectToHTTP = errors.New("refused to follow a redirect from https to http (the request would go in clear)")

// errTooManyRedirects ends a redirect chain, as net/http's default policy
// does.
var errTooManyRedirects = errors.New("stopped after 10 redirects")

// redirectPolicy returns the CheckRedirect of the exporter's client: next,
// the policy of the caller's client, or net/http's default limit of 10
// redirects; then never from https to anything but https, and once a hop
// leaves the endpoint's origin (scheme, host and port), none of the
// configured header names goes with it or with any later hop.
func redirectPolicy(names []string, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
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
			return errRedirectToHTTP
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

// isLoopback reports whether host names this machine: localhost (or a name
// under .localhost) or a loopback address.
func isLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// warnCleartext logs one warning, at New, when credentials would travel in
// clear: the endpoint is plain http to a host that is not loopback, and the
// requests carry configured headers or the URL a query. It names the
// headers and the host, never a value. Plain http stays allowed: a
// collector in the same cluster is often reached that way.
func warnCleartext(u *url.URL, headers map[string]string) {
	if !strings.EqualFold(u.Scheme, "http") || isLoopback(u.Hostname()) || (len(headers) == 0 && u.RawQuery == "") {
		return
	}
	what := "its query"
	if len(headers) > 0 {
		what = "the headers " + strings.Join(slices.Sorted(maps.Keys(headers)), ", ")
		if u.RawQuery != "" {
			what += " and its query"
		}
	}
	slog.Warn("otlpexport: credentials travel in clear: the endpoint is plain http to "+u.Host+
		", which is not this machine, and every request carries "+what+"; use an https:// endpoint",
		slog.String("endpoint", "http://"+u.Host))
}
