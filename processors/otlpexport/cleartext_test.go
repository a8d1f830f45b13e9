package otlpexport

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/httpguard/httpguardtest"
	"github.com/agenttrace/agenttrace-go/processors"
)

// TestInsecureVariableKeepsHTTPS checks OTEL_EXPORTER_OTLP_[TRACES_]INSECURE
// as the specification means it: for OTLP/HTTP the endpoint's scheme
// decides, so an https:// endpoint stays on TLS (the OpenTelemetry client
// used to switch it to plain http, credentials and all).
func TestInsecureVariableKeepsHTTPS(t *testing.T) {
	for _, v := range []string{"OTEL_EXPORTER_OTLP_INSECURE", "OTEL_EXPORTER_OTLP_TRACES_INSECURE"} {
		t.Run(v, func(t *testing.T) {
			clearEnv(t)
			clearTLSEnv(t)
			srv := newHopServer(t, true, nil, 0)
			ca := filepath.Join(t.TempDir(), "ca.pem")
			if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("OTEL_EXPORTER_OTLP_CERTIFICATE", ca)
			t.Setenv(EnvTracesEndpoint, srv.URL+"/v1/traces")
			t.Setenv(EnvHeaders, "Authorization=Bearer "+secretToken)
			t.Setenv(v, "true")
			exp, err := New(WithoutRetry())
			if err != nil {
				t.Fatal(err)
			}
			defer exp.Shutdown(context.Background())
			if err := exp.Export(context.Background(), makeItems(1, 1)); err != nil {
				t.Fatalf("Export = %v", err)
			}
			got := srv.received()
			if len(got) != 1 || !got[0].tls || got[0].header.Get("Authorization") != "Bearer "+secretToken {
				t.Errorf("received %+v, want one request over TLS", got)
			}
		})
	}
}

// TestCleartextCredentialsWarnedOnce checks that credentials bound for a
// host that is not this machine over plain http draw one warning, at New,
// naming the headers and the host and never a value; and that loopback
// hosts, https and requests without credentials draw none.
func TestCleartextCredentialsWarnedOnce(t *testing.T) {
	plain := newHopServer(t, false, nil, 0)
	client := httpguardtest.NamedClient(t, map[string]*httptest.Server{"collector.example.com:4318": plain.Server, "loop.example.com:80": plain.Server})
	auth := map[string]string{"Authorization": "Bearer " + secretToken, "x-api-key": "k3y_v4lue_0123"}
	for _, tt := range []struct {
		name string
		opts []Option
		want []string // nil: no warning
	}{
		{"headers over http", []Option{WithEndpointURL("http://collector.example.com:4318/v1/traces"), WithHeaders(auth)},
			[]string{"Authorization, X-Api-Key", "collector.example.com:4318"}},
		{"query over http", []Option{WithEndpointURL("http://collector.example.com:4318/v1/traces?api_key=" + secretToken)},
			[]string{"its query", "collector.example.com:4318"}},
		{"Coze Loop over http", []Option{WithCozeLoop("7486", secretToken), WithCozeLoopBaseURL("http://loop.example.com")},
			[]string{"Authorization, Cozeloop-Workspace-Id", "loop.example.com"}},
		{"loopback address", []Option{WithEndpointURL(plain.URL + "/v1/traces"), WithHeaders(auth)}, nil},
		{"localhost", []Option{WithEndpointURL("http://localhost:1/v1/traces"), WithHeaders(auth)}, nil},
		{"no credentials", []Option{WithEndpointURL("http://collector.example.com:4318/v1/traces")}, nil},
		{"https", []Option{WithEndpointURL("https://collector.example.com/v1/traces"), WithHeaders(auth)}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			logs := captureLog(t)
			exp, err := New(append([]Option{WithHTTPClient(client), WithoutRetry()}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			defer exp.Shutdown(context.Background())
			if tt.want != nil {
				for range 2 {
					if err := exp.Export(context.Background(), makeItems(1, 1)); err != nil {
						t.Fatalf("Export = %v", err)
					}
				}
			}
			out := logs()
			if tt.want == nil {
				if out != "" {
					t.Errorf("warned: %s", out)
				}
				return
			}
			if n := strings.Count(out, "credentials travel in clear"); n != 1 {
				t.Errorf("%d warnings, want 1:\n%s", n, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("warning lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, secretToken[:6]) || strings.Contains(out, "k3y_v4lue") || strings.Contains(out, "7486") {
				t.Errorf("warning shows a value:\n%s", out)
			}
		})
	}
}

// selfWrapError's Unwrap returns itself: errors.Is and errors.As never end
// on it.
type selfWrapError struct{}

func (e *selfWrapError) Error() string { return "self-wrapping transport failure" }
func (e *selfWrapError) Unwrap() error { return e }

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSelfWrappingTransportError checks that a transport returning an
// error that wraps itself costs its export and nothing more: the export
// returns, counted, and its error can be searched with errors.Is.
func TestSelfWrappingTransportError(t *testing.T) {
	client := &http.Client{Transport: roundTripperFunc(func(*http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("dial: %w", &selfWrapError{})
	})}
	exp, sl := newFaultExporter(t, "http://127.0.0.1:1/v1/traces", WithHTTPClient(client))
	exp.policy.MaxAttempts = 3
	items := makeItems(1, 1)
	done := make(chan error, 1)
	go func() {
		err := exp.Export(context.Background(), items)
		_ = errors.Is(err, io.EOF) // must end too
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("Export did not return")
	}
	if err == nil || !strings.Contains(err.Error(), "self-wrapping transport failure") || len(sl.waits()) != 2 {
		t.Errorf("Export = %v after waits %v, want 2 retries", err, sl.waits())
	}
	if d := processors.Dropped(err, len(items)); d[processors.DropExportFailed] != len(items) {
		t.Errorf("dropped %v", d)
	}
}
