package retry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// TestRetryAfterSaturates checks that delays beyond the Duration range give
// the longest Duration, never a negative or zero wait.
func TestRetryAfterSaturates(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"9223372036":                       9223372036 * time.Second, // the largest that fits
		"9223372037":                       math.MaxInt64,            // overflowed to negative
		"18446744073709551615":             math.MaxInt64,
		"99999999999999999999999999999999": math.MaxInt64, // beyond uint64: was 0
		"Fri, 31 Dec 9999 23:59:59 GMT":    math.MaxInt64, // beyond 292 years
	} {
		if got := RetryAfter(in, now); got != want {
			t.Errorf("RetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestDoBackoffSaturates checks that doubling a huge wait saturates instead
// of overflowing to a negative wait (retries back to back), with and without
// a cap and with jitter.
func TestDoBackoffSaturates(t *testing.T) {
	for _, p := range []Policy{
		{MaxAttempts: 8, Initial: 1 << 60, Multiplier: 2, Jitter: 0.2},
		{MaxAttempts: 8, Initial: 1 << 60, Multiplier: 2, Max: time.Millisecond, Jitter: 0.2},
		{MaxAttempts: 8, Initial: math.MaxInt64, Multiplier: 1e300, Jitter: 1},
	} {
		var waits []time.Duration
		sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
		_ = p.Do(context.Background(), sleep, func(context.Context) error { return errors.New("x") })
		if len(waits) != p.MaxAttempts-1 {
			t.Fatalf("%+v: %d waits", p, len(waits))
		}
		floor := p.Initial
		if p.Max > 0 {
			floor = p.Max
		}
		for i, d := range waits {
			if d < floor || (i > 0 && p.Max == 0 && d < waits[i-1]) {
				t.Errorf("%+v: waits %v: wait %d is %v", p, waits, i, d)
				break
			}
		}
	}
}

// TestDoBoundsSelfWrappingErrors checks that an attempt's error whose
// Unwrap returns itself does not hang Do: it is retried like any error.
func TestDoBoundsSelfWrappingErrors(t *testing.T) {
	n := 0
	err := Policy{MaxAttempts: 3}.Do(context.Background(), func(context.Context, time.Duration) error { return nil },
		func(context.Context) error { n++; return fmt.Errorf("attempt: %w", &selfWrap{}) })
	if n != 3 || err == nil || !strings.Contains(err.Error(), "self") {
		t.Errorf("Do = %v after %d attempts", err, n)
	}
}

type selfWrap struct{}

func (e *selfWrap) Error() string { return "self" }
func (e *selfWrap) Unwrap() error { return e }

// FuzzRetryAfter checks that no Retry-After value gives a negative wait or
// a panic, and that delay seconds within range are read exactly.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "3", "-1", " 120 ", "9223372037", "1e9", "+5", "18446744073709551616",
		"Thu, 02 Jan 2025 03:04:15 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT"} {
		f.Add(s)
	}
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d := RetryAfter(v, now)
		if d < 0 {
			t.Fatalf("RetryAfter(%q) = %v", v, d)
		}
		var secs int64
		if n, err := fmt.Sscanf(strings.TrimSpace(v), "%d", &secs); n == 1 && err == nil &&
			fmt.Sprint(secs) == strings.TrimSpace(v) && secs >= 0 && secs <= math.MaxInt64/int64(time.Second) &&
			d != time.Duration(secs)*time.Second {
			t.Fatalf("RetryAfter(%q) = %v, want %d s", v, d, secs)
		}
	})
}
