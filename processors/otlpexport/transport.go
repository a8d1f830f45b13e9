package otlpexport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

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
	redirect string // the last redirect followed, for errors
}

type outcomeKey struct{}

// inspector is the http.RoundTripper under the OpenTelemetry client. It
// interprets the reply, records it in the request context's outcome, and
// hands the client an empty 200 so that the outcome alone decides. A
// redirect is handed over as it is, so that the http.Client follows it (as
// net/http and otlptracehttp do: 307 and 308 post the body again, 301, 302
// and 303 turn into a GET) and the inspector sees the next reply.
type inspector struct {
	base http.RoundTripper
	// secrets are credentials to keep out of errors besides the request's
	// own credential headers.
	secrets []string
}

// RoundTrip sends req through the base transport and records the reply.
func (t *inspector) RoundTrip(req *http.Request) (*http.Response, error) {
	o, _ := req.Context().Value(outcomeKey{}).(*outcome)
	resp, err := t.base.RoundTrip(req)
	if o == nil {
		return resp, err
	}
	if err == nil && isRedirect(resp) {
		o.redirect = resp.Status + " to " + resp.Header.Get("Location")
		return resp, nil
	}
	o.seen = true
	if err != nil {
		o.err = &scrubbed{msg: "otlpexport: " + scrub(err.Error(), req.Header, t.secrets), err: err}
		// Refused, reset and timed-out connections, and unknown hosts,
		// may succeed later (the context bounds the retries); a bad
		// certificate or an unsupported scheme will not.
		o.retry = req.Context().Err() == nil && !permanentTransportError(err)
		return nil, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes))
	resp.Body.Close()
	interpret(o, resp, body)
	if o.err != nil {
		msg := o.err.Error()
		if o.redirect != "" {
			msg += " (after a redirect: " + o.redirect + ")"
		}
		o.err = errors.New(scrub(msg, req.Header, t.secrets))
	}
	o.message = scrub(o.message, req.Header, t.secrets)
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
		Header: http.Header{}, Body: http.NoBody, ContentLength: 0, Request: req,
	}, nil
}

// isRedirect reports whether the http.Client follows resp: a 301, 302, 303,
// 307 or 308 with a Location.
func isRedirect(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return resp.Header.Get("Location") != ""
	}
	return false
}

// permanentTransportError reports whether a transport error cannot be
// fixed by retrying: a TLS certificate the client does not trust (or that
// does not match the host), a server that does not speak TLS on an https
// URL, a URL scheme the transport does not support (after a redirect, say).
func permanentTransportError(err error) bool {
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	if errors.As(err, &verr) || errors.As(err, &unknown) || errors.As(err, &host) ||
		errors.As(err, &invalid) || errors.As(err, &record) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "server gave HTTP response to HTTPS client")
}

// clientError wraps an error of the OpenTelemetry client (one that no
// reply explains, such as too many redirects), scrubbed of credentials. It
// unwraps to a context error only: the client's own text may quote a reply.
func (e *Exporter) clientError(err error) error {
	var cause error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		cause = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		cause = context.Canceled
	}
	return &scrubbed{msg: "otlpexport: " + scrub(err.Error(), nil, e.secrets), err: cause}
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
			return retry.Permanent(e.clientError(upErr))
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
