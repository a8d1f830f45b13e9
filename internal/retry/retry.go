// Package retry runs an operation with exponential backoff, jitter and
// server-requested delays, sleeping on timers that the context interrupts.
package retry

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// Policy says how often and how long to retry.
type Policy struct {
	// MaxAttempts is the number of attempts in all, at least 1.
	MaxAttempts int
	// Initial is the wait after the first failure.
	Initial time.Duration
	// Multiplier grows the wait after each failure (2 doubles it).
	Multiplier float64
	// Max caps one wait, before jitter.
	Max time.Duration
	// Jitter adds a random 0..Jitter fraction of the wait (0.1 = up to 10 %).
	Jitter float64
}

// Error is what an attempt returns to ask for, or refuse, another attempt.
// Wrap an error with [Retryable] or [Permanent]; an error that is neither is
// retried.
type Error struct {
	// Err is the failure.
	Err error
	// Retry reports whether another attempt may succeed.
	Retry bool
	// After is a delay the server asked for (Retry-After); zero for none.
	After time.Duration
}

func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Retryable marks err as worth another attempt after at least after.
func Retryable(err error, after time.Duration) error {
	return &Error{Err: err, Retry: true, After: after}
}

// Permanent marks err as not worth another attempt.
func Permanent(err error) error { return &Error{Err: err} }

// Sleeper waits for d or until ctx is done. Tests replace it to observe waits.
type Sleeper func(ctx context.Context, d time.Duration) error

// Sleep waits for d on a timer, returning ctx's error if ctx is done first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do runs op until it succeeds, returns a permanent error, the attempts run
// out, or ctx is done. A wait that would end after ctx's deadline is not
// started: Do returns the last error at once. The returned error is the last
// attempt's (unwrapped from *Error), joined with ctx's error when ctx ended
// the retries.
func (p Policy) Do(ctx context.Context, sleep Sleeper, op func(ctx context.Context) error) error {
	if sleep == nil {
		sleep = Sleep
	}
	attempts := max(p.MaxAttempts, 1)
	wait := p.Initial
	var last error
	for i := 0; i < attempts; i++ {
		err := op(ctx)
		if err == nil {
			return nil
		}
		last = err
		retry := true
		var after time.Duration
		if re, ok := safetext.As[*Error](err); ok && re != nil { // bounded: err may wrap itself
			retry, after, last = re.Retry, re.After, re.Err
		}
		if !retry || i == attempts-1 {
			return last
		}
		d := p.delay(wait)
		if after > d {
			d = after
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return errors.Join(last, context.DeadlineExceeded)
		}
		if err := sleep(ctx, d); err != nil {
			return errors.Join(last, err)
		}
		wait = scale(wait, max(p.Multiplier, 1))
	}
	return last
}

// delay returns the wait before the next attempt: wait capped at Max, plus
// jitter, saturating at the longest Duration instead of overflowing.
func (p Policy) delay(wait time.Duration) time.Duration {
	wait = max(wait, 0)
	if p.Max > 0 && wait > p.Max {
		wait = p.Max
	}
	if p.Jitter > 0 && wait > 0 {
		wait = scale(wait, 1+rand.Float64()*p.Jitter)
	}
	return wait
}

// scale returns d times f (f >= 0), saturating at the longest Duration: a
// float64 beyond the int64 range has no defined conversion (on amd64 it
// gives the most negative Duration, a wait of zero).
func scale(d time.Duration, f float64) time.Duration {
	x := float64(d) * f
	if x >= math.MaxInt64 || math.IsNaN(x) {
		return math.MaxInt64
	}
	return time.Duration(x)
}

// RetryAfter parses a Retry-After header value: delay seconds or an HTTP
// date. It returns zero for an empty or unreadable value or a date in the
// past, and saturates at the longest Duration (about 292 years) for a delay
// beyond it, however many digits it has.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || secs > math.MaxInt64/uint64(time.Second) {
			return math.MaxInt64
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
