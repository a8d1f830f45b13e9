package otlpexport

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// clearEnv unsets every variable the exporter reads, for the test.
func clearEnv(t *testing.T) {
	for _, k := range []string{EnvTracesEndpoint, EnvEndpoint, EnvTracesHeaders, EnvHeaders, EnvTracesTimeout,
		EnvTimeout, EnvTracesCompression, EnvCompression, EnvServiceName, EnvResourceAttrs,
		EnvCozeWorkspaceID, EnvCozeAPIToken, EnvCozeBaseURL} {
		t.Setenv(k, "")
	}
}

// exportOne sends one trace with one span through exp.
func exportOne(t *testing.T, exp *Exporter) {
	t.Helper()
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)), tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "f", Input: "{}"})
	sp.End()
	tr.End()
	tp.Shutdown(context.Background())
}

// TestCozeLoopDocumentedEnv checks Coze Loop's documented setup, unchanged:
// the traces endpoint with its path and the two headers in
// OTEL_EXPORTER_OTLP_HEADERS, a raw space after Bearer included.
func TestCozeLoopDocumentedEnv(t *testing.T) {
	clearEnv(t)
	s := newSink(t, nil)
	t.Setenv(EnvTracesEndpoint, s.URL+CozeLoopTracesPath)
	t.Setenv(EnvHeaders, "cozeloop-workspace-id=7486,Authorization=Bearer pat_xxx")
	t.Setenv(EnvServiceName, "shop")
	exp, err := New()
	if err != nil {
		t.Fatal(err)
	}
	exportOne(t, exp)
	reqs := s.requests()
	if len(reqs) != 2 {
		t.Fatalf("requests = %d", len(reqs))
	}
	r := reqs[0]
	if r.Header.Get("cozeloop-workspace-id") != "7486" || r.Header.Get("Authorization") != "Bearer pat_xxx" || !r.Gzip {
		t.Errorf("headers %v gzip %v", r.Header, r.Gzip)
	}
	res := attrMap(r.Req.GetResourceSpans()[0].GetResource().GetAttributes())
	if res["service.name"] != "shop" {
		t.Errorf("service.name = %v", res["service.name"])
	}
	// A Coze Loop endpoint from the environment turns message attributes off.
	if exp.conv.Config().Messages != 0 {
		t.Error("message attributes on for a Coze Loop endpoint")
	}
}

func TestGenericEnv(t *testing.T) {
	clearEnv(t)
	var path string
	s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) { path = r.URL.Path; okReply(w) })
	t.Setenv(EnvEndpoint, s.URL)
	t.Setenv(EnvCompression, "none")
	t.Setenv(EnvResourceAttrs, "deployment.environment=test,team=a%2Cb")
	exp, err := New()
	if err != nil {
		t.Fatal(err)
	}
	exportOne(t, exp)
	reqs := s.requests()
	if path != "/v1/traces" || reqs[0].Gzip {
		t.Errorf("path %q gzip %v, want /v1/traces appended and no compression", path, reqs[0].Gzip)
	}
	res := attrMap(reqs[0].Req.GetResourceSpans()[0].GetResource().GetAttributes())
	if res["deployment.environment"] != "test" || res["team"] != "a,b" {
		t.Errorf("resource = %v", res)
	}
	if exp.conv.Config().Messages == 0 {
		t.Error("message attributes off for a generic endpoint")
	}
	// Options override the environment.
	exp2, err := New(WithGzip(true), WithEndpointURL(s.URL+"/custom"), WithServiceName("opt"))
	if err != nil {
		t.Fatal(err)
	}
	exportOne(t, exp2)
	reqs = s.requests()
	last := reqs[len(reqs)-1]
	if path != "/custom" || !last.Gzip || attrMap(last.Req.GetResourceSpans()[0].GetResource().GetAttributes())["service.name"] != "opt" {
		t.Errorf("path %q gzip %v", path, last.Gzip)
	}
}

func TestEnvTimeout(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvTracesTimeout, "1500")
	exp, err := New(WithEndpointURL("http://127.0.0.1:1/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	if exp.timeout.Milliseconds() != 1500 {
		t.Errorf("timeout = %v", exp.timeout)
	}
}

func TestCozeLoopPresetSites(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		env, opt, want string
	}{
		{"", "", CozeLoopCN + CozeLoopTracesPath},
		{CozeLoopCOM, "", CozeLoopCOM + CozeLoopTracesPath},
		{CozeLoopCOM + "/", "", CozeLoopCOM + CozeLoopTracesPath},
		{CozeLoopCOM, "https://loop.example", "https://loop.example" + CozeLoopTracesPath},
	}
	for _, tt := range tests {
		t.Setenv(EnvCozeBaseURL, tt.env)
		cfg := config{}
		envDefaults(&cfg)
		opts := []Option{WithCozeLoop("1", "tok")}
		if tt.opt != "" {
			opts = append(opts, WithCozeLoopBaseURL(tt.opt))
		}
		for _, o := range opts {
			o.apply(&cfg)
		}
		if got := cozeEndpoint(cfg); got != tt.want {
			t.Errorf("env %q opt %q: endpoint %q, want %q", tt.env, tt.opt, got, tt.want)
		}
	}
	if _, err := New(WithCozeLoop("1", "")); err == nil {
		t.Error("New with an empty token succeeded")
	}
}

func TestInstallFromEnv(t *testing.T) {
	t.Run("not configured", func(t *testing.T) {
		clearEnv(t)
		tp, err := InstallFromEnv()
		if !errors.Is(err, ErrNotConfigured) || tp != nil {
			t.Fatalf("InstallFromEnv = %v, %v; want nil, ErrNotConfigured", tp, err)
		}
	})
	t.Run("half of the Coze Loop credentials", func(t *testing.T) {
		clearEnv(t)
		t.Setenv(EnvCozeWorkspaceID, "1")
		if _, err := InstallFromEnv(); err == nil || errors.Is(err, ErrNotConfigured) {
			t.Fatalf("err = %v, want a configuration error", err)
		}
	})
	t.Run("Coze Loop variables", func(t *testing.T) {
		clearEnv(t)
		s := newSink(t, nil)
		t.Setenv(EnvCozeWorkspaceID, "7486")
		t.Setenv(EnvCozeAPIToken, "pat_env")
		t.Setenv(EnvCozeBaseURL, s.URL)
		prev := tracing.Default()
		t.Cleanup(func() { tracing.SetDefault(prev) })
		tp, err := InstallFromEnv()
		if err != nil {
			t.Fatal(err)
		}
		if tracing.Default() != tp {
			t.Error("provider not installed as the default")
		}
		ctx, tr := tracing.StartTrace(context.Background(), "w")
		_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
		sp.End()
		tr.End()
		if err := tp.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		reqs := s.requests()
		if len(reqs) == 0 || reqs[0].Header.Get("Authorization") != "Bearer pat_env" || reqs[0].Header.Get("cozeloop-workspace-id") != "7486" {
			t.Fatalf("requests %d", len(reqs))
		}
		if got := len(s.spans()); got != 2 {
			t.Errorf("spans = %d, want 2", got)
		}
	})
}

// TestEnvCertificate checks that OTEL_EXPORTER_OTLP_CERTIFICATE is honoured
// although the exporter brings its own transport.
func TestEnvCertificate(t *testing.T) {
	clearEnv(t)
	var got atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		okReply(w)
	}))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OTEL_EXPORTER_OTLP_CERTIFICATE", ca)
	t.Setenv(EnvTracesEndpoint, srv.URL+"/v1/traces")
	exp, err := New(WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	if err := exp.Export(context.Background(), makeItems(1, 1)); err != nil {
		t.Fatalf("Export over TLS: %v", err)
	}
	if got.Load() != 1 {
		t.Errorf("requests = %d", got.Load())
	}
}

// TestProtocolAlwaysProtobuf checks that http/json in the environment does
// not switch the body away from protobuf, which Coze Loop needs.
func TestProtocolAlwaysProtobuf(t *testing.T) {
	clearEnv(t)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
	s := newSink(t, nil) // decodes protobuf and fails otherwise
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	if err := exp.Export(context.Background(), makeItems(1, 1)); err != nil {
		t.Fatal(err)
	}
	if ct := s.requests()[0].Header.Get("Content-Type"); ct != "application/x-protobuf" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestNewFromEnv(t *testing.T) {
	clearEnv(t)
	if _, err := NewFromEnv(); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("NewFromEnv with nothing set = %v, want ErrNotConfigured", err)
	}
	s := newSink(t, nil)
	exp, err := NewFromEnv(WithEndpointURL(s.URL + "/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	exportOne(t, exp)
	if len(s.spans()) != 2 {
		t.Errorf("spans = %d", len(s.spans()))
	}
	t.Setenv(EnvEndpoint, s.URL)
	exp, err = NewFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	exportOne(t, exp)
	if len(s.spans()) != 4 {
		t.Errorf("spans = %d", len(s.spans()))
	}
}

// TestCozeLoopViaGenericEndpointEnv checks that Coze Loop reached through
// OTEL_EXPORTER_OTLP_ENDPOINT (the client appends /v1/traces, giving Coze
// Loop's path) is recognised: no message attributes, which Coze Loop would
// read in place of input.value.
func TestCozeLoopViaGenericEndpointEnv(t *testing.T) {
	clearEnv(t)
	var path string
	s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) { path = r.URL.Path; okReply(w) })
	t.Setenv(EnvEndpoint, s.URL+"/v1/loop/opentelemetry")
	t.Setenv(EnvHeaders, "cozeloop-workspace-id=1,Authorization=Bearer%20pat_x")
	exp, err := New(WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	gen := &spans.Generation{Model: "m", Input: []spans.Message{{Role: "user", Content: "hi"}}, Output: []spans.Message{{Role: "assistant", Content: "yo"}}}
	if err := exp.Export(context.Background(), recordItems(gen, nil, nil)); err != nil {
		t.Fatal(err)
	}
	if path != CozeLoopTracesPath {
		t.Fatalf("posted to %q", path)
	}
	for k := range childAttrs(t, s.spans()) {
		if strings.HasPrefix(k, "gen_ai.input.messages") || strings.HasPrefix(k, "llm.input_messages") {
			t.Errorf("Coze Loop endpoint got %s, which replaces input.value", k)
		}
	}
	if !exp.conv.Config().CozeLoop {
		t.Error("Coze Loop mode off")
	}
}

// TestCozeLoopByWorkspaceHeader checks that a cozeloop-workspace-id header
// (a self-hosted Coze Loop behind a proxy with another path) turns Coze Loop
// mode on, from options or from the environment, whatever its spelling.
func TestCozeLoopByWorkspaceHeader(t *testing.T) {
	clearEnv(t)
	exp, err := New(WithEndpointURL("http://127.0.0.1:1/otlp/v1/traces"), WithHeaders(map[string]string{"Cozeloop-Workspace-Id": "1"}))
	if err != nil {
		t.Fatal(err)
	}
	exp.Shutdown(context.Background())
	if !exp.conv.Config().CozeLoop || (exp.conv.Config().Messages != 0) {
		t.Errorf("option header: coze %v, messages %v", exp.conv.Config().CozeLoop, (exp.conv.Config().Messages != 0))
	}
	t.Setenv(EnvTracesHeaders, "cozeloop-workspace-id=1")
	exp, err = New(WithEndpointURL("http://127.0.0.1:1/otlp/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	exp.Shutdown(context.Background())
	if !exp.conv.Config().CozeLoop {
		t.Error("environment header: Coze Loop mode off")
	}
	clearEnv(t)
	exp, err = New(WithEndpointURL("http://127.0.0.1:1/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	exp.Shutdown(context.Background())
	if exp.conv.Config().CozeLoop || exp.conv.Config().Messages == 0 {
		t.Errorf("generic endpoint: coze %v, messages %v", exp.conv.Config().CozeLoop, (exp.conv.Config().Messages != 0))
	}
}
