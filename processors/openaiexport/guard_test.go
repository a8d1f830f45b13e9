package openaiexport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/httpguard/httpguardtest"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

const guardKey = "sk-guard-secret-0123456789"

// hopServer answers the paths of redirects with a redirect and any other
// path with 200, recording the headers of every request.
type hopServer struct {
	*httptest.Server
	mu   sync.Mutex
	hops []http.Header
}

func newHopServer(t *testing.T, useTLS bool, redirects map[string]string) *hopServer {
	t.Helper()
	s := &hopServer{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		s.hops = append(s.hops, r.Header.Clone())
		s.mu.Unlock()
		if to, ok := redirects[r.URL.Path]; ok {
			http.Redirect(w, r, to, http.StatusTemporaryRedirect)
			return
		}
		w.Write([]byte(`{}`))
	})
	if useTLS {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *hopServer) received() []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]http.Header(nil), s.hops...)
}

// TestCallerClientNoRedirectToHTTP checks that with a client that follows
// redirects, one from https to http is refused at once, without a retry and
// without a request to the http server (net/http would send the key there
// in clear on the same host).
func TestCallerClientNoRedirectToHTTP(t *testing.T) {
	plain := newHopServer(t, false, nil)
	front := newHopServer(t, true, map[string]string{"/v1/traces/ingest": "http://api.example.com/v1/traces/ingest"})
	client := httpguardtest.NamedClient(t, map[string]*httptest.Server{"api.example.com:443": front.Server, "api.example.com:80": plain.Server})
	var w noWait
	exp := New(WithEndpoint("https://api.example.com/v1/traces/ingest"), WithAPIKey(guardKey), WithHTTPClient(client))
	exp.sleep = w.sleep
	defer exp.Shutdown(context.Background())
	items := oneSpan(t)
	err := exp.Export(context.Background(), items)
	if err == nil || !strings.Contains(err.Error(), "refused to follow a redirect from https to http") || strings.Contains(err.Error(), guardKey) {
		t.Errorf("Export = %v", err)
	}
	if n := len(plain.received()); n != 0 {
		t.Errorf("the http server received %d requests", n)
	}
	if len(w.Waits()) != 0 || len(front.received()) != 1 {
		t.Errorf("retried: waits %v, %d attempts", w.Waits(), len(front.received()))
	}
	if d := processors.Dropped(err, countSent(items)); d[processors.DropExportFailed] != countSent(items) {
		t.Errorf("dropped %v", d)
	}
}

// TestCallerClientCredentialsStayAtTheOrigin checks that a redirect to
// another host or port gets neither the key nor the organization and
// project headers (net/http keeps the key for another port, and the other
// two for any host), while one within the origin keeps them.
func TestCallerClientCredentialsStayAtTheOrigin(t *testing.T) {
	for _, tt := range []struct {
		name, to, final string
		keeps           bool
	}{
		{"same origin", "/v2/ingest", "a", true},
		{"another host", "https://b.example.com/v1/final", "b", false},
		{"another port", "https://a.example.com:8443/v1/final", "port", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := newHopServer(t, true, map[string]string{"/v1/traces/ingest": tt.to})
			b := newHopServer(t, true, nil)
			port := newHopServer(t, true, nil)
			client := httpguardtest.NamedClient(t, map[string]*httptest.Server{"a.example.com:443": a.Server, "b.example.com:443": b.Server, "a.example.com:8443": port.Server})
			exp := New(WithEndpoint("https://a.example.com/v1/traces/ingest"), WithAPIKey(guardKey),
				WithOrganization("org-guard-secret"), WithProject("proj-guard-secret"), WithHTTPClient(client))
			defer exp.Shutdown(context.Background())
			if err := exp.Export(context.Background(), oneSpan(t)); err != nil {
				t.Fatalf("Export = %v", err)
			}
			hops := map[string]*hopServer{"a": a, "b": b, "port": port}[tt.final].received()
			last := hops[len(hops)-1]
			want := map[string]string{"Authorization": "Bearer " + guardKey, "Openai-Organization": "org-guard-secret", "Openai-Project": "proj-guard-secret"}
			for k, v := range want {
				if got := last.Get(k); (tt.keeps && got != v) || (!tt.keeps && got != "") {
					t.Errorf("%s = %q at the last hop (keeps: %v)", k, got, tt.keeps)
				}
			}
		})
	}
}

// TestControlCharacterInKeyFailsAtOnce checks that a key net/http refuses
// in a header (CR, LF) fails each POST at once, without burning retries,
// with an error and a warning at New that name the setting, never the key.
func TestControlCharacterInKeyFailsAtOnce(t *testing.T) {
	srv := newCapture(t)
	bad := guardKey + "\r\nX-Evil: 1"
	for _, tt := range []struct {
		name     string
		opts     []Option
		traceKey string
		warn     string
	}{
		{"exporter key", []Option{WithAPIKey(bad)}, "", "API key (OPENAI_API_KEY or WithAPIKey) holds a control character"},
		{"organization", []Option{WithAPIKey(guardKey), WithOrganization("org\n1")}, "", "organization (OPENAI_ORG_ID or WithOrganization) holds a control character"},
		{"trace key", []Option{WithAPIKey(guardKey)}, bad, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := logBuffer()
			var w noWait
			exp := New(append([]Option{WithEndpoint(srv.URL()), WithLogger(logger)}, tt.opts...)...)
			exp.sleep = w.sleep
			defer exp.Shutdown(context.Background())
			items := oneSpan(t)
			if tt.traceKey != "" {
				tp, rec := newProvider()
				_, tr := tp.StartTrace(context.Background(), "w", tracing.WithTracingAPIKey(tt.traceKey))
				tr.End()
				items = rec.Items()
			}
			before := len(srv.requests())
			err := exp.Export(context.Background(), items)
			if err == nil || !strings.Contains(err.Error(), "holds a control character") || strings.Contains(err.Error(), guardKey[:8]) {
				t.Errorf("Export = %v", err)
			}
			if len(w.Waits()) != 0 || len(srv.requests()) != before {
				t.Errorf("waits %v, %d requests: want no attempt at all", w.Waits(), len(srv.requests())-before)
			}
			if tt.warn != "" && !strings.Contains(logs.String(), tt.warn) {
				t.Errorf("no warning at New: %s", logs)
			}
			if strings.Contains(logs.String(), guardKey[:8]) {
				t.Errorf("the key was logged: %s", logs)
			}
		})
	}
}

// TestCleartextKeyWarnedOnce checks that an endpoint that is plain http to a
// host other than this machine draws one warning, at New, naming the host
// and never the key; loopback and https endpoints draw none.
func TestCleartextKeyWarnedOnce(t *testing.T) {
	plain := newHopServer(t, false, nil)
	client := httpguardtest.NamedClient(t, map[string]*httptest.Server{"ingest.example.com:80": plain.Server})
	for _, tt := range []struct {
		endpoint string
		warn     bool
	}{
		{"http://ingest.example.com/v1/traces/ingest", true},
		{plain.URL + "/v1/traces/ingest", false},
		{"http://localhost:1/v1/traces/ingest", false},
		{"https://ingest.example.com/v1/traces/ingest", false},
	} {
		logger, logs := logBuffer()
		exp := New(WithEndpoint(tt.endpoint), WithAPIKey(guardKey), WithHTTPClient(client), WithLogger(logger), WithMaxAttempts(1))
		if tt.warn {
			for range 2 {
				if err := exp.Export(context.Background(), oneSpan(t)); err != nil {
					t.Fatalf("%s: Export = %v", tt.endpoint, err)
				}
			}
		}
		exp.Shutdown(context.Background())
		n := strings.Count(logs.String(), "credentials travel in clear")
		if (tt.warn && (n != 1 || !strings.Contains(logs.String(), "ingest.example.com"))) || (!tt.warn && n != 0) {
			t.Errorf("%s: %d warnings:\n%s", tt.endpoint, n, logs)
		}
		if strings.Contains(logs.String(), guardKey) {
			t.Errorf("%s: the key was logged", tt.endpoint)
		}
	}
}

// TestConfiguredValuesRedacted checks that the organization, the project
// and the endpoint's query values, echoed by a server, stay out of errors.
func TestConfiguredValuesRedacted(t *testing.T) {
	srv := newCapture(t)
	srv.answer = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "no route %s for %s/%s", r.URL.RequestURI(), r.Header.Get("OpenAI-Organization"), r.Header.Get("OpenAI-Project"))
	}
	exp := New(WithEndpoint(srv.URL()+"?tenant=tq_secret_42"), WithAPIKey(guardKey),
		WithOrganization("org-echoed-secret"), WithProject("proj-echoed-secret"))
	defer exp.Shutdown(context.Background())
	err := exp.Export(context.Background(), oneSpan(t))
	if err == nil {
		t.Fatal("Export = nil")
	}
	for _, leak := range []string{"tq_secret_42", "org-echoed-secret", "proj-echoed-secret"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error shows %q: %v", leak, err)
		}
	}
	if !strings.Contains(err.Error(), "no route /v1/traces/ingest?[REDACTED] for [REDACTED]/[REDACTED]") {
		t.Errorf("error lost the server's text: %v", err)
	}
}

// selfWrapError's Unwrap returns itself: errors.As never ends on it.
type selfWrapError struct{}

func (e *selfWrapError) Error() string { return "self-wrapping transport failure" }
func (e *selfWrapError) Unwrap() error { return e }

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSelfWrappingTransportError checks that a transport error that wraps
// itself is retried like any network error and the export returns.
func TestSelfWrappingTransportError(t *testing.T) {
	client := &http.Client{Transport: roundTripperFunc(func(*http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("dial: %w", &selfWrapError{})
	})}
	var w noWait
	exp := New(WithEndpoint("http://127.0.0.1:1/v1/traces/ingest"), WithAPIKey(guardKey), WithHTTPClient(client))
	exp.sleep = w.sleep
	defer exp.Shutdown(context.Background())
	done := make(chan error, 1)
	go func() {
		err := exp.Export(context.Background(), oneSpan(t))
		_ = errors.Is(err, io.EOF) // must end too
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "self-wrapping transport failure") || len(w.Waits()) != DefaultMaxAttempts-1 {
			t.Errorf("Export = %v after waits %v", err, w.Waits())
		}
	case <-time.After(time.Minute):
		t.Fatal("Export did not return")
	}
}
