package otlpexport

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
)

// replySink answers every request with status 200, the content type ct and
// body.
func replySink(t *testing.T, ct, body string) *sink {
	return newSink(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		} else {
			w.Header()["Content-Type"] = nil // no sniffing
		}
		w.Write([]byte(body))
	})
}

// TestCozeCodeHiddenByFieldType checks that a non-zero Coze Loop code fails
// the export whatever the types of the reply's other fields.
func TestCozeCodeHiddenByFieldType(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{`{"code":600904002,"msg":{"zh":"无效的 workspace_id","en":"invalid workspace_id"}}`,
			`code 600904002: {"zh":"无效的 workspace_id","en":"invalid workspace_id"}`},
		{`{"code":600904004,"msg":"json Unmarshal err","partial_success":[]}`, "code 600904004: json Unmarshal err"},
		{`{"code":"600904002","msg":"invalid workspace_id"}`, "code 600904002: invalid workspace_id"},
		{`{"code":7,"msg":null,"partialSuccess":"x"}`, "code 7"},
		{`{"code":true}`, "code true"},
	} {
		exp, sl := newFaultExporter(t, replySink(t, "application/json", tt.body).URL)
		items := makeItems(1, 10)
		err := exp.Export(context.Background(), items)
		if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("reply %s: Export = %v, want an error ending %q", tt.body, err, tt.want)
		}
		if len(sl.waits()) != 0 {
			t.Errorf("reply %s: retried", tt.body)
		}
	}
}

// TestCozeSuccessReplies checks replies that are successes: code 0 in any
// form, an empty OTLP/JSON response, a partial success with odd field types.
func TestCozeSuccessReplies(t *testing.T) {
	for _, body := range []string{`{"code":0,"msg":"success"}`, `{"code":"0"}`, `{}`, `{"code":0,"partial_success":[]}`,
		`{"code":null,"msg":{"x":1}}`, `{"partialSuccess":{}}`} {
		exp, _ := newFaultExporter(t, replySink(t, "application/json", body).URL)
		if err := exp.Export(context.Background(), makeItems(1, 10)); err != nil {
			t.Errorf("reply %s: Export = %v", body, err)
		}
	}
	exp, _ := newFaultExporter(t, replySink(t, "application/json", `{"code":0,"partial_success":{"rejected_spans":1,"error_message":{"why":"old"}}}`).URL)
	items := makeItems(1, 10)
	err := exp.Export(context.Background(), items)
	if err == nil || !strings.Contains(err.Error(), `{"why":"old"}`) {
		t.Errorf("partial success: %v", err)
	}
	if diff := cmp.Diff(map[processors.DropReason]int{processors.DropRejected: 1}, processors.Dropped(err, len(items))); diff != "" {
		t.Errorf("dropped (-want +got):\n%s", diff)
	}
}

// TestNonOTLPReplyFails checks that a non-empty 2xx reply that is neither an
// OTLP response nor Coze Loop's JSON (an HTML page from a web console or a
// captive portal, say) fails at once, with its content type and an excerpt.
func TestNonOTLPReplyFails(t *testing.T) {
	html := `<!DOCTYPE html><html><head><title>Coze Loop</title></head><body><div id="root"></div></body></html>`
	for _, tt := range []struct{ ct, body, want string }{
		{"text/html; charset=utf-8", html, `text/html; charset=utf-8, not an OTLP response: <!DOCTYPE html><html><head><title>Coze Loop`},
		{"text/plain", "OK", `text/plain, not an OTLP response: OK`},
		{"", "hello", `no content type, not an OTLP response: hello`},
		{"application/x-protobuf", "\xff\xff\xff", `application/x-protobuf, not an OTLP response`},
		{"application/json", `{"code":`, `application/json, not an OTLP response: {"code":`},
		{"application/json", `["ok"]`, `application/json, not an OTLP response: ["ok"]`},
	} {
		exp, sl := newFaultExporter(t, replySink(t, tt.ct, tt.body).URL)
		items := makeItems(1, 10)
		err := exp.Export(context.Background(), items)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("reply %q %q: Export = %v, want %q", tt.ct, tt.body, err, tt.want)
			continue
		}
		if len(sl.waits()) != 0 {
			t.Errorf("reply %q: retried", tt.body)
		}
		if d := processors.Dropped(err, len(items)); d[processors.DropExportFailed] != len(items) {
			t.Errorf("dropped = %v", d)
		}
	}
}
