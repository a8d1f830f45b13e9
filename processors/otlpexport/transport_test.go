package otlpexport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
)

// TestRedirectFollowed checks that 307 and 308 replies are followed as
// net/http follows them: the body is posted again to the
// new location, whose reply alone decides.
func TestRedirectFollowed(t *testing.T) {
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		target := newSink(t, nil)
		var hops atomic.Int32
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hops.Add(1)
			http.Redirect(w, r, target.URL+"/v1/traces", code)
		}))
		t.Cleanup(front.Close)
		exp, sl := newFaultExporter(t, front.URL+"/v1/traces")
		items := makeItems(1, 10)
		if err := exp.Export(context.Background(), items); err != nil || len(target.spans()) != len(items) {
			t.Errorf("%d: Export = %v; target received %d of %d spans", code, err, len(target.spans()), len(items))
		}
		if hops.Load() != 1 || len(sl.waits()) != 0 {
			t.Errorf("%d: %d hops, waits %v", code, hops.Load(), sl.waits())
		}
	}
}

// TestRedirectFinalReplyDecides checks that the reply at the end of a
// redirect interprets as any reply: a Coze Loop error code fails.
func TestRedirectFinalReplyDecides(t *testing.T) {
	target := replySink(t, "application/json", `{"code":600904002,"msg":"invalid workspace_id"}`)
	front := httptest.NewServer(http.RedirectHandler(target.URL+"/v1/traces", http.StatusPermanentRedirect))
	t.Cleanup(front.Close)
	exp, _ := newFaultExporter(t, front.URL)
	err := exp.Export(context.Background(), makeItems(1, 10))
	if err == nil || !strings.Contains(err.Error(), "600904002") {
		t.Errorf("Export = %v", err)
	}
}

// TestPermanentTransportErrors checks that errors a retry cannot fix fail at
// once: an untrusted TLS certificate, a redirect to an unsupported scheme,
// an HTTP server on an https URL.
func TestPermanentTransportErrors(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { okReply(w) }))
	t.Cleanup(tlsSrv.Close)
	ftp := httptest.NewServer(http.RedirectHandler("ftp://127.0.0.1/v1/traces", http.StatusTemporaryRedirect))
	t.Cleanup(ftp.Close)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { okReply(w) }))
	t.Cleanup(plain.Close)
	for _, tt := range []struct{ name, url, want string }{
		{"certificate", tlsSrv.URL + "/v1/traces", "certificate"},
		{"scheme", ftp.URL + "/v1/traces", "unsupported protocol scheme"},
		{"http server on https", strings.Replace(plain.URL, "http://", "https://", 1) + "/v1/traces", "server gave HTTP response to HTTPS client"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exp, sl := newFaultExporter(t, tt.url)
			items := makeItems(1, 10)
			err := exp.Export(context.Background(), items)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Export = %v, want %q", err, tt.want)
			}
			checkNoSecret(t, err)
			if len(sl.waits()) != 0 {
				t.Errorf("retried: waits %v", sl.waits())
			}
			if d := processors.Dropped(err, len(items)); d[processors.DropExportFailed] != len(items) {
				t.Errorf("dropped = %v", d)
			}
		})
	}
}

// TestDNSErrorRetried checks that an unknown host stays retried (DNS may
// recover, a service may come up).
func TestDNSErrorRetried(t *testing.T) {
	exp, sl := newFaultExporter(t, "http://agenttrace-test.invalid/v1/traces")
	exp.policy.MaxAttempts = 3
	err := exp.Export(context.Background(), makeItems(1, 10))
	if err == nil || len(sl.waits()) != 2 {
		t.Errorf("Export = %v; waits %v, want 2 retries", err, sl.waits())
	}
}

// TestHeaderSpellingsMergeDeterministically checks that header keys are
// canonicalised when merged, so that one Authorization is sent, the Coze
// Loop preset's, however the options spell it.
func TestHeaderSpellingsMergeDeterministically(t *testing.T) {
	for range 5 {
		s := newSink(t, nil)
		exp, err := New(WithCozeLoop("1", "pat_preset"), WithCozeLoopBaseURL(s.URL), WithoutRetry(),
			WithHeaders(map[string]string{"authorization": "Bearer a", "AUTHORIZATION": "Bearer b", "x-team": "a"}))
		if err != nil {
			t.Fatal(err)
		}
		if err := exp.Export(context.Background(), makeItems(1, 1)); err != nil {
			t.Fatal(err)
		}
		exp.Shutdown(context.Background())
		h := s.requests()[0].Header
		if got := h.Values("Authorization"); len(got) != 1 || got[0] != "Bearer pat_preset" || h.Get("X-Team") != "a" {
			t.Fatalf("Authorization = %q, headers %v", got, h)
		}
	}
	got := mergeHeaders(map[string]string{"x-key": "1", "X-Key": "2", "X-KEY": "3"}, nil)
	if len(got) != 1 || got["X-Key"] != "1" {
		t.Errorf("merged = %v, want the last spelling in byte order (x-key) to win", got)
	}
}
