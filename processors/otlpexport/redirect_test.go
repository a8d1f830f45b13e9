package otlpexport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/httpguard/httpguardtest"
	"github.com/agenttrace/agenttrace-go/processors"
)

// hop is one request a test server received.
type hop struct {
	path   string
	header http.Header
	tls    bool
}

// hopServer is a test server that answers the paths of redirects with a
// redirect and any other path with an OTLP success, recording every request.
type hopServer struct {
	*httptest.Server
	mu   sync.Mutex
	hops []hop
}

func newHopServer(t *testing.T, useTLS bool, redirects map[string]string, code int) *hopServer {
	t.Helper()
	s := &hopServer{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hops = append(s.hops, hop{path: r.URL.Path, header: r.Header.Clone(), tls: r.TLS != nil})
		s.mu.Unlock()
		if to, ok := redirects[r.URL.Path]; ok {
			http.Redirect(w, r, to, code)
			return
		}
		okReply(w)
	})
	if useTLS {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *hopServer) received() []hop {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]hop(nil), s.hops...)
}

// TestNoRedirectFromHTTPSToHTTP checks that a redirect from https to http
// is refused, on the same host too (net/http would send the Authorization
// header there in clear), at once and without a retry.
func TestNoRedirectFromHTTPSToHTTP(t *testing.T) {
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		for _, to := range []string{"http://a.example.com/v1/traces", "http://b.example.com:4318/v1/traces"} {
			plain := newHopServer(t, false, nil, 0)
			front := newHopServer(t, true, map[string]string{"/v1/traces": to}, code)
			client := httpguardtest.NamedClient(t, map[string]*httptest.Server{"a.example.com:443": front.Server, "a.example.com:80": plain.Server, "b.example.com:4318": plain.Server})
			exp, sl := newFaultExporter(t, "https://a.example.com/v1/traces", WithHTTPClient(client))
			items := makeItems(1, 1)
			err := exp.Export(context.Background(), items)
			if err == nil || !strings.Contains(err.Error(), "refused to follow a redirect from https to http") {
				t.Errorf("%d to %s: Export = %v", code, to, err)
			}
			checkNoSecret(t, err)
			if got := plain.received(); len(got) != 0 {
				t.Errorf("%d to %s: the http server received %d requests, Authorization %q", code, to, len(got), got[0].header.Get("Authorization"))
			}
			if len(sl.waits()) != 0 || processors.Dropped(err, len(items))[processors.DropExportFailed] != len(items) {
				t.Errorf("%d to %s: waits %v, dropped %v", code, to, sl.waits(), processors.Dropped(err, len(items)))
			}
		}
	}
}

// TestRedirectKeepsHeadersAtTheOrigin checks that the configured headers
// (credentials or not: every value is secret) go only to the endpoint's
// origin: a redirect to another host or port gets none of them, nor does
// any later hop of the chain, back at the origin included, while a
// redirect within the origin keeps them all. The spans still go along
// (307 posts them again).
func TestRedirectKeepsHeadersAtTheOrigin(t *testing.T) {
	configured := map[string]string{
		"Authorization":         "Bearer " + secretToken,
		"X-Api-Key":             "k3y_v4lue_0123",
		"Cozeloop-Workspace-Id": "7486",
		"X-Honeycomb-Team":      "hny_team_key",
	}
	for _, tt := range []struct {
		name      string
		redirects map[string]string // on a.example.com
		final     string            // the server that answers last: a, b or port
		keeps     bool
	}{
		{"same origin", map[string]string{"/v1/traces": "/v2/traces"}, "a", true},
		{"another host", map[string]string{"/v1/traces": "https://b.example.com/v1/final"}, "b", false},
		{"another port", map[string]string{"/v1/traces": "https://a.example.com:8443/v1/final"}, "port", false},
		{"away and back", map[string]string{"/v1/traces": "https://b.example.com/back"}, "a", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newHopServer(t, true, map[string]string{"/back": "https://a.example.com/v1/final"}, http.StatusTemporaryRedirect)
			port := newHopServer(t, true, nil, 0)
			a := newHopServer(t, true, tt.redirects, http.StatusTemporaryRedirect)
			client := httpguardtest.NamedClient(t, map[string]*httptest.Server{"a.example.com:443": a.Server, "b.example.com:443": b.Server, "a.example.com:8443": port.Server})
			exp, err := New(WithEndpointURL("https://a.example.com/v1/traces"), WithHTTPClient(client), WithoutRetry(), WithHeaders(configured))
			if err != nil {
				t.Fatal(err)
			}
			defer exp.Shutdown(context.Background())
			if err := exp.Export(context.Background(), makeItems(1, 1)); err != nil {
				t.Fatalf("Export = %v", err)
			}
			final := map[string]*hopServer{"a": a, "b": b, "port": port}[tt.final]
			hops := final.received()
			last := hops[len(hops)-1]
			if !last.tls {
				t.Error("the last hop was not over TLS")
			}
			for k, v := range configured {
				got := last.header.Get(k)
				if tt.keeps && got != v {
					t.Errorf("%s: %s = %q at the origin, want %q", last.path, k, got, v)
				}
				if !tt.keeps && got != "" {
					t.Errorf("%s: %s = %q sent away from the origin", last.path, k, got)
				}
			}
			if first := a.received()[0]; first.header.Get("Authorization") != configured["Authorization"] {
				t.Errorf("the first request lacked its Authorization: %v", first.header)
			}
		})
	}
}
