package openaiexport

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
)

// TestKeyInStatusLineRedacted has a proxy put the credential in its reason
// phrase, which reaches the error and the log of every attempt.
func TestKeyInStatusLineRedacted(t *testing.T) {
	const key = "sk-secret-status-line-0123456789"
	for _, status := range []string{"502 Bad upstream auth Bearer " + key, "401 Rejected " + key} {
		url := rawServer(t, "HTTP/1.1 "+status+"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		logger, logs := logBuffer()
		var w noWait
		exp := New(WithEndpoint(url), WithAPIKey(key), WithLogger(logger))
		exp.sleep = w.sleep
		err := exp.Export(context.Background(), oneSpan(t))
		exp.Shutdown(context.Background())
		if err == nil {
			t.Fatal("want an error")
		}
		if strings.Contains(err.Error(), key) || strings.Contains(logs.String(), key) {
			t.Errorf("%s: key leaked:\nerr: %v\nlogs: %s", status, err, logs)
		}
		if !strings.Contains(err.Error(), "[REDACTED]") || strings.Count(logs.String(), "[REDACTED]") == 0 {
			t.Errorf("%s: status line lost:\nerr: %v\nlogs: %s", status, err, logs)
		}
	}
}

// TestKeyCutAtSnippetLimitRedacted has the server echo the key at every
// position around the point where the quoted body is cut, and checks that no
// part of it, however short, is quoted.
func TestKeyCutAtSnippetLimitRedacted(t *testing.T) {
	const key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij"
	var mu sync.Mutex
	var answer string
	srv := newCapture(t)
	srv.answer = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, answer)
	}
	var bodies []string
	for start := maxErrorBody - len(key) - 2; start <= maxErrorBody+2; start++ {
		bodies = append(bodies, strings.Repeat("x", start)+key+strings.Repeat("y", 40))
	}
	// Whole echoes before the cut shrink the text when redacted, pulling in
	// the start of an echo read only in part.
	for start := maxErrorBody + len(key) - 20; start <= maxErrorBody+len(key)+2; start++ {
		head := strings.Repeat(key, 5)
		bodies = append(bodies, head+strings.Repeat("x", start-len(head))+key+strings.Repeat("y", 40))
	}
	// Only the snippet's marker and filler may remain.
	onlyFiller := regexp.MustCompile(`^[xy]*$`)
	for _, b := range bodies {
		mu.Lock()
		answer = b
		mu.Unlock()
		logger, logs := logBuffer()
		exp := New(WithEndpoint(srv.URL()), WithAPIKey(key), WithLogger(logger))
		err := exp.Export(context.Background(), oneSpan(t))
		exp.Shutdown(context.Background())
		if err == nil {
			t.Fatal("want an error")
		}
		_, snippet, ok := strings.Cut(err.Error(), "401 Unauthorized: ")
		if !ok || !onlyFiller.MatchString(strings.ReplaceAll(snippet, "[REDACTED]", "")) {
			t.Errorf("key echoed at %d: part of it quoted: ...%s", strings.LastIndex(b, key), snippet[max(len(snippet)-70, 0):])
		}
		if !strings.HasPrefix(snippet, "x") && !strings.HasPrefix(snippet, "[REDACTED]") {
			t.Errorf("the server's answer was lost: %q", snippet)
		}
		if strings.Contains(logs.String(), key[:3]) {
			t.Errorf("key echoed at %d: part of it logged:\n%s", strings.LastIndex(b, key), logs)
		}
	}
}

// TestKeyEchoedInAuthorizationCutRedacted is the straddling echo of the full
// Authorization header, as a proxy would send it.
func TestKeyEchoedInAuthorizationCutRedacted(t *testing.T) {
	const key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij"
	srv := newCapture(t)
	srv.answer = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "%s%s", strings.Repeat("x", maxErrorBody-30), r.Header.Get("Authorization"))
	}
	logger, logs := logBuffer()
	exp := New(WithEndpoint(srv.URL()), WithAPIKey(key), WithLogger(logger))
	defer exp.Shutdown(context.Background())
	err := exp.Export(context.Background(), oneSpan(t))
	if err == nil {
		t.Fatal("want an error")
	}
	if s := err.Error() + logs.String(); strings.Contains(s, key[:3]) {
		t.Errorf("a prefix of the key leaked: ...%s", err.Error()[len(err.Error())-40:])
	}
	if !strings.HasSuffix(err.Error(), "Bearer [REDACTED]") {
		t.Errorf("error does not end in the redacted echo: ...%s", err.Error()[len(err.Error())-40:])
	}
}

// TestEndpointPasswordNeverQuoted uses an endpoint that does not parse: the
// parse error, which quotes the URL, must not reach errors or logs.
func TestEndpointPasswordNeverQuoted(t *testing.T) {
	const pw = "hunter2-proxy-password"
	logger, logs := logBuffer()
	exp := New(WithEndpoint("http://user:"+pw+"@proxy.invalid:port/v1/traces/ingest"), WithAPIKey("sk-long-enough-key"), WithLogger(logger))
	defer exp.Shutdown(context.Background())
	items := oneSpan(t)
	err := exp.Export(context.Background(), items)
	if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropExportFailed: 2}) {
		t.Errorf("Dropped = %v (err %v)", got, err)
	}
	if s := err.Error() + logs.String(); strings.Contains(s, pw) || strings.Contains(s, "user") || strings.Contains(s, "proxy.invalid") {
		t.Errorf("endpoint quoted:\nerr: %v\nlogs: %s", err, logs)
	}
	if !strings.Contains(err.Error(), "invalid endpoint URL") {
		t.Errorf("error %v does not say what is wrong", err)
	}
	if n := strings.Count(logs.String(), "attempt failed"); n != 1 {
		t.Errorf("%d attempts logged, want 1: a URL that does not parse is not retried", n)
	}
}

// TestEndpointUserinfoNeverQuoted puts a token in the endpoint's user name,
// and a password, and checks that neither appears in errors or logs, for an
// error answer and for a network error, while the POST itself is made.
func TestEndpointUserinfoNeverQuoted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	srv := newCapture(t, 500, 500, 500, 500, 500, 500)
	host := strings.TrimPrefix(srv.srv.URL, "http://")
	for _, tc := range []struct {
		userinfo string
		secrets  []string
	}{
		{"tok-secret-3", []string{"tok-secret-3"}},
		{"name-secret-4:pw-secret-5", []string{"name-secret-4", "pw-secret-5"}},
		{"esc%40name-6:p%2Fw-7", []string{"esc@name-6", "esc%40name-6", "p/w-7", "p%2Fw-7"}},
	} {
		for _, addr := range []string{host, refused} {
			logger, logs := logBuffer()
			var w noWait
			exp := New(WithEndpoint("http://"+tc.userinfo+"@"+addr+"/v1/traces/ingest"), WithAPIKey("sk-long-enough-key"),
				WithLogger(logger), WithMaxAttempts(1))
			exp.sleep = w.sleep
			err := exp.Export(context.Background(), oneSpan(t))
			exp.Shutdown(context.Background())
			if err == nil {
				t.Fatal("want an error")
			}
			for _, s := range tc.secrets {
				if strings.Contains(err.Error(), s) || strings.Contains(logs.String(), s) {
					t.Errorf("%s@%s: %q leaked:\nerr: %v\nlogs: %s", tc.userinfo, addr, s, err, logs)
				}
			}
			if want := "POST http://" + addr + "/v1/traces/ingest"; !strings.Contains(err.Error(), want) {
				t.Errorf("error %v does not name the endpoint as %q", err, want)
			}
		}
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if a := r.Header.Get("Authorization"); a != "Bearer sk-long-enough-key" {
			t.Errorf("Authorization %q", a)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://api.openai.com/v1/traces/ingest", "https://api.openai.com/v1/traces/ingest"},
		{"http://tok@proxy:8080/v1/traces/ingest?key=secret", "http://proxy:8080/v1/traces/ingest?[REDACTED]"},
		{"http://user:pw@proxy/p", "http://proxy/p"},
		{"http://user:pw@proxy:port/p", "(invalid endpoint URL)"},
	} {
		e := New(WithEndpoint(tc.in))
		if e.safeEndpoint != tc.want || e.Endpoint() != tc.want {
			t.Errorf("safe endpoint of %q = %q (Endpoint() %q), want %q", tc.in, e.safeEndpoint, e.Endpoint(), tc.want)
		}
	}
}

func TestRedactorSnippet(t *testing.T) {
	r := redactor{"sk-abcdef", "k2"}
	for _, tc := range []struct{ body, want string }{
		{"short sk-abcdef answer", "short [REDACTED] answer"},
		{strings.Repeat("x", maxErrorBody-3) + "sk-abcdef", strings.Repeat("x", maxErrorBody-3) + "[REDACTED]"},
		{strings.Repeat("x", maxErrorBody-1) + "s" + strings.Repeat("z", 20), strings.Repeat("x", maxErrorBody-1) + "[REDACTED]"},
		{strings.Repeat("x", maxErrorBody-1) + "k2", strings.Repeat("x", maxErrorBody-1) + "[REDACTED]"},
		{strings.Repeat("x", maxErrorBody) + "sk", strings.Repeat("x", maxErrorBody)},
		{strings.Repeat("x", maxErrorBody) + "\n", strings.Repeat("x", maxErrorBody)},
		// An answer of exactly the limit is not cut: its end is kept.
		{strings.Repeat("x", maxErrorBody-1) + "s", strings.Repeat("x", maxErrorBody-1) + "s"},
	} {
		if got := r.snippet(strings.NewReader(tc.body)); got != tc.want {
			t.Errorf("snippet(...%q) = ...%q, want ...%q", tc.body[max(len(tc.body)-20, 0):], got[max(len(got)-20, 0):], tc.want[max(len(tc.want)-20, 0):])
		}
	}
	// A secret straddling the limit is read whole, so it is redacted whole
	// and what follows it is quoted up to the limit.
	long := strings.Repeat("S", 60)
	r = redactor{long}
	for _, tc := range []struct{ body, want string }{
		{strings.Repeat("x", 480) + long + strings.Repeat("y", 100), strings.Repeat("x", 480) + "[REDACTED]" + strings.Repeat("y", 22)},
		{strings.Repeat("x", 500) + long + long + "y", strings.Repeat("x", 500) + "[REDACTED][REDACTED]"},
	} {
		if got := r.snippet(strings.NewReader(tc.body)); got != tc.want {
			t.Errorf("snippet(...%q) = ...%q, want ...%q", tc.body[max(len(tc.body)-20, 0):], got[max(len(got)-20, 0):], tc.want[max(len(tc.want)-20, 0):])
		}
	}
}

// TestUserinfoRedacted checks the second line of defence: the endpoint's
// user information is redacted wherever it appears, as given and escaped,
// except parts too short to redact without mangling every message.
func TestUserinfoRedacted(t *testing.T) {
	r := New(WithEndpoint("http://esc%40name:p%2Fss-word@proxy/p"), WithAPIKey("sk-exporter-key")).redactorFor("sk-trace-key")
	in := "a esc@name b esc%40name c p/ss-word d p%2Fss-word e sk-exporter-key f sk-trace-key g"
	want := "a [REDACTED] b [REDACTED] c [REDACTED] d [REDACTED] e [REDACTED] f [REDACTED] g"
	if got := r.redact(in); got != want {
		t.Errorf("redact(%q) = %q, want %q", in, got, want)
	}
	short := New(WithEndpoint("http://u:pw@proxy/p"), WithAPIKey("sk-exporter-key")).redactorFor("")
	if got := short.redact("http upw"); got != "http upw" {
		t.Errorf("short user information redacted: %q", got)
	}
}
