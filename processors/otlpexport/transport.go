package otlpexport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/processors"
)

// The OpenTelemetry client (otlptracehttp) builds, compresses and posts the
// request, but it ignores the body of a 2xx reply (Coze Loop answers errors
// with HTTP 200 and {"code":...,"msg":...}) and does not retry refused or
// reset connections. So it runs with its own retries off, over an
// [inspector] transport that reads every reply into an [outcome]; Exporter
// retries around it with internal/retry.

// maxReplyBytes bounds how much of a reply body is read.
const maxReplyBytes = 64 << 10

// outcome is what the inspector learned about one attempt.
type outcome struct {
	seen     bool  // a reply or a transport error was observed
	err      error // the failure, already free of credentials; nil for success
	retry    bool
	after    time.Duration
	rejected int64  // spans the server rejected in a partial success
	message  string // the server's partial-success message
}

type outcomeKey struct{}

// inspector is the http.RoundTripper under the OpenTelemetry client. It
// interprets the reply, records it in the request context's outcome, and
// hands the client an empty 200 so that the outcome alone decides.
type inspector struct{ base http.RoundTripper }

// RoundTrip sends req through the base transport and records the reply.
func (t *inspector) RoundTrip(req *http.Request) (*http.Response, error) {
	o, _ := req.Context().Value(outcomeKey{}).(*outcome)
	resp, err := t.base.RoundTrip(req)
	if o == nil {
		return resp, err
	}
	o.seen = true
	if err != nil {
		// Refused, reset and timed-out connections may succeed later;
		// the context bounds the retries.
		o.err = &scrubbed{msg: "otlpexport: " + scrub(err.Error(), req.Header), err: err}
		o.retry = req.Context().Err() == nil
		return nil, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	resp.Body.Close()
	interpret(o, resp, body)
	if o.err != nil {
		o.err = errors.New(scrub(o.err.Error(), req.Header))
	}
	o.message = scrub(o.message, req.Header)
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
		Header: http.Header{}, Body: http.NoBody, ContentLength: 0, Request: req,
	}, nil
}

// interpret reads a reply: non-2xx statuses fail (429, 408 and 5xx may be
// retried, after Retry-After); a 2xx body may still carry a Coze Loop error
// code or an OTLP partial success.
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
	if len(bytes.TrimSpace(body)) == 0 {
		return
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	trimmed := bytes.TrimSpace(body)
	if ct == "application/json" || (ct != "application/x-protobuf" && trimmed[0] == '{') {
		interpretJSON(o, trimmed)
		return
	}
	var r coltracepb.ExportTraceServiceResponse
	if err := proto.Unmarshal(body, &r); err != nil {
		return // an unreadable 2xx body is not a reason to resend
	}
	if ps := r.GetPartialSuccess(); ps != nil {
		o.rejected, o.message = ps.GetRejectedSpans(), clipText(ps.GetErrorMessage(), 512)
	}
}

// cozeReply is Coze Loop's JSON reply, which may also be an OTLP/JSON
// response with a partial success.
type cozeReply struct {
	Code           json.Number  `json:"code"`
	Msg            string       `json:"msg"`
	PartialSuccess *jsonPartial `json:"partialSuccess"`
	PartialSnake   *jsonPartial `json:"partial_success"`
}

type jsonPartial struct {
	RejectedSpans      json.RawMessage `json:"rejectedSpans"`
	RejectedSpansSnake json.RawMessage `json:"rejected_spans"`
	ErrorMessage       string          `json:"errorMessage"`
	ErrorMessageSnake  string          `json:"error_message"`
}

func interpretJSON(o *outcome, body []byte) {
	var r cozeReply
	if err := json.Unmarshal(body, &r); err != nil {
		return
	}
	if c := r.Code.String(); c != "" && c != "0" {
		msg := "otlpexport: server replied code " + c
		if r.Msg != "" {
			msg += ": " + clipText(r.Msg, 512)
		}
		o.err = errors.New(msg)
		return
	}
	ps := r.PartialSuccess
	if ps == nil {
		ps = r.PartialSnake
	}
	if ps == nil {
		return
	}
	raw := ps.RejectedSpans
	if len(raw) == 0 {
		raw = ps.RejectedSpansSnake
	}
	n, _ := strconv.ParseInt(strings.Trim(string(raw), `"`), 10, 64)
	msg := ps.ErrorMessage
	if msg == "" {
		msg = ps.ErrorMessageSnake
	}
	o.rejected, o.message = n, clipText(msg, 512)
}

// replyMessage returns a short, printable excerpt of an error reply: the
// msg or message of a JSON body, else its text.
func replyMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var j struct {
		Code    json.Number `json:"code"`
		Msg     string      `json:"msg"`
		Message string      `json:"message"`
	}
	if json.Unmarshal(body, &j) == nil {
		m := j.Msg
		if m == "" {
			m = j.Message
		}
		if c := j.Code.String(); c != "" && c != "0" {
			m = strings.TrimSpace("code " + c + " " + m)
		}
		if m != "" {
			return clipText(m, 512)
		}
	}
	if !isText(body) {
		return ""
	}
	return clipText(string(body), 512)
}

func isText(b []byte) bool {
	for _, c := range b[:min(len(b), 512)] {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}

// scrubbed is an error whose message has been scrubbed of credentials while
// errors.Is and errors.As still see the cause (context.DeadlineExceeded, say).
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// scrub removes the values of credential-bearing request headers
// (Authorization, and any header naming a token, key or secret) from msg.
func scrub(msg string, h http.Header) string {
	for k, vs := range h {
		lk := strings.ToLower(k)
		if lk != "authorization" && !strings.Contains(lk, "token") &&
			!strings.Contains(lk, "key") && !strings.Contains(lk, "secret") &&
			!strings.Contains(lk, "auth") {
			continue
		}
		for _, v := range vs {
			for _, s := range []string{v, strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(v, "Bearer "), "Basic "))} {
				if len(s) >= 4 {
					msg = strings.ReplaceAll(msg, s, "[REDACTED]")
				}
			}
		}
	}
	return msg
}

// send posts one request's spans, retrying as the policy allows within ctx.
func (e *Exporter) send(ctx context.Context, spans []*tracepb.Span) error {
	req := []*tracepb.ResourceSpans{{
		Resource:   e.resource,
		ScopeSpans: []*tracepb.ScopeSpans{{Scope: e.scope, Spans: spans}},
	}}
	var last outcome
	var mu sync.Mutex // the client may run the transport on another goroutine
	err := e.policy.Do(ctx, e.sleep, func(ctx context.Context) error {
		o := &outcome{}
		upErr := e.client.UploadTraces(context.WithValue(ctx, outcomeKey{}, o), req)
		mu.Lock()
		defer mu.Unlock()
		last = *o
		switch {
		case o.err != nil:
			if o.retry {
				return retry.Retryable(o.err, o.after)
			}
			return retry.Permanent(o.err)
		case !o.seen && upErr != nil:
			if ctx.Err() != nil {
				return retry.Permanent(ctx.Err())
			}
			return retry.Permanent(fmt.Errorf("otlpexport: %w", upErr))
		}
		return nil
	})
	if err != nil {
		return &processors.PartialError{Dropped: len(spans), Reason: processors.DropExportFailed, Err: err}
	}
	mu.Lock()
	defer mu.Unlock()
	if last.rejected > 0 || last.message != "" {
		n := int(min(last.rejected, int64(len(spans))))
		msg := "otlpexport: server rejected " + strconv.FormatInt(last.rejected, 10) + " spans"
		if last.message != "" {
			msg += ": " + last.message
		}
		return &processors.PartialError{Dropped: n, Reason: processors.DropRejected, Err: errors.New(msg)}
	}
	return nil
}

// overhead is the size of a request without its spans.
func (e *Exporter) overhead() int {
	req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource:   e.resource,
		ScopeSpans: []*tracepb.ScopeSpans{{Scope: e.scope}},
	}}}
	// Room for the length prefixes of the two enclosing messages to grow
	// up to 5 bytes each when the spans are added.
	return proto.Size(req) + 16
}

// split groups spans into requests whose encoded size stays within limit.
// A span that alone does not fit is left out and counted.
func split(spans []*tracepb.Span, limit, overhead int) (chunks [][]*tracepb.Span, tooLarge int) {
	size := overhead
	var cur []*tracepb.Span
	for _, s := range spans {
		// An upper bound, cheap to compute, is enough unless it says the
		// span is too large alone: then measure it exactly.
		n := estimateSize(s)
		if overhead+n > limit {
			n = proto.Size(s)
			n += 1 + varintLen(n) // field tag and length prefix
			if overhead+n > limit {
				tooLarge++
				continue
			}
		}
		if size+n > limit && len(cur) > 0 {
			chunks = append(chunks, cur)
			cur, size = nil, overhead
		}
		cur = append(cur, s)
		size += n
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks, tooLarge
}

func varintLen(n int) int {
	l := 1
	for n >= 0x80 {
		n >>= 7
		l++
	}
	return l
}

// estimateSize returns an upper bound of the encoded size of s within a
// ScopeSpans, its tag and length prefix included, without the reflection
// that proto.Size costs. Each field is counted with the largest tag and
// length prefix it can have.
func estimateSize(s *tracepb.Span) int {
	n := 6 + 18 + 10 + 10 + 18 + 6 + len(s.GetName()) + 2 + 2*9 + 6 + len(s.GetTraceState()) + 6
	n += attrsSize(s.GetAttributes())
	for _, ev := range s.GetEvents() {
		n += 6 + 9 + 6 + len(ev.GetName()) + attrsSize(ev.GetAttributes())
	}
	for _, l := range s.GetLinks() {
		n += 6 + 18 + 10 + 6 + len(l.GetTraceState()) + attrsSize(l.GetAttributes()) + 12
	}
	if st := s.GetStatus(); st != nil {
		n += 6 + 6 + len(st.GetMessage()) + 2
	}
	return n
}

func attrsSize(kvs []*commonpb.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		// KeyValue, key and AnyValue headers, then the value.
		n += 6 + 6 + len(kv.GetKey()) + 6 + valueSize(kv.GetValue())
	}
	return n
}

func valueSize(v *commonpb.AnyValue) int {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return 6 + len(x.StringValue)
	case *commonpb.AnyValue_BytesValue:
		return 6 + len(x.BytesValue)
	case *commonpb.AnyValue_ArrayValue:
		n := 6
		for _, e := range x.ArrayValue.GetValues() {
			n += 6 + valueSize(e)
		}
		return n
	case *commonpb.AnyValue_KvlistValue:
		return 6 + attrsSize(x.KvlistValue.GetValues())
	}
	return 11 // a varint or fixed64 and its tag
}
