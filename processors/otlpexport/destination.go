package otlpexport

import (
	"errors"
	"fmt"
	"github.com/agenttrace/agenttrace-go/internal/httpguard"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
)

// resolveDestination completes cfg, whose options have been applied, with
// the destination the environment names, and reports whether any
// destination is named (NewFromEnv needs one). In order:
//
//   - [WithCozeLoop]: both halves must be non-empty;
//   - [WithEndpointURL];
//   - OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT
//     (read by the OpenTelemetry client): COZELOOP_WORKSPACE_ID and
//     COZELOOP_API_TOKEN are then ignored, with one warning;
//   - COZELOOP_WORKSPACE_ID with COZELOOP_API_TOKEN: one without the other
//     is an error.
//
// Errors and the warning name variables, never their values.
func resolveDestination(cfg *config) (configured bool, err error) {
	if cfg.cozeSet {
		ws, tok := strings.TrimSpace(cfg.cozeWorkspace), strings.TrimSpace(cfg.cozeToken)
		switch {
		case ws == "" && tok == "":
			return false, errors.New("otlpexport: WithCozeLoop: the workspace id and the token are empty")
		case ws == "":
			return false, errors.New("otlpexport: WithCozeLoop: the workspace id is empty")
		case tok == "":
			return false, errors.New("otlpexport: WithCozeLoop: the token is empty")
		}
		if !httpguard.ValidHeaderValue(ws) || !httpguard.ValidHeaderValue(tok) {
			return false, errors.New("otlpexport: WithCozeLoop: the workspace id or the token holds a control character (CR, LF, NUL, ...), which HTTP does not allow")
		}
		cfg.cozeWorkspace, cfg.cozeToken = ws, tok
		return true, nil
	}
	if cfg.endpointURL != "" {
		return true, nil
	}
	ws, tok := envFirst(EnvCozeWorkspaceID), envFirst(EnvCozeAPIToken)
	if name := envFirstName(EnvTracesEndpoint, EnvEndpoint); name != "" {
		if ws != "" || tok != "" {
			slog.Warn("otlpexport: "+name+" is set, so it is used and the Coze Loop credentials of "+
				EnvCozeWorkspaceID+" and "+EnvCozeAPIToken+" are ignored; unset one or the other",
				slog.String("endpoint_variable", name))
		}
		return true, nil
	}
	switch {
	case ws != "" && tok != "" && (!httpguard.ValidHeaderValue(ws) || !httpguard.ValidHeaderValue(tok)):
		return false, errors.New("otlpexport: " + EnvCozeWorkspaceID + " or " + EnvCozeAPIToken + " holds a control character (CR, LF, NUL, ...), which HTTP does not allow")
	case ws != "" && tok != "":
		cfg.cozeSet, cfg.cozeWorkspace, cfg.cozeToken = true, ws, tok
		return true, nil
	case ws != "":
		return false, errors.New("otlpexport: " + EnvCozeWorkspaceID + " is set but " + EnvCozeAPIToken + " is not")
	case tok != "":
		return false, errors.New("otlpexport: " + EnvCozeAPIToken + " is set but " + EnvCozeWorkspaceID + " is not")
	}
	return false, nil
}

// defaultEndpoint is where [New] posts when nothing names a destination, as
// the OpenTelemetry Go exporter does.
const defaultEndpoint = "https://localhost:4318/v1/traces"

// tracesPath is appended to OTEL_EXPORTER_OTLP_ENDPOINT.
const tracesPath = "/v1/traces"

// newPoster makes the poster of the destination that cfg (resolved by
// resolveDestination) names, and reports whether it is Coze Loop. The
// endpoint is [WithEndpointURL]'s, else the Coze Loop preset's, else
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as written (query included), else
// OTEL_EXPORTER_OTLP_ENDPOINT with /v1/traces joined to its path, else
// defaultEndpoint; its scheme alone decides between http and https
// (OTEL_EXPORTER_OTLP_[TRACES_]INSECURE applies, per the specification,
// only to OTLP/gRPC endpoints without a scheme, and is not read). The user
// information of the URL is not sent. The headers are the options' (with
// the preset's), else OTEL_EXPORTER_OTLP_TRACES_HEADERS, else
// OTEL_EXPORTER_OTLP_HEADERS, parsed here (see parseHeaderList) so that a
// malformed value is an error that never quotes it.
func newPoster(cfg *config) (*poster, bool, error) {
	endpoint, source := cfg.endpointURL, "endpoint"
	switch {
	case endpoint != "":
	case cfg.cozeSet:
		endpoint, source = cozeEndpoint(*cfg), "Coze Loop endpoint"
	default:
		source, endpoint = envLookup(EnvTracesEndpoint, EnvEndpoint)
		if source == "" {
			endpoint, source = defaultEndpoint, "default endpoint"
		}
	}
	if err := checkEndpoint(endpoint, source); err != nil {
		return nil, false, err
	}
	u, _ := url.Parse(endpoint) // checked
	if source == EnvEndpoint {
		u.Path, u.RawPath = path.Join(u.Path, tracesPath), ""
	}
	secretURL := u.String() // for the scrubber, before the user information goes
	u.User = nil

	var headers map[string]string
	if cfg.headers != nil {
		if err := checkHeaders("WithHeaders", cfg.headers); err != nil {
			return nil, false, err
		}
		headers = mergeHeaders(cfg.headers, nil)
	}
	if cfg.cozeSet {
		headers = mergeHeaders(headers, map[string]string{
			cozeWorkspaceHeader: cfg.cozeWorkspace,
			"Authorization":     "Bearer " + cfg.cozeToken,
		})
	}
	if headers == nil {
		if name, v := envLookup(EnvTracesHeaders, EnvHeaders); name != "" {
			h, err := parseHeaderList(name, v)
			if err != nil {
				return nil, false, err
			}
			headers = mergeHeaders(h, nil)
		}
	}
	coze := isCozeLoop(u.String(), cfg.cozeSet, headers)

	base, err := baseTransport(cfg.httpClient)
	if err != nil {
		return nil, false, err
	}
	var next func(*http.Request, []*http.Request) error
	if cfg.httpClient != nil {
		next = cfg.httpClient.CheckRedirect
	}
	p := &poster{
		client:   &http.Client{Transport: base, CheckRedirect: httpguard.RedirectPolicy(slices.Collect(maps.Keys(headers)), next)},
		endpoint: u,
		headers:  http.Header{},
		gzip:     cfg.gzip == nil || *cfg.gzip,
		scrub:    newScrubber(secretURL, []map[string]string{headers}, cfg.cozeToken),
		spare:    make(chan *reqBuffers, 1),
	}
	if cfg.httpClient == nil || cfg.httpClient.Transport == nil {
		p.own, _ = base.(*http.Transport)
	}
	for k, v := range headers {
		p.headers.Set(k, v)
	}
	warnCleartext(u, headers)
	return p, coze, nil
}

// checkEndpoint fails unless raw, the endpoint given in code or by the
// variable source, is an http or https URL with a host. The error quotes the
// URL without user information, query or fragment.
func checkEndpoint(raw, source string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("otlpexport: %s is not a URL", source)
	}
	if !strings.Contains(raw, "://") {
		return fmt.Errorf("otlpexport: %s %s is not a URL: want http:// or https://, a host and a path", source, quoteSafe(u, raw))
	}
	switch u.Scheme {
	case "http", "https":
	default:
		return fmt.Errorf("otlpexport: %s %s has the scheme %q: only http and https are supported", source, quoteSafe(u, raw), u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("otlpexport: %s %s has no host", source, quoteSafe(u, raw))
	}
	return nil
}

// quoteSafe quotes an endpoint for errors: without its user information,
// query and fragment, or as "(value hidden)" when it cannot be shown safely
// (an "@" is left, or the URL has no host and holds "@", "?" or "#").
func quoteSafe(u *url.URL, raw string) string {
	if u.Host == "" {
		if strings.ContainsAny(raw, "@?#") {
			return "(value hidden)"
		}
		return fmt.Sprintf("%q", raw)
	}
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	if q := c.String(); !strings.Contains(q, "@") { // an "@" left: user information the parser put in the path
		return fmt.Sprintf("%q", q)
	}
	return "(value hidden)"
}

// cozeEndpoint returns the traces URL of the configured Coze Loop site.
func cozeEndpoint(cfg config) string {
	base := strings.TrimRight(strings.TrimSpace(cfg.cozeBaseURL), "/")
	if base == "" {
		base = CozeLoopCN
	}
	return base + CozeLoopTracesPath
}

// cozeWorkspaceHeader names the workspace in every request to Coze Loop.
const cozeWorkspaceHeader = "Cozeloop-Workspace-Id"

// isCozeLoop reports whether traces go to Coze Loop: the preset is on, the
// endpoint (given, or from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else the base
// URL of OTEL_EXPORTER_OTLP_ENDPOINT) has Coze Loop's path, or the requests
// carry a cozeloop-workspace-id header (a self-hosted server behind a proxy
// with another path).
func isCozeLoop(endpoint string, preset bool, headers map[string]string) bool {
	if preset || strings.Contains(endpoint, "/v1/loop/opentelemetry") {
		return true
	}
	for k := range headers {
		if strings.EqualFold(strings.TrimSpace(k), cozeWorkspaceHeader) {
			return true
		}
	}
	return false
}

// mergeHeaders returns a's headers overridden by b's, keys canonicalised so
// that one value per header is sent. Among spellings of one key in the same
// map, the last in byte order wins, so that the result is deterministic.
func mergeHeaders(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for _, m := range []map[string]string{a, b} {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out[http.CanonicalHeaderKey(strings.TrimSpace(k))] = m[k]
		}
	}
	return out
}

// baseTransport returns the transport that requests go through: the given
// client's, or a clone of the default one with the TLS settings of the
// environment.
func baseTransport(c *http.Client) (http.RoundTripper, error) {
	if c != nil && c.Transport != nil {
		return c.Transport, nil
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	tlsCfg, err := envTLS()
	if err != nil {
		return nil, err
	}
	if tlsCfg != nil {
		t.TLSClientConfig = tlsCfg
	}
	return t, nil
}
