package otlpexport

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestMalformedHeadersVariable checks that a mistyped headers variable is an
// error from New that names the variable and the pair's position and holds
// no byte of the value (the OpenTelemetry client used to log the raw value,
// token and all, and drop the header), and that nothing is logged.
func TestMalformedHeadersVariable(t *testing.T) {
	for _, tt := range []struct{ name, value, want string }{
		{"colon for =", "Authorization: Bearer " + secretToken, "pair 1 (at byte 0) has no \"=\""},
		{"stray percent", "x-team=a,Authorization=Bearer " + secretToken + "%zz", "pair 2 (at byte 9): the value has a malformed percent escape at byte "},
		{"comma in value", "Authorization=Bearer " + secretToken[:8] + "," + secretToken[8:], "pair 2 (at byte 30) has no \"=\""},
		{"CRLF in value", "Authorization=Bearer " + secretToken + "%0D%0AX-Evil:%201", "pair 1 (at byte 0): the value holds a control character"},
		{"key with a space", "Author ization=Bearer " + secretToken, "pair 1 (at byte 0): the key is empty or not an HTTP header name"},
		{"empty key", "=Bearer " + secretToken, "pair 1 (at byte 0): the key is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			logs := captureLog(t)
			s := newSink(t, nil)
			t.Setenv(EnvTracesEndpoint, s.URL+"/v1/traces")
			t.Setenv(EnvHeaders, tt.value)
			exp, err := New()
			if err == nil {
				exp.Shutdown(context.Background())
				t.Fatalf("New accepted %s=%q", EnvHeaders, tt.value)
			}
			msg := err.Error()
			if !strings.Contains(msg, EnvHeaders+": "+tt.want) {
				t.Errorf("error %q, want it to contain %q", msg, tt.want)
			}
			for _, leak := range []string{secretToken[:6], secretToken[len(secretToken)-6:], "Bearer", "Author", "X-Evil"} {
				if strings.Contains(msg, leak) {
					t.Errorf("error %q quotes the value (%q)", msg, leak)
				}
			}
			if l := logs(); l != "" {
				t.Errorf("logged: %s", l)
			}
		})
	}
}

// TestHeadersVariableParsed checks the variable's accepted forms: a raw
// space after Bearer, percent escapes, spaces around keys and values, a
// trailing comma; and that the traces variable replaces the generic one, so
// that a malformed generic one is not read.
func TestHeadersVariableParsed(t *testing.T) {
	clearEnv(t)
	s := newSink(t, nil)
	t.Setenv(EnvTracesEndpoint, s.URL+"/v1/traces")
	t.Setenv(EnvHeaders, "Authorization: broken")
	t.Setenv(EnvTracesHeaders, " Authorization = Bearer pat_a%2Cb , x-team=%E5%9B%A2 ,")
	exp, err := New(WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	exportOne(t, exp)
	reqs := s.requests()
	if len(reqs) == 0 {
		t.Fatal("no request")
	}
	if h := reqs[0].Header; h.Get("Authorization") != "Bearer pat_a,b" || h.Get("X-Team") != "团" {
		t.Errorf("headers %v", h)
	}
}

// TestControlCharactersRejectedAtNew checks that a header value net/http
// would refuse (CR, LF, NUL) fails New with an error naming the header or
// the variable, never the value, instead of failing every request and
// burning each export's retries.
func TestControlCharactersRejectedAtNew(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		opts []Option
		want string
	}{
		{"WithHeaders CRLF", nil, []Option{WithHeaders(map[string]string{"Authorization": "Bearer " + secretToken + "\r\nX-Evil: 1"})},
			`WithHeaders: the value of the header "Authorization" holds a control character`},
		{"WithHeaders NUL", nil, []Option{WithHeaders(map[string]string{"x-api-key": secretToken + "\x00"})},
			`WithHeaders: the value of the header "x-api-key" holds a control character`},
		{"WithHeaders bad name", nil, []Option{WithHeaders(map[string]string{"x api key": secretToken})},
			`WithHeaders: the header name "x api key" is not an HTTP header name`},
		{"WithCozeLoop token inner", nil, []Option{WithCozeLoop("7486", secretToken+"\nX-Evil: 1")},
			"WithCozeLoop: the workspace id or the token holds a control character"},
		{"COZELOOP_API_TOKEN", map[string]string{EnvCozeWorkspaceID: "7486", EnvCozeAPIToken: secretToken + "\r\nX: 1"}, nil,
			EnvCozeWorkspaceID + " or " + EnvCozeAPIToken + " holds a control character"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			var hits atomic.Int32
			s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) { hits.Add(1); okReply(w) })
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			opts := append([]Option{WithCozeLoopBaseURL(s.URL)}, tt.opts...)
			if tt.env == nil && !strings.HasPrefix(tt.name, "WithCozeLoop") {
				opts = append(opts, WithEndpointURL(s.URL))
			}
			exp, err := New(opts...)
			if err == nil {
				exportOne(t, exp)
				t.Fatalf("New accepted the value; the server saw %d requests", hits.Load())
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), secretToken[:6]) {
				t.Errorf("error %q, want %q and no token", err, tt.want)
			}
		})
	}
}
