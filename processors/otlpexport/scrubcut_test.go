package otlpexport

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// TestEchoedTokenAcrossTheCut checks every path that quotes a reply: a
// token echoed so that it straddles the point where the text is cut never
// shows, in part or whole (it used to keep all but the part past the cut,
// since replies were cut before they were scrubbed).
func TestEchoedTokenAcrossTheCut(t *testing.T) {
	jsonText := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	paths := []struct {
		name   string
		status int
		ct     string
		limit  int
		body   func(text string) []byte
	}{
		{"non-2xx JSON msg", 401, "application/json", maxReplyText,
			func(s string) []byte { return []byte(`{"msg":` + jsonText(s) + `}`) }},
		{"non-2xx JSON code and msg", 403, "application/json", maxReplyText,
			func(s string) []byte { return []byte(`{"code":5,"msg":` + jsonText(s) + `}`) }},
		{"non-2xx text", 403, "text/plain", maxReplyText, func(s string) []byte { return []byte(s) }},
		{"2xx HTML", 200, "text/html", maxHTMLText, func(s string) []byte { return []byte(s) }},
		{"Coze Loop code", 200, "application/json", maxReplyText,
			func(s string) []byte { return []byte(`{"code":600904001,"msg":` + jsonText(s) + `}`) }},
		{"partial success (protobuf)", 200, "application/x-protobuf", maxReplyText, func(s string) []byte {
			b, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{
				RejectedSpans: 1, ErrorMessage: s}})
			return b
		}},
		{"partial success (JSON)", 200, "application/json", maxReplyText, func(s string) []byte {
			return []byte(`{"partialSuccess":{"rejectedSpans":1,"errorMessage":` + jsonText(s) + `}}`)
		}},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			var text atomic.Value
			s := newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", p.ct)
				w.WriteHeader(p.status)
				w.Write(p.body(text.Load().(string)))
			})
			exp, _ := newFaultExporter(t, s.URL)
			cut := p.limit - len(cutMark)
			for start := cut - len(secretToken) - 2; start <= p.limit+1; start++ {
				text.Store(strings.Repeat("x", start) + secretToken + " is not valid")
				err := exp.Export(context.Background(), makeItems(1, 1))
				if err == nil {
					t.Fatalf("token at byte %d: Export = nil", start)
				}
				if msg := err.Error(); strings.Contains(msg, secretToken[:3]) {
					t.Fatalf("token at byte %d: the error shows part of it:\n%s", start, msg)
				}
			}
		})
	}
}

// TestEveryConfiguredValueIsSecret checks that every configured header
// value (whatever the header's name) and every query value of the endpoint
// stay out of errors, as written and as a server may escape them.
func TestEveryConfiguredValueIsSecret(t *testing.T) {
	const (
		team  = "hny_team_key_1234"
		dsn   = "https://dsnT0ken@api.uptrace.dev/1"
		query = "qk_987654321"
		html  = "k<e>y&1234"
	)
	s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString("no route for " + r.URL.RequestURI())
		for k, vs := range r.Header {
			b.WriteString("; " + k + "=" + strings.Join(vs, ","))
		}
		echo, _ := json.Marshal(map[string]string{"error": b.String()}) // escapes <, > and &
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write(echo)
	})
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces?api_key="+query), WithoutRetry(), WithHeaders(map[string]string{
		"x-honeycomb-team": team, "uptrace-dsn": dsn, "X-Odd": html}))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	err = exp.Export(context.Background(), makeItems(1, 1))
	if err == nil {
		t.Fatal("Export = nil")
	}
	msg := err.Error()
	for _, leak := range []string{team, "dsnT0ken", query, "k\\u003ce\\u003ey\\u00261234", html} {
		if strings.Contains(msg, leak) {
			t.Errorf("the error shows %q:\n%s", leak, msg)
		}
	}
	if !strings.Contains(msg, "no route for /v1/traces?[REDACTED]; ") {
		t.Errorf("the error lost the server's text:\n%s", msg)
	}
}
