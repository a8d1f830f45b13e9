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

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/internal/retry"
)

// maxReplyText bounds the server's text quoted in errors.
const maxReplyText = 512

// interpret reads a reply: non-2xx statuses fail (429, 408 and 5xx may be
// retried, after Retry-After); a 2xx body may still carry a Coze Loop error
// code or an OTLP partial success. A non-empty 2xx body that is neither an
// OTLP response nor Coze Loop's JSON (an HTML page: the endpoint points at
// a web console or a captive portal) fails, without a retry: nothing says
// the spans arrived.
func interpret(o *outcome, resp *http.Response, body []byte) {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := fmt.Sprintf("otlpexport: server replied %s", resp.Status)
		if m := replyMessage(body); m != "" {
			msg += ": " + m
		}
		o.err = errors.New(msg)
		switch {
		case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusRequestTimeout,
			resp.StatusCode >= 500:
			o.retry = true
			o.after = retry.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return
	}
	rawCT := resp.Header.Get("Content-Type")
	ct, _, _ := mime.ParseMediaType(rawCT)
	switch {
	case ct == "application/json" || (ct != "application/x-protobuf" && ct != "application/protobuf" && trimmed[0] == '{'):
		if interpretJSON(o, trimmed) {
			return
		}
	case ct == "application/x-protobuf" || ct == "application/protobuf" || ct == "":
		var r coltracepb.ExportTraceServiceResponse
		if err := proto.Unmarshal(body, &r); err == nil {
			if ps := r.GetPartialSuccess(); ps != nil {
				o.rejected, o.message = ps.GetRejectedSpans(), clip.Text(ps.GetErrorMessage(), maxReplyText)
			}
			return
		}
	}
	if rawCT == "" {
		rawCT = "no content type"
	}
	msg := fmt.Sprintf("otlpexport: server replied %s with %s, not an OTLP response", resp.Status, clip.Text(rawCT, 128))
	if isText(trimmed) {
		msg += ": " + clip.Text(string(trimmed), 120)
	}
	o.err = errors.New(msg)
}

// interpretJSON reads a JSON reply: Coze Loop's {"code":...,"msg":...},
// which may also be an OTLP/JSON response with a partial success. The code
// is read on its own, so that the other fields' types cannot hide it: any
// code but 0 (a number or a string) fails. It reports false when body is
// not a JSON object.
func interpretJSON(o *outcome, body []byte) bool {
	var r map[string]json.RawMessage
	if err := json.Unmarshal(body, &r); err != nil || r == nil {
		return false
	}
	if c := jsonCode(r["code"]); c != "" {
		msg := "otlpexport: server replied code " + c
		if m := jsonMessage(r["msg"]); m != "" {
			msg += ": " + m
		} else if m := jsonMessage(r["message"]); m != "" {
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
	msg := jsonMessage(p["errorMessage"])
	if msg == "" {
		msg = jsonMessage(p["error_message"])
	}
	o.rejected, o.message = n, msg
	return true
}

// jsonCode returns a non-zero Coze Loop code as text, "" for none or 0.
func jsonCode(raw json.RawMessage) string {
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
		return clip.Text(c, 64)
	}
}

// jsonMessage returns a message field: a string's text, any other value's
// JSON text, clipped; "" for none or null.
func jsonMessage(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return clip.Text(s, maxReplyText)
	}
	return clip.Text(string(raw), maxReplyText)
}

// replyMessage returns a short, printable excerpt of an error reply: the
// msg or message of a JSON body (with its code), else its text.
func replyMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var r map[string]json.RawMessage
	if json.Unmarshal(body, &r) == nil && r != nil {
		m := jsonMessage(r["msg"])
		if m == "" {
			m = jsonMessage(r["message"])
		}
		if c := jsonCode(r["code"]); c != "" {
			m = strings.TrimSpace("code " + c + " " + m)
		}
		if m != "" {
			return clip.Text(m, maxReplyText)
		}
	}
	if !isText(body) {
		return ""
	}
	return clip.Text(string(body), maxReplyText)
}

func isText(b []byte) bool {
	for _, c := range b[:min(len(b), 512)] {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
