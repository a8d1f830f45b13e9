package openaiexport

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/agenttrace/agenttrace-go/internal/httpguard"
)

// Where the exporter's credentials may travel. The default client follows
// no redirect; a client given with [WithHTTPClient] follows its own policy,
// after this one.

// credentialHeaders are the headers that carry the exporter's configured
// values: the key, the organization and the project.
var credentialHeaders = []string{"Authorization", "OpenAI-Organization", "OpenAI-Project"}

// guardClient returns a copy of c (its transport, jar and timeout) whose
// redirect policy is c's own CheckRedirect (or net/http's default limit of
// 10 redirects) and then httpguard's: never from https to anything but
// https, and once a hop leaves the endpoint's origin, none of the
// credential headers goes with it or with any later hop.
func guardClient(c *http.Client) *http.Client {
	g := *c
	g.CheckRedirect = httpguard.RedirectPolicy(credentialHeaders, c.CheckRedirect)
	return &g
}

// warnAtNew logs, once, at New, what would make credentials travel in clear
// or every POST fail: an endpoint that is plain http to a host other than
// this machine (every POST carries an API key; plain http stays allowed,
// for a proxy on a private network), and an API key, organization or
// project holding a control character, which net/http refuses in a header
// (each POST then fails at once, without retries). It names the setting,
// never its value.
func (e *Exporter) warnAtNew() {
	if u := e.url; httpguard.Cleartext(u) {
		e.log().Warn("agenttrace: credentials travel in clear: the OpenAI traces endpoint is plain http to "+u.Host+
			", which is not this machine, and every request carries the API key; use an https:// endpoint",
			slog.String("endpoint", "http://"+u.Host))
	}
	for _, s := range []struct{ name, value string }{
		{"API key (OPENAI_API_KEY or WithAPIKey)", e.apiKey},
		{"organization (OPENAI_ORG_ID or WithOrganization)", e.org},
		{"project (OPENAI_PROJECT_ID or WithProject)", e.project},
	} {
		if !httpguard.ValidHeaderValue(s.value) {
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
		if !httpguard.ValidHeaderValue(h.value) {
			return errors.New("openaiexport: " + h.name + " holds a control character (CR, LF, NUL, ...), which HTTP does not allow")
		}
	}
	return nil
}
