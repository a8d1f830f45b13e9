package openaiexport

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// fakeOpenAI starts a TLS server on 127.0.0.1 and returns a client that
// dials it for every host, api.openai.com included, and the channel of the
// requests it receives.
func fakeOpenAI(t *testing.T) (*http.Client, chan received) {
	t.Helper()
	reqs := make(chan received, 4)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		reqs <- received{r.Host, r.URL.Path, b}
	}))
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the test server's certificate is not api.openai.com's
	}}
	t.Cleanup(client.CloseIdleConnections)
	return client, reqs
}

type received struct {
	host, path string
	body       []byte
}

// TestDefaultEndpoint posts to DefaultEndpoint, with no option to force the
// payload rules, through a client that dials a TLS server on 127.0.0.1 in
// place of api.openai.com, and checks that the rules applied.
func TestDefaultEndpoint(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "")
	client, reqs := fakeOpenAI(t)
	exp := New(WithHTTPClient(client), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	if exp.Endpoint() != DefaultEndpoint {
		t.Fatalf("Endpoint() = %q", exp.Endpoint())
	}
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Generation{Usage: &spans.Usage{InputTokens: 1, OutputTokens: 2}})
	sp.End()
	tr.End()
	if err := exp.Export(context.Background(), rec.Items()); err != nil {
		t.Fatal(err)
	}
	r := <-reqs
	if r.host != "api.openai.com" || r.path != "/v1/traces/ingest" {
		t.Errorf("posted to %s%s", r.host, r.path)
	}
	usage := data(t, r.body)[1].(map[string]any)["span_data"].(map[string]any)["usage"]
	want := map[string]any{"input_tokens": 1.0, "output_tokens": 2.0, "details": map[string]any{
		"requests": 0.0, "total_tokens": 3.0,
		"input_tokens_details":  map[string]any{"cached_tokens": 0.0, "cache_write_tokens": 0.0},
		"output_tokens_details": map[string]any{"reasoning_tokens": 0.0}}}
	if diff := cmp.Diff(want, usage); diff != "" {
		t.Errorf("usage not rewritten for the default endpoint (-want +got):\n%s", diff)
	}
}

// TestBaseURLDoesNotMoveEndpoint sets OPENAI_BASE_URL to a model vendor's
// server on 127.0.0.1, as the Coze Loop guide does with Volcengine Ark: the
// traces and the key still go to api.openai.com (here a TLS server that
// stands in for it), as in the Python SDK, and the vendor gets nothing.
func TestBaseURLDoesNotMoveEndpoint(t *testing.T) {
	vendor := newCapture(t)
	t.Setenv("OPENAI_BASE_URL", vendor.srv.URL+"/api/v3/")
	client, reqs := fakeOpenAI(t)
	exp := New(WithHTTPClient(client), WithAPIKey("sk-openai"))
	defer exp.Shutdown(context.Background())
	if exp.Endpoint() != DefaultEndpoint {
		t.Errorf("Endpoint() = %q, want %q whatever OPENAI_BASE_URL says", exp.Endpoint(), DefaultEndpoint)
	}
	if !exp.rules {
		t.Errorf("the payload rules must still apply")
	}
	tp, rec := newProvider()
	_, tr := tp.StartTrace(context.Background(), "w")
	tr.End()
	if err := exp.Export(context.Background(), rec.Items()); err != nil {
		t.Fatal(err)
	}
	if r := <-reqs; r.host != "api.openai.com" || r.path != "/v1/traces/ingest" {
		t.Errorf("posted to %s%s", r.host, r.path)
	}
	if n := len(vendor.requests()); n != 0 {
		t.Errorf("the OPENAI_BASE_URL server got %d requests, and the key", n)
	}
	// WithEndpoint is what moves it.
	moved := New(WithEndpoint(vendor.URL()), WithAPIKey("k"))
	defer moved.Shutdown(context.Background())
	if err := moved.Export(context.Background(), rec.Items()); err != nil || len(vendor.requests()) != 1 {
		t.Errorf("WithEndpoint: %v, %d requests", err, len(vendor.requests()))
	}
}
