package openaitrace

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestParkedCallEndsWhenNoRetryComes: a client allowed fewer retries than
// the middleware assumes gives up after a network error; the span ends
// once the retry is overdue, with the error.
func TestParkedCallEndsWhenNoRetryComes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tp, rec := tracingtest.NewProvider()
		ctx, tr := tp.StartTrace(context.Background(), "test")
		defer tr.End()
		mw := newMiddleware()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.openai.com/v1/chat/completions",
			strings.NewReader(`{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Stainless-Retry-Count", "0")
		refused := errors.New("dial tcp: connection refused")
		if _, err := mw.handle(req, func(*http.Request) (*http.Response, error) { return nil, refused }); err != refused {
			t.Fatalf("the program got %v", err)
		}
		if n := len(rec.Spans()); n != 0 || mw.pending.count() != 1 {
			t.Fatalf("%d spans ended, %d parked; want the call parked", n, mw.pending.count())
		}
		time.Sleep(retryWait(nil, 0) + time.Millisecond)
		synctest.Wait()
		got := rec.Spans()
		if len(got) != 1 {
			t.Fatalf("%d spans ended after the retry was due, want 1", len(got))
		}
		if se := got[0].Error(); se == nil || se.Message != refused.Error() {
			t.Errorf("error %v, want the network error", se)
		}
		if a := got[0].Metadata()["attempts"]; a != 1 || mw.pending.count() != 0 {
			t.Errorf("attempts %v, %d parked", a, mw.pending.count())
		}
	})
}

func TestRetryWait(t *testing.T) {
	h := func(k, v string) *http.Response {
		return &http.Response{Header: http.Header{http.CanonicalHeaderKey(k): {v}}}
	}
	for _, tc := range []struct {
		res     *http.Response
		attempt int
		want    time.Duration
	}{
		{nil, 0, 500 * time.Millisecond},
		{nil, 2, 2 * time.Second},
		{nil, 10, maxBackoff},
		{h("Retry-After-Ms", "250"), 0, 250 * time.Millisecond},
		{h("Retry-After", "3"), 0, 3 * time.Second},
		{h("Retry-After", "100000"), 0, maxRetryAfter},
		{h("Retry-After", "soon"), 1, time.Second},
	} {
		if got := retryWait(tc.res, tc.attempt); got != tc.want+retryGrace {
			t.Errorf("retryWait(%v, %d) = %v, want %v", tc.res, tc.attempt, got, tc.want+retryGrace)
		}
	}
}
