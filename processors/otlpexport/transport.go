package otlpexport

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/internal/safetext"
	"github.com/agenttrace/agenttrace-go/processors"
)

// The exporter posts its requests itself (protobuf, gzip, headers) rather
// than through the OpenTelemetry client (otlptracehttp): that client parses
// OTEL_EXPORTER_OTLP_HEADERS on its own and logs a malformed value, token
// and all, to stderr; it lets OTEL_EXPORTER_OTLP_INSECURE turn an https://
// endpoint into http://; it ignores the body of a 2xx reply (Coze Loop
// answers errors with HTTP 200 and {"code":...,"msg":...}); and it does not
// retry refused or reset connections. Exporter retries with internal/retry.

// maxReplyBytes bounds how much of a reply body is read.
const maxReplyBytes = 64 << 10

// userAgent is sent with every request.
const userAgent = "agenttrace-go-otlpexport/" + Version

// poster sends request bodies to the endpoint.
type poster struct {
	client   *http.Client
	endpoint *url.URL    // without user information
	headers  http.Header // the configured headers, sent to the endpoint's origin only
	gzip     bool
	scrub    scrubber
	// own is the transport New made, whose idle connections Shutdown
	// closes; nil when the caller's client was given.
	own *http.Transport
	// spare holds the buffers of the last request for the next (see
	// buffers).
	spare chan *reqBuffers
}

// closeIdle closes the idle connections of a transport New made.
func (p *poster) closeIdle() {
	if p.own != nil {
		p.own.CloseIdleConnections()
	}
}

// encode encodes the request for spans (sizes[i] is sizeSpan(spans[i]))
// into bufs and compresses it if configured, returning the body.
func (p *poster) encode(bufs *reqBuffers, res *resourcepb.Resource, scope *commonpb.InstrumentationScope, spans []*tracepb.Span, sizes []int) ([]byte, error) {
	raw, err := wireRequest(bufs.raw[:0], res, scope, spans, sizes)
	bufs.raw = raw
	if err != nil || !p.gzip {
		return raw, err
	}
	b := bytes.NewBuffer(bufs.gz[:0])
	if bufs.zw == nil {
		bufs.zw = gzip.NewWriter(b)
	}
	gz := bufs.zw
	gz.Reset(b)
	if _, err := gz.Write(raw); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	gz.Reset(io.Discard)
	bufs.gz = b.Bytes()
	return bufs.gz, nil
}

// attempt posts body once and reads the reply into an outcome whose error
// is already free of credentials.
func (p *poster) attempt(ctx context.Context, b *body) outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.endpoint.String(), b.reader())
	if err != nil {
		return outcome{err: errors.New("otlpexport: build request: " + p.scrub.quote(err.Error(), maxReplyText))}
	}
	req.ContentLength = int64(len(b.buf))
	req.GetBody = func() (io.ReadCloser, error) { return b.reader(), nil }
	for k, vs := range p.headers {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("User-Agent", userAgent)
	if p.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if resp != nil { // the redirect policy refused to go on
			resp.Body.Close()
		}
		return p.transportFailure(ctx, err, resp != nil)
	}
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	resp.Body.Close()
	o := interpret(resp, reply, p.scrub)
	if o.err != nil {
		if via := resp.Request; via != nil && via.Response != nil {
			o.err = errors.New(o.err.Error() + " (after a redirect: " + p.redirectNote(via) + ")")
		}
	}
	return o
}

// transportFailure describes a request that got no reply to interpret: a
// transport error (refused, reset and timed-out connections, and unknown
// hosts, may succeed later; a bad certificate or an unsupported scheme will
// not) or the redirect policy's refusal (never retried).
func (p *poster) transportFailure(ctx context.Context, err error, redirect bool) outcome {
	cause := err
	if ue, ok := safetext.As[*url.Error](err); ok && ue != nil {
		cause = ue.Err
	}
	var unwrapTo error // the message may quote a reply: keep only a context error
	switch {
	case safetext.Is(err, context.DeadlineExceeded):
		unwrapTo = context.DeadlineExceeded
	case safetext.Is(err, context.Canceled):
		unwrapTo = context.Canceled
	}
	msg := "otlpexport: " + p.scrub.quote(safetext.Error(err), maxReplyText)
	return outcome{
		err:   &scrubbed{msg: msg, err: unwrapTo},
		retry: !redirect && ctx.Err() == nil && !permanentTransportError(cause),
	}
}

// redirectNote describes the redirect that led to req, for errors: the
// status and the new location without its user information or query.
func (p *poster) redirectNote(req *http.Request) string {
	loc := *req.URL
	loc.User, loc.RawQuery, loc.ForceQuery, loc.Fragment, loc.RawFragment = nil, "", false, "", ""
	return p.scrub.quote(req.Response.Status, maxStatusText) + " to " + p.scrub.quote(loc.String(), maxReplyText)
}

// permanentTransportError reports whether a transport error cannot be
// fixed by retrying: a TLS certificate the client does not trust (or that
// does not match the host), a server that does not speak TLS on an https
// URL, a URL scheme the transport does not support (after a redirect, say).
// The search of err's chain is bounded (an error that wraps itself ends it).
func permanentTransportError(err error) bool {
	if _, ok := safetext.As[*tls.CertificateVerificationError](err); ok {
		return true
	}
	if _, ok := safetext.As[x509.UnknownAuthorityError](err); ok {
		return true
	}
	if _, ok := safetext.As[x509.HostnameError](err); ok {
		return true
	}
	if _, ok := safetext.As[x509.CertificateInvalidError](err); ok {
		return true
	}
	if _, ok := safetext.As[tls.RecordHeaderError](err); ok {
		return true
	}
	msg := safetext.Error(err)
	return strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "server gave HTTP response to HTTPS client")
}

// send posts one request (see split), retrying as the policy allows within
// ctx.
func (e *Exporter) send(ctx context.Context, r request) error {
	spans := r.spans
	bufs := e.post.buffers()
	defer e.post.keep(bufs)
	raw, err := e.post.encode(bufs, e.resource, e.scope, spans, r.sizes)
	if err != nil {
		return &processors.PartialError{Dropped: len(spans), Reason: processors.DropExportFailed,
			Err: errors.New("otlpexport: encode request: " + safetext.Error(err))}
	}
	rb := &body{buf: raw}
	defer rb.release() // before bufs goes back to the pool
	var last outcome
	err = e.policy.Do(ctx, e.sleep, func(ctx context.Context) error {
		last = e.post.attempt(ctx, rb)
		switch {
		case last.err == nil:
			return nil
		case last.retry:
			return retry.Retryable(last.err, last.after)
		}
		return retry.Permanent(last.err)
	})
	if err != nil {
		return &processors.PartialError{Dropped: len(spans), Reason: processors.DropExportFailed, Err: err}
	}
	if last.rejected > 0 || last.message != "" {
		n := int(min(max(last.rejected, 0), int64(len(spans))))
		msg := "otlpexport: server rejected " + strconv.FormatInt(last.rejected, 10) + " spans"
		if last.message != "" {
			msg += ": " + last.message
		}
		return &processors.PartialError{Dropped: n, Reason: processors.DropRejected, Err: errors.New(msg)}
	}
	return nil
}
