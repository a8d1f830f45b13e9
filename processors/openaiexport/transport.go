package openaiexport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/agenttrace/agenttrace-go/internal/httpguard"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// maxErrorBody bounds how much of an error response is quoted in errors.
const maxErrorBody = 512

// errShutdown ends a retry wait when the exporter shuts down.
var errShutdown = errors.New("openaiexport: exporter shut down")

// errNotPosted is the cause given for the groups of a batch that were not
// posted because the exporter was shut down.
var errNotPosted = fmt.Errorf("%w before these items were posted", errShutdown)

// errInvalidEndpoint is the error of every POST to an endpoint that does not
// parse. It does not quote the URL, which may hold a password.
var errInvalidEndpoint = errors.New("openaiexport: build request: invalid endpoint URL (it does not parse)")

// post sends body with key, retrying 5xx answers and network errors. Each
// attempt's error is redacted (see [redactor]) before anything sees it, so
// neither the logs nor the returned error hold a key or the endpoint's user
// information.
func (e *Exporter) post(ctx context.Context, key string, body []byte, items int) error {
	red := e.redactorFor(key)
	attempt := 0
	err := e.policy.Do(ctx, e.waitFunc(), func(ctx context.Context) error {
		attempt++
		err := e.postOnce(ctx, key, body, red)
		if err == nil {
			return nil
		}
		// The one choke point: the whole message, status line included.
		safe := errors.New(red.redact(err.Error()))
		e.log().Debug("agenttrace: OpenAI traces export attempt failed",
			slog.Int("attempt", attempt), slog.Int("items", items),
			slog.String("error", safe.Error()))
		if re, ok := safetext.As[*retry.Error](err); ok && re != nil {
			return &retry.Error{Err: safe, Retry: re.Retry, After: re.After}
		}
		return safe
	})
	if err != nil {
		return errors.New(red.redact(err.Error())) // joined with shutdown or context errors
	}
	return nil
}

// postOnce makes one attempt. It returns nil on a 2xx answer, a permanent
// error on a 4xx answer (429 included, as in the Python SDK) and a retryable
// error otherwise. The error may hold secrets; post redacts it.
func (e *Exporter) postOnce(ctx context.Context, key string, body []byte, red redactor) error {
	if e.url == nil {
		return retry.Permanent(errInvalidEndpoint)
	}
	if err := checkHeaderValues(key, e.org, e.project); err != nil {
		return retry.Permanent(err) // net/http refuses the request, every time
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "", bytes.NewReader(body))
	if err != nil {
		return retry.Permanent(fmt.Errorf("openaiexport: build request: %w", err))
	}
	u := *e.url // parsed once, in New
	req.URL = &u
	req.Host = strings.TrimSuffix(u.Host, ":") // as http.NewRequest does for an empty port
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("OpenAI-Beta", "traces=v1")
	if e.org != "" {
		req.Header.Set("OpenAI-Organization", e.org)
	}
	if e.project != "" {
		req.Header.Set("OpenAI-Project", e.project)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		// The *url.Error of Do quotes the URL with its user name: give the
		// safe URL instead. The chain is searched with bounded walks (an
		// error of the caller's transport may wrap itself), and the
		// error kept is its text alone.
		if ue, ok := safetext.As[*url.Error](err); ok && ue != nil {
			err = ue.Err
		}
		refused := safetext.Is(err, httpguard.ErrRedirectToHTTP)
		err = errors.New("openaiexport: POST " + e.safeEndpoint + ": " + safetext.Error(err))
		if ctx.Err() != nil || refused {
			return retry.Permanent(err)
		}
		return retry.Retryable(err, 0)
	}
	defer resp.Body.Close()
	var snippet string
	if resp.StatusCode >= 300 {
		snippet = red.snippet(resp.Body)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	if resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("openaiexport: POST %s: %s: %s", e.safeEndpoint, resp.Status, snippet)
	if resp.StatusCode >= 400 && resp.StatusCode < 500 {
		return retry.Permanent(err)
	}
	return retry.Retryable(err, 0)
}

// waitFunc returns the sleeper for retry waits: e.sleep, interrupted when the
// exporter shuts down.
func (e *Exporter) waitFunc() retry.Sleeper {
	return func(ctx context.Context, d time.Duration) error {
		if e.stopping.Err() != nil {
			return errShutdown
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stop := context.AfterFunc(e.stopping, cancel)
		defer stop()
		if err := e.sleep(ctx, d); err != nil {
			if e.stopping.Err() != nil {
				return errShutdown
			}
			return err
		}
		return nil
	}
}
