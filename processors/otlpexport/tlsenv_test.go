package otlpexport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClientCertificateNeedsKey checks that a client certificate without
// its key, or a key without its certificate, fails New with an error that
// names the missing variable.
func TestClientCertificateNeedsKey(t *testing.T) {
	pemFile := filepath.Join(t.TempDir(), "client.pem")
	if err := os.WriteFile(pemFile, []byte("not used"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ set, missing string }{
		{"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_KEY"},
		{"OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"},
		{"OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY"},
		{"OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE"},
	} {
		clearTLSEnv(t)
		t.Setenv(tt.set, pemFile)
		_, err := New(WithEndpointURL("https://127.0.0.1:1/v1/traces"))
		if err == nil || !strings.Contains(err.Error(), tt.set+" is set but "+tt.missing+" is not") {
			t.Errorf("only %s set: err = %v, want it to name %s", tt.set, err, tt.missing)
		}
	}
	// A file that cannot be read is named by its variable.
	clearTLSEnv(t)
	t.Setenv("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", pemFile)
	t.Setenv("OTEL_EXPORTER_OTLP_CLIENT_KEY", filepath.Join(t.TempDir(), "missing.pem"))
	if _, err := New(WithEndpointURL("https://127.0.0.1:1/v1/traces")); err == nil || !strings.Contains(err.Error(), "OTEL_EXPORTER_OTLP_CLIENT_KEY") {
		t.Errorf("unreadable key: err = %v", err)
	}
}

// clearTLSEnv unsets the exporter's variables and the certificate ones.
func clearTLSEnv(t *testing.T) {
	clearEnv(t)
	for _, v := range [][]string{envCA, envClientCert, envClientKey} {
		for _, k := range v {
			t.Setenv(k, "")
		}
	}
}
