package otlpexport

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestTokenRedactedWhateverTheScheme checks that a server echoing the
// credential (bare, with its scheme in any case, or decoded from Basic)
// never puts it into the returned error.
func TestTokenRedactedWhateverTheScheme(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + secretToken))
	for _, tt := range []struct{ name, header, echo string }{
		{"lowercase bearer", "bearer " + secretToken, secretToken},
		{"Token scheme", "Token " + secretToken, secretToken},
		{"BEARER echoed differently", "BEARER " + secretToken, "Bearer " + secretToken},
		{"raw value", secretToken, secretToken},
		{"basic encoded", "Basic " + basic, basic},
		{"basic decoded", "Basic " + basic, "alice:" + secretToken},
		{"basic password", "basic " + basic, secretToken},
		{"spaces around", "  Bearer   " + secretToken + " ", secretToken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusUnauthorized)
				w.Write([]byte(`{"msg":"token ` + tt.echo + ` is not valid"}`))
			})
			exp, err := New(WithEndpointURL(s.URL), WithoutRetry(), WithHeaders(map[string]string{"Authorization": tt.header}))
			if err != nil {
				t.Fatal(err)
			}
			defer exp.Shutdown(context.Background())
			err = exp.Export(context.Background(), makeItems(1, 10))
			if err == nil || strings.Contains(err.Error(), secretToken) || strings.Contains(err.Error(), "alice:") ||
				strings.Contains(err.Error(), basic) || !strings.Contains(err.Error(), "[REDACTED]") {
				t.Errorf("error = %v", err)
			}
		})
	}
}

// TestCozeTokenRedacted checks the Coze Loop preset's token, and a token in
// a header whose name only says "key".
func TestCozeTokenRedacted(t *testing.T) {
	s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"code":600904001,"msg":"bad token ` + secretToken + ` / key k3y_v4lue_0123"}`))
	})
	exp, err := New(WithCozeLoop("1", secretToken), WithCozeLoopBaseURL(s.URL), WithoutRetry(),
		WithHeaders(map[string]string{"X-Api-Key": "k3y_v4lue_0123"}))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	err = exp.Export(context.Background(), makeItems(1, 10))
	if err == nil || strings.Contains(err.Error(), secretToken) || strings.Contains(err.Error(), "k3y_v4lue") || !strings.Contains(err.Error(), "600904001") {
		t.Errorf("error = %v", err)
	}
}

// TestConcurrentFailuresScrubbed checks that concurrent exports failing with
// an echoed token scrub their errors independently (run with -race: the
// exporter's list of secrets is shared).
func TestConcurrentFailuresScrubbed(t *testing.T) {
	s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "denied: "+r.Header.Get("Authorization")+" and "+r.Header.Get("X-Api-Key"), http.StatusForbidden)
	})
	exp, err := New(WithEndpointURL(s.URL), WithoutRetry(),
		WithHeaders(map[string]string{"Authorization": "Bearer " + secretToken, "X-Api-Key": "k3y_v4lue_0123"}))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			err := exp.Export(context.Background(), makeItems(1, 1))
			if err == nil || strings.Contains(err.Error(), secretToken) || strings.Contains(err.Error(), "k3y_v4lue") {
				t.Errorf("error = %v", err)
			}
		})
	}
	wg.Wait()
}
