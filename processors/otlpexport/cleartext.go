package otlpexport

import (
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/agenttrace/agenttrace-go/internal/httpguard"
)

// Where the configured headers may travel: the client follows redirects
// with httpguard.RedirectPolicy (never https to http, no configured header
// to another origin).

// warnCleartext logs one warning, at New, when credentials would travel in
// clear: the endpoint is plain http to a host that is not loopback, and the
// requests carry configured headers or the URL a query. It names the
// headers and the host, never a value. Plain http stays allowed: a
// collector in the same cluster is often reached that way.
func warnCleartext(u *url.URL, headers map[string]string) {
	if !httpguard.Cleartext(u) || (len(headers) == 0 && u.RawQuery == "") {
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
