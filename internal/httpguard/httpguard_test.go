package httpguard

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
)

func req(t *testing.T, raw string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "Bearer k")
	r.Header.Set("X-Other", "v")
	return r
}

func TestRedirectPolicy(t *testing.T) {
	policy := RedirectPolicy([]string{"Authorization"}, nil)
	for _, c := range []struct {
		name     string
		chain    []string // the hops already made, then the next one
		wantErr  error
		keepAuth bool
	}{
		{"same origin, default port written out", []string{"https://a.example/v1", "https://a.example:443/v2"}, nil, true},
		{"another host", []string{"https://a.example/v1", "https://b.example/v1"}, nil, false},
		{"another port", []string{"https://a.example/v1", "https://a.example:8443/v1"}, nil, false},
		{"back at the origin after leaving it", []string{"https://a.example/v1", "https://b.example/v1", "https://a.example/v2"}, nil, false},
		{"https to http", []string{"https://a.example/v1", "http://a.example/v1"}, ErrRedirectToHTTP, true},
		{"http to https on another origin", []string{"http://a.example/v1", "https://a.example/v1"}, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var via []*http.Request
			for _, u := range c.chain[:len(c.chain)-1] {
				via = append(via, req(t, u))
			}
			next := req(t, c.chain[len(c.chain)-1])
			err := policy(next, via)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if got := next.Header.Get("Authorization") != ""; got != c.keepAuth {
				t.Errorf("Authorization kept = %v, want %v", got, c.keepAuth)
			}
			if next.Header.Get("X-Other") == "" {
				t.Error("a header not named was dropped")
			}
		})
	}
}

func TestRedirectPolicyLimitAndNext(t *testing.T) {
	via := make([]*http.Request, 10)
	for i := range via {
		via[i] = req(t, "https://a.example/v1")
	}
	if err := RedirectPolicy(nil, nil)(req(t, "https://a.example/v1"), via); err == nil {
		t.Error("an 11th redirect was followed")
	}
	stop := errors.New("caller's policy")
	err := RedirectPolicy(nil, func(*http.Request, []*http.Request) error { return stop })(req(t, "https://a.example/v1"), via[:1])
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want the caller's policy's", err)
	}
	if err := RedirectPolicy(nil, nil)(req(t, "https://a.example/v1"), nil); err != nil {
		t.Errorf("the first request was refused: %v", err)
	}
}

func TestCleartext(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://collector.example:4318": true,
		"HTTP://10.0.0.1/":              true,
		"https://collector.example":     false,
		"http://localhost:4318":         false,
		"http://LOCALHOST.:4318":        false,
		"http://api.localhost":          false,
		"http://127.0.0.7:4318":         false,
		"http://[::1]:4318":             false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Cleartext(u); got != want {
			t.Errorf("Cleartext(%s) = %v, want %v", raw, got, want)
		}
	}
	if Cleartext(nil) {
		t.Error("Cleartext(nil) = true")
	}
}

func TestValidHeaderValue(t *testing.T) {
	for s, want := range map[string]bool{
		"Bearer sk-abc": true, "a\tb": true, "": true, "ü": true,
		"a\r\nX-Injected: 1": false, "a\x00": false, "a\x7f": false, "\n": false,
	} {
		if got := ValidHeaderValue(s); got != want {
			t.Errorf("ValidHeaderValue(%q) = %v, want %v", s, got, want)
		}
	}
}
