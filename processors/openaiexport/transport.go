package openaiexport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/retry"
)

// maxErrorBody bounds how much of an error response is quoted in errors.
const maxErrorBody = 512

// errShutdown ends a retry wait when the exporter shuts down.
var errShutdown = errors.New("openaiexport: exporter shut down")

// post sends body with key, retrying 5xx answers and network errors. The
// returned error never holds the key.
func (e *Exporter) post(ctx context.Context, key string, body []byte, items int) error {
	attempt := 0
	err := e.policy.Do(ctx, e.waitFunc(), func(ctx context.Context) error {
		attempt++
		err := e.postOnce(ctx, key, body)
		if err != nil {
			e.log().Debug("agenttrace: OpenAI traces export attempt failed",
				slog.Int("attempt", attempt), slog.Int("items", items),
				slog.String("error", err.Error()))
		}
		return err
	})
	if err != nil {
		return errors.New(redact(err.Error(), key))
	}
	return nil
}

// postOnce makes one attempt. It returns nil on a 2xx answer, a permanent
// error on a 4xx answer (429 included, as in the Python SDK) and a retryable
// error otherwise.
func (e *Exporter) postOnce(ctx context.Context, key string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.endpoint, bytes.NewReader(body))
	if err != nil {
		return retry.Permanent(fmt.Errorf("openaiexport: build request: %s", redact(err.Error(), key)))
	}
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
		err = errors.New("openaiexport: " + redact(err.Error(), key)) // names the method and URL already
		if ctx.Err() != nil {
			return retry.Permanent(err)
		}
		return retry.Retryable(err, 0)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	if resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("openaiexport: POST %s: %s: %s", e.safeEndpoint, resp.Status,
		redact(strings.TrimSpace(strings.ToValidUTF8(string(snippet), string(utf8.RuneError))), key))
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

// redact removes every occurrence of key from s.
func redact(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[REDACTED]")
}
