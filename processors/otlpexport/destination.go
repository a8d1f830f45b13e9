package otlpexport

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
)

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
// with another path). The headers are the options' when given (they replace
// the environment's), else the environment's.
func isCozeLoop(endpoint string, preset bool, headers map[string]string) bool {
	if preset {
		return true
	}
	if endpoint == "" {
		endpoint = envFirst(EnvTracesEndpoint, EnvEndpoint)
	}
	if strings.Contains(endpoint, "/v1/loop/opentelemetry") {
		return true
	}
	if headers == nil {
		headers = envHeaders()
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
		for _, k := range sortedKeys(m) {
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
		return nil, fmt.Errorf("otlpexport: TLS settings: %w", err)
	}
	if tlsCfg != nil {
		t.TLSClientConfig = tlsCfg
	}
	return t, nil
}

// buildResource returns the resource sent with every request: service.name
// and telemetry.sdk.*, plus extra attributes, sorted by key.
func buildResource(service string, extra map[string]string) *resourcepb.Resource {
	m := map[string]string{}
	for k, v := range extra {
		m[k] = v
	}
	if service != "" {
		m["service.name"] = service
	}
	if m["service.name"] == "" {
		m["service.name"] = "unknown_service:" + filepath.Base(os.Args[0])
	}
	m["telemetry.sdk.name"] = "agenttrace-go"
	m["telemetry.sdk.language"] = "go"
	m["telemetry.sdk.version"] = Version
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	a := attrs{}
	for _, k := range keys {
		a.raw(clipKey(k), clipText(m[k], maxValueBytes))
	}
	return &resourcepb.Resource{Attributes: a.list}
}
