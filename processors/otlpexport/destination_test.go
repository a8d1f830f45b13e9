package otlpexport

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// captureLog sends slog's default logger to a buffer for the test.
func captureLog(t *testing.T) func() string {
	t.Helper()
	var mu sync.Mutex
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&lockedWriter{mu: &mu, w: &buf}, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestNewReadsCozeLoopEnv checks that New, not only NewFromEnv, sends to
// Coze Loop when the COZELOOP_* variables are all that is set.
func TestNewReadsCozeLoopEnv(t *testing.T) {
	for name, newExp := range map[string]func(...Option) (*Exporter, error){"New": New, "NewFromEnv": NewFromEnv} {
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			s := newSink(t, nil)
			t.Setenv(EnvCozeWorkspaceID, "7486")
			t.Setenv(EnvCozeAPIToken, "pat_env")
			t.Setenv(EnvCozeBaseURL, s.URL)
			exp, err := newExp(WithoutRetry())
			if err != nil {
				t.Fatal(err)
			}
			exportOne(t, exp)
			reqs := s.requests()
			if len(reqs) == 0 {
				t.Fatal("nothing received")
			}
			if h := reqs[0].Header; h.Get("Authorization") != "Bearer pat_env" || h.Get("cozeloop-workspace-id") != "7486" {
				t.Errorf("headers = %v", h)
			}
			if !exp.conv.Config().CozeLoop {
				t.Error("Coze Loop mode off")
			}
		})
	}
}

// TestNewAndNewFromEnvDifferOnlyByErrNotConfigured: without a destination
// New uses the default endpoint, NewFromEnv returns ErrNotConfigured; half
// of the Coze Loop credentials fails both alike.
func TestNewAndNewFromEnvDifferOnlyByErrNotConfigured(t *testing.T) {
	clearEnv(t)
	exp, err := New()
	if err != nil {
		t.Fatalf("New without a destination: %v", err)
	}
	exp.Shutdown(t.Context())
	if _, err := NewFromEnv(); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("NewFromEnv without a destination = %v", err)
	}
	for _, tt := range []struct{ set, missing string }{
		{EnvCozeWorkspaceID, EnvCozeAPIToken},
		{EnvCozeAPIToken, EnvCozeWorkspaceID},
	} {
		clearEnv(t)
		t.Setenv(tt.set, "pat_half_secret")
		for name, newExp := range map[string]func(...Option) (*Exporter, error){"New": New, "NewFromEnv": NewFromEnv} {
			_, err := newExp()
			if err == nil || errors.Is(err, ErrNotConfigured) || !strings.Contains(err.Error(), tt.missing) ||
				strings.Contains(err.Error(), "pat_half_secret") {
				t.Errorf("%s with only %s = %v, want an error naming %s", name, tt.set, err, tt.missing)
			}
		}
	}
}

// TestWithCozeLoopEmpty checks that WithCozeLoop with an empty half (an
// unset variable read by the program) fails at New, never quoting the token.
func TestWithCozeLoopEmpty(t *testing.T) {
	clearEnv(t)
	for _, tt := range []struct{ ws, tok, want string }{
		{"", "", "workspace id and the token are empty"},
		{"7486", "", "token is empty"},
		{"7486", "  ", "token is empty"},
		{"", "pat_secret", "workspace id is empty"},
	} {
		_, err := New(WithCozeLoop(tt.ws, tt.tok))
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "pat_secret") {
			t.Errorf("WithCozeLoop(%q, %q): err = %v, want %q", tt.ws, tt.tok, err, tt.want)
		}
		if _, err := NewFromEnv(WithCozeLoop(tt.ws, tt.tok)); err == nil || errors.Is(err, ErrNotConfigured) {
			t.Errorf("NewFromEnv(WithCozeLoop(%q, %q)) = %v, want the same error", tt.ws, tt.tok, err)
		}
	}
}

// TestOTLPEndpointWinsOverCozeLoopEnv checks the documented precedence:
// an OTLP endpoint variable wins over COZELOOP_* credentials, with one
// warning that names the variables and never the token.
func TestOTLPEndpointWinsOverCozeLoopEnv(t *testing.T) {
	for _, endpointVar := range []string{EnvEndpoint, EnvTracesEndpoint} {
		t.Run(endpointVar, func(t *testing.T) {
			clearEnv(t)
			logs := captureLog(t)
			s := newSink(t, nil)
			url := s.URL
			if endpointVar == EnvTracesEndpoint {
				url += "/v1/traces"
			}
			t.Setenv(endpointVar, url)
			t.Setenv(EnvCozeWorkspaceID, "7486")
			t.Setenv(EnvCozeAPIToken, "pat_do_not_log")
			exp, err := New(WithoutRetry())
			if err != nil {
				t.Fatal(err)
			}
			exportOne(t, exp)
			reqs := s.requests()
			if len(reqs) == 0 {
				t.Fatal("the OTLP endpoint received nothing")
			}
			if h := reqs[0].Header; h.Get("Authorization") != "" || h.Get("cozeloop-workspace-id") != "" {
				t.Errorf("Coze Loop credentials sent to the OTLP endpoint: %v", h)
			}
			out := logs()
			if n := strings.Count(out, "level=WARN"); n != 1 {
				t.Errorf("%d warnings, want 1:\n%s", n, out)
			}
			if !strings.Contains(out, endpointVar) || !strings.Contains(out, EnvCozeWorkspaceID) || strings.Contains(out, "pat_do_not_log") {
				t.Errorf("warning = %q", out)
			}
		})
	}
	// Without the conflict, no warning.
	clearEnv(t)
	logs := captureLog(t)
	t.Setenv(EnvEndpoint, "http://127.0.0.1:1")
	exp, err := New()
	if err != nil {
		t.Fatal(err)
	}
	exp.Shutdown(t.Context())
	if out := logs(); out != "" {
		t.Errorf("logged without a conflict: %s", out)
	}
}

// TestEndpointScheme checks that New accepts only http and https endpoint
// URLs, from options or the environment, and never quotes credentials.
func TestEndpointScheme(t *testing.T) {
	clearEnv(t)
	for _, tt := range []struct{ url, want string }{
		{"ftp://collector/v1/traces", `scheme "ftp"`},
		{"file:///tmp/traces", `scheme "file"`},
		{"grpc://collector:4317", `scheme "grpc"`},
		{"localhost:4318", "not a URL"},
		{"http:///v1/traces", "no host"},
		{"ftp://user:pw_secret@collector/x?token=q_secret#f_secret", `"ftp://collector/x"`},
		{"user:pw_secret@collector", "not a URL"},
	} {
		_, err := New(WithEndpointURL(tt.url))
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "_secret") {
			t.Errorf("endpoint %q: err = %v, want %q", tt.url, err, tt.want)
		}
	}
	if _, err := New(WithCozeLoop("1", "tok"), WithCozeLoopBaseURL("ftp://loop.example")); err == nil || !strings.Contains(err.Error(), "Coze Loop endpoint") {
		t.Errorf("ftp Coze Loop base URL: err = %v", err)
	}
	for _, v := range []string{EnvTracesEndpoint, EnvEndpoint} {
		clearEnv(t)
		t.Setenv(v, "ftp://collector")
		if _, err := New(); err == nil || !strings.Contains(err.Error(), v) {
			t.Errorf("%s=ftp://collector: err = %v, want it named", v, err)
		}
	}
	clearEnv(t)
	for _, ok := range []string{"http://127.0.0.1:1/v1/traces", "HTTPS://collector.example/v1/traces", "http://u:p@127.0.0.1:1/x?q=1"} {
		exp, err := New(WithEndpointURL(ok))
		if err != nil {
			t.Errorf("endpoint %q: %v", ok, err)
			continue
		}
		exp.Shutdown(t.Context())
	}
}
