package otlpexport

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"iter"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by [New], [NewFromEnv] and [InstallFromEnv]
// alike, besides the certificate variables (see [New]). The OTLP ones are
// read as the OpenTelemetry specification writes them, except
// OTEL_EXPORTER_OTLP_[TRACES_]INSECURE, which applies only to OTLP/gRPC and
// is not read (the endpoint's scheme decides), and
// OTEL_EXPORTER_OTLP_PROTOCOL (always protobuf). The COZELOOP_* credentials
// name the destination only when no option does and neither OTLP endpoint
// variable is set: an OTLP endpoint variable wins, and a warning says the
// COZELOOP_* credentials are ignored.
const (
	// EnvTracesEndpoint is the full traces URL, used verbatim.
	EnvTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	// EnvEndpoint is a base URL to which /v1/traces is appended.
	EnvEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT"
	// EnvTracesHeaders holds key=value,... headers; it replaces EnvHeaders.
	EnvTracesHeaders = "OTEL_EXPORTER_OTLP_TRACES_HEADERS"
	// EnvHeaders holds key=value,... headers (values percent-decoded, a
	// comma in a value written %2C). A malformed value is an error from
	// [New] naming the variable and the pair's position, never its text.
	EnvHeaders = "OTEL_EXPORTER_OTLP_HEADERS"
	// EnvTracesTimeout is the export timeout in milliseconds; it wins over EnvTimeout.
	EnvTracesTimeout = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"
	// EnvTimeout is the export timeout in milliseconds.
	EnvTimeout = "OTEL_EXPORTER_OTLP_TIMEOUT"
	// EnvTracesCompression is "gzip" or "none"; it wins over EnvCompression.
	EnvTracesCompression = "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"
	// EnvCompression is "gzip" or "none" (gzip is the default here).
	EnvCompression = "OTEL_EXPORTER_OTLP_COMPRESSION"
	// EnvServiceName sets the resource's service.name.
	EnvServiceName = "OTEL_SERVICE_NAME"
	// EnvResourceAttrs holds key=value,... resource attributes.
	EnvResourceAttrs = "OTEL_RESOURCE_ATTRIBUTES"
	// EnvCozeWorkspaceID is the Coze Loop workspace id; with
	// EnvCozeAPIToken it sets up [WithCozeLoop] when no other destination
	// is named.
	EnvCozeWorkspaceID = "COZELOOP_WORKSPACE_ID"
	// EnvCozeAPIToken is the Coze Loop token that goes with
	// EnvCozeWorkspaceID; one without the other is an error.
	EnvCozeAPIToken = "COZELOOP_API_TOKEN"
	// EnvCozeBaseURL is the Coze Loop site used by [WithCozeLoop], such as
	// https://api.coze.com; the default is [CozeLoopCN].
	EnvCozeBaseURL = "COZELOOP_API_BASE_URL"
)

// envFirst returns the first non-empty value among the variables names,
// without surrounding spaces.
func envFirst(names ...string) string {
	_, v := envLookup(names...)
	return v
}

// envFirstName returns the name of the first variable among names with a
// non-empty value, or "".
func envFirstName(names ...string) string {
	n, _ := envLookup(names...)
	return n
}

func envLookup(names ...string) (name, value string) {
	for _, n := range names {
		if v := strings.TrimSpace(os.Getenv(n)); v != "" {
			return n, v
		}
	}
	return "", ""
}

// envDefaults fills what the environment says into c, before options.
func envDefaults(c *config) {
	switch v := strings.ToLower(envFirst(EnvTracesCompression, EnvCompression)); v {
	case "gzip", "none":
		on := v == "gzip"
		c.gzip = &on
	}
	if v := envFirst(EnvTracesTimeout, EnvTimeout); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 {
			c.timeout = time.Duration(ms) * time.Millisecond
		}
	}
	c.serviceName = os.Getenv(EnvServiceName)
	c.resource = parseResourceAttrs(os.Getenv(EnvResourceAttrs))
	c.cozeBaseURL = os.Getenv(EnvCozeBaseURL)
}

// parseResourceAttrs reads OTEL_RESOURCE_ATTRIBUTES: comma-separated
// key=value pairs with percent-encoded values. Malformed pairs are skipped.
func parseResourceAttrs(s string) map[string]string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	out := map[string]string{}
	for k, v := range pairs(s) {
		if u, err := url.PathUnescape(strings.TrimSpace(v)); err == nil {
			out[k] = u
		}
	}
	return out
}

// pairs yields the key=value pairs of a comma-separated list, as the OTLP
// variables write them: keys trimmed, pairs without "=" or with an empty
// key skipped, values as written (callers decode them).
func pairs(s string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for pair := range strings.SplitSeq(s, ",") {
			k, v, ok := strings.Cut(pair, "=")
			k = strings.TrimSpace(k)
			if !ok || k == "" {
				continue
			}
			if !yield(k, v) {
				return
			}
		}
	}
}

// The OTLP certificate variables, the signal-specific one first.
var (
	envCA         = []string{"OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "OTEL_EXPORTER_OTLP_CERTIFICATE"}
	envClientCert = []string{"OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"}
	envClientKey  = []string{"OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", "OTEL_EXPORTER_OTLP_CLIENT_KEY"}
)

// envTLS builds the client TLS configuration of the OTLP certificate
// variables (OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE, _CLIENT_CERTIFICATE,
// _CLIENT_KEY), or nil when none is set. The OpenTelemetry client applies
// them only to a transport it builds itself, and this exporter brings its own.
// Errors name the variable at fault: a client certificate without a key
// (or a key without a certificate), or a file that cannot be read.
func envTLS() (*tls.Config, error) {
	caVar, ca := envLookup(envCA...)
	certVar, cert := envLookup(envClientCert...)
	keyVar, key := envLookup(envClientKey...)
	if ca == "" && cert == "" && key == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, fmt.Errorf("otlpexport: %s: %w", caVar, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("otlpexport: %s: no PEM certificate in %s", caVar, ca)
		}
		cfg.RootCAs = pool
	}
	switch {
	case cert != "" && key == "":
		return nil, fmt.Errorf("otlpexport: %s is set but %s is not: a client certificate needs its private key",
			certVar, pairedVar(certVar, envClientCert, envClientKey))
	case key != "" && cert == "":
		return nil, fmt.Errorf("otlpexport: %s is set but %s is not: a client key needs its certificate",
			keyVar, pairedVar(keyVar, envClientKey, envClientCert))
	case cert != "":
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("otlpexport: %s and %s: %w", certVar, keyVar, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// pairedVar returns the variable of other that goes with name of names (the
// same position: traces-specific or general).
func pairedVar(name string, names, other []string) string {
	for i, n := range names {
		if n == name {
			return other[i]
		}
	}
	return other[len(other)-1]
}
