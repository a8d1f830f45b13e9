package anthropictrace

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// These follow the retry rules of anthropic-sdk-go (internal/requestconfig):
// which answers it retries, and how long it waits before the next attempt.

// retryGrace is how much later than the client's backoff the next attempt
// may arrive and still join the call.
var retryGrace = time.Second

// retryable reports whether the client retries after res, when it has
// attempts left: the x-should-retry header decides, else the status (408,
// 409, 429 and 5xx).
func retryable(res *http.Response) bool {
	switch res.Header.Get("x-should-retry") {
	case "true":
		return true
	case "false":
		return false
	}
	s := res.StatusCode
	return s == http.StatusRequestTimeout || s == http.StatusConflict ||
		s == http.StatusTooManyRequests || s >= http.StatusInternalServerError
}

// retryWait returns the longest the client waits before the attempt after
// attempt number retry (0 for the first), given the answer res (nil after a
// network error): what Retry-After-Ms or Retry-After asks, else its
// exponential backoff without jitter, plus retryGrace.
func retryWait(res *http.Response, retry int) time.Duration {
	if res != nil {
		if d, ok := retryAfter(res.Header); ok {
			return max(d, 0) + retryGrace
		}
	}
	d := time.Duration(0.5 * float64(time.Second) * math.Pow(2, float64(retry)))
	return min(d, 8*time.Second) + retryGrace
}

func retryAfter(h http.Header) (time.Duration, bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return time.Duration(f * float64(time.Millisecond)), true
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return time.Duration(f * float64(time.Second)), true
		}
		if t, err := time.Parse(time.RFC1123, v); err == nil {
			return time.Until(t), true
		}
	}
	return 0, false
}

// retryCount returns the attempt number the client sends in the
// X-Stainless-Retry-Count header (0 for the first attempt), and whether it
// sent one.
func retryCount(req *http.Request) (int, bool) {
	v := req.Header.Get("X-Stainless-Retry-Count")
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
