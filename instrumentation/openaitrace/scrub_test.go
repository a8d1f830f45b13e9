package openaitrace

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestScrub(t *testing.T) {
	req, err := http.NewRequest(http.MethodPost, "https://user:hunter2hunter2@gw.example.com/v1/chat/completions?api-key=qk-1234567890", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok-abcdefghijkl")
	req.Header.Set("Api-Key", "azure-0123456789")
	msg := `Post "` + req.URL.String() + `": dial tcp: refused; tok-abcdefghijkl azure-0123456789 sk-proj-AAAA****ZZZZ`
	got := transportError(req, errors.New(msg)).Message
	for _, secret := range []string{"hunter2hunter2", "qk-1234567890", "tok-abcdefghijkl", "azure-0123456789", "AAAA", "ZZZZ"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q left in %q", secret, got)
		}
	}
	if !strings.Contains(got, `"https://gw.example.com/v1/chat/completions"`) {
		t.Errorf("%q lost the URL", got)
	}
}
