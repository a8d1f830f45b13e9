package openaiexport

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Where the exporter's credentials may travel. The default client follows
// no redirect; a client given with [WithHTTPClient] follows its own policy,
// after this one.

// credentialHeaders are the headers that carry the exporter's configured
// values: the key, the organization and the project.
var credentialHeaders = []string{"Authorization", "OpenAI-Organization", "OpenAI-Project"}

// errRedirectToHTTP is the redirect policy's refusal of a downgrade. The
// http.Client quotes it after the URL of the refused hop.
var errRedirectToHTTP = errors.New("refused to follow a redirect from https to http (the API key would go in clear)")

// errTooManyRedirects ends a redirect chain, as net/http's default policy
// does.
var errTooManyRedirects = errors.New("stopped after 10 redirects")

// guardClient returns a copy of c (its transport, jar and timeout) whose
// redirect policy is c's own CheckRedirect (or net/http's default limit of
// 10 redirects) and then this one: never from https to anything but https,
// and once a hop leaves the endpoint's origin (scheme, host and port), none
// of the credential headers goes with it or with any later hop.
func guardClient(c *http.Client) *http.Client {
	g := *c
	next := c.CheckRedirect
	g.CheckRedirect = func(req *http.Request, via []*http.Request) error {
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
		left := !sameOrigin(via[0].URL, req.URL)
		for _, h := range via[1:] {
			left = left || !sameOrigin(via[0].URL, h.URL)
		}
		if left {
			for _, k := range credentialHeaders {
				req.Header.Del(k)
			}
		}
		return nil
	}
	return &g
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

// warnAtNew logs, once, at New, what would make credentials travel in clear
// or every POST fail: an endpoint that is plain http to a host other than
// this machine (every POST carries an API key; plain http stays allowed,
// for a proxy on a private network), and an API key, organization or
// project holding a control character, which net/http refuses in a header
// (each POST then fails at once, without retries). It names the setting,
// never its value.
func (e *Exporter) warnAtNew() {
	if u := e.url; u != nil && strings.EqualFold(u.Scheme, "http") && !isLoopback(u.Hostname()) {
		e.log().Warn("agenttrace: credentials travel in clear: the OpenAI traces endpoint is plain http to "+u.Host+
			", which is not this machine, and every request carries the API key; use an https:// endpoint",
			slog.String("endpoint", "http://"+u.Host))
	}
	for _, s := range []struct{ name, value string }{
		{"API key (OPENAI_API_KEY or WithAPIKey)", e.apiKey},
		{"organization (OPENAI_ORG_ID or WithOrganization)", e.org},
		{"project (OPENAI_PROJECT_ID or WithProject)", e.project},
	} {
		if !validHeaderValue(s.value) {
			e.log().Warn("agenttrace: the OpenAI " + s.name + " holds a control character (CR, LF, NUL, ...), which HTTP does not allow; every export will fail")
		}
	}
}

// checkHeaderValues fails when a credential header value of one POST holds
// a control character: net/http would refuse the request, and a retry would
// too. The error names the header, never the value.
func checkHeaderValues(key, org, project string) error {
	for _, h := range []struct{ name, value string }{
		{"the API key", key}, {"the organization", org}, {"the project", project},
	} {
		if !validHeaderValue(h.value) {
			return errors.New("openaiexport: " + h.name + " holds a control character (CR, LF, NUL, ...), which HTTP does not allow")
		}
	}
	return nil
}

// validHeaderValue reports whether s holds no control character but the
// horizontal tab: what net/http sends.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
