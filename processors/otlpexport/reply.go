package otlpexport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/internal/retry"
)

// maxReplyText bounds the server's text quoted in errors.
const maxReplyText = 512

// Bounds of the other server text quoted in errors.
const (
	maxStatusText = 128 // the status line
	maxCodeText   = 64  // a Coze Loop code
	maxTypeText   = 128 // a content type
	maxHTMLText   = 120 // the start of a 2xx body that is not OTLP
)

// outcome is what one attempt's reply says.
type outcome struct {
	err      error // the failure, already free of credentials; nil for success
	retry    bool
	after    time.Duration
	rejected int64  // spans the server rejected in a partial success
	message  string // the server's partial-success message, scrubbed
}

// interpret reads a reply: non-2xx statuses fail (429, 408 and 5xx may be
// retried, after Retry-After); a 2xx body may still carry a Coze Loop error
// code or an OTLP partial success. A non-empty 2xx body that is neither an
// OTLP response nor Coze Loop's JSON (an HTML page: the endpoint points at
// a web console or a captive portal) fails, without a retry: nothing says
// the spans arrived. Every piece of the server's text is scrubbed of the
// secrets of sc before it is cut to its bound (see [scrubber.quote]).
func interpret(resp *http.Response, body []byte, sc scrubber) (o outcome) {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := "otlpexport: server replied " + sc.quote(resp.Status, maxStatusText)
		if m := replyMessage(body, sc); m != "" {
			msg += ": " + m
		}
		o.err = errors.New(msg)
		switch {
		case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusRequestTimeout,
			resp.StatusCode >= 500:
			o.retry = true
			o.after = retry.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return o
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return o
	}
	rawCT := resp.Header.Get("Content-Type")
	ct, _, _ := mime.ParseMediaType(rawCT)
	switch {
	case ct == "application/json" || (ct != "application/x-protobuf" && ct != "application/protobuf" && trimmed[0] == '{'):
		if interpretJSON(&o, trimmed, sc) {
			return o
		}
	case ct == "application/x-protobuf" || ct == "application/protobuf" || ct == "":
		var r coltracepb.ExportTraceServiceResponse
		if err := proto.Unmarshal(body, &r); err == nil {
			if ps := r.GetPartialSuccess(); ps != nil {
				o.rejected, o.message = ps.GetRejectedSpans(), sc.quote(ps.GetErrorMessage(), maxReplyText)
			}
			return o
		}
	}
	ctText := "no content type"
	if rawCT != "" {
		ctText = sc.quote(rawCT, maxTypeText)
	}
	msg := fmt.Sprintf("otlpexport: server replied %s with %s, not an OTLP response", sc.quote(resp.Status, maxStatusText), ctText)
	if isText(trimmed) {
		msg += ": " + sc.quote(string(trimmed), maxHTMLText)
	}
	o.err = errors.New(msg)
	return o
}

// interpretJSON reads a JSON reply: Coze Loop's {"code":...,"msg":...},
// which may also be an OTLP/JSON response with a partial success. The code
// is read on its own, so that the other fields' types cannot hide it: any
// code but 0 (a number or a string) fails. It reports false when body is
// not a JSON object.
func interpretJSON(o *outcome, body []byte, sc scrubber) bool {
	var r map[string]json.RawMessage
	if err := json.Unmarshal(body, &r); err != nil || r == nil {
		return false
	}
	if c := jsonCode(r["code"], sc); c != "" {
		msg := "otlpexport: server replied code " + c
		if m := jsonMessage(r["msg"], sc); m != "" {
			msg += ": " + m
		} else if m := jsonMessage(r["message"], sc); m != "" {
			msg += ": " + m
		}
		o.err = errors.New(msg)
		return true
	}
	ps := r["partialSuccess"]
	if len(ps) == 0 {
		ps = r["partial_success"]
	}
	var p map[string]json.RawMessage
	if json.Unmarshal(ps, &p) != nil || p == nil {
		return true
	}
	raw := p["rejectedSpans"]
	if len(raw) == 0 {
		raw = p["rejected_spans"]
	}
	n, _ := strconv.ParseInt(strings.Trim(string(raw), `"`), 10, 64)
	msg := jsonMessage(p["errorMessage"], sc)
	if msg == "" {
		msg = jsonMessage(p["error_message"], sc)
	}
	o.rejected, o.message = n, msg
	return true
}

// jsonCode returns a non-zero Coze Loop code as text (scrubbed and cut), ""
// for none or 0.
func jsonCode(raw json.RawMessage, sc scrubber) string {
	raw = bytes.TrimSpace(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = []byte(strings.TrimSpace(s))
	}
	switch c := string(raw); c {
	case "", "null", "0", `""`:
		return ""
	default:
		if f, err := strconv.ParseFloat(c, 64); err == nil && f == 0 {
			return ""
		}
		return sc.quote(c, maxCodeText)
	}
}

// jsonMessage returns a message field: a string's text, any other value's
// JSON text, scrubbed and cut; "" for none or null.
func jsonMessage(raw json.RawMessage, sc scrubber) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return sc.quote(s, maxReplyText)
	}
	return sc.quote(string(raw), maxReplyText)
}

// replyMessage returns a short, printable excerpt of an error reply,
// scrubbed and cut: the msg or message of a JSON body (with its code), else
// its text.
func replyMessage(body []byte, sc scrubber) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var r map[string]json.RawMessage
	if json.Unmarshal(body, &r) == nil && r != nil {
		m := jsonMessage(r["msg"], sc)
		if m == "" {
			m = jsonMessage(r["message"], sc)
		}
		if c := jsonCode(r["code"], sc); c != "" {
			m = strings.TrimSpace("code " + c + " " + m)
		}
		if m != "" {
			return m
		}
	}
	if !isText(body) {
		return ""
	}
	return sc.quote(string(body), maxReplyText)
}

func isText(b []byte) bool {
	for _, c := range b[:min(len(b), 512)] {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
