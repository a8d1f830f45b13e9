package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDoRetriesWithBackoffAndStopsOnPermanent(t *testing.T) {
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	p := Policy{MaxAttempts: 3, Initial: time.Second, Multiplier: 2, Max: 30 * time.Second}
	calls := 0
	err := p.Do(context.Background(), sleep, func(context.Context) error {
		calls++
		return errors.New("boom")
	})
	if calls != 3 || err == nil || err.Error() != "boom" {
		t.Fatalf("calls=%d err=%v, want 3 calls and boom", calls, err)
	}
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != 2*time.Second {
		t.Fatalf("waits = %v, want [1s 2s]", waits)
	}

	calls = 0
	err = p.Do(context.Background(), sleep, func(context.Context) error {
		calls++
		return Permanent(errors.New("bad request"))
	})
	if calls != 1 || err.Error() != "bad request" {
		t.Fatalf("permanent: calls=%d err=%v", calls, err)
	}
}

func TestDoHonoursRetryAfterAndJitterBounds(t *testing.T) {
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	p := Policy{MaxAttempts: 2, Initial: time.Second, Multiplier: 2, Max: 30 * time.Second, Jitter: 0.1}
	_ = p.Do(context.Background(), sleep, func(context.Context) error {
		return Retryable(errors.New("slow down"), 7*time.Second)
	})
	if len(waits) != 1 || waits[0] != 7*time.Second {
		t.Fatalf("waits = %v, want [7s]", waits)
	}
	for range 200 {
		d := p.delay(time.Second)
		if d < time.Second || d > 1100*time.Millisecond {
			t.Fatalf("jittered delay %v outside [1s, 1.1s]", d)
		}
	}
	if d := (Policy{Max: 30 * time.Second}).delay(time.Minute); d != 30*time.Second {
		t.Fatalf("cap: got %v", d)
	}
}

func TestDoStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := Policy{MaxAttempts: 5, Initial: time.Hour, Multiplier: 2}
	calls := 0
	done := make(chan error, 1)
	go func() {
		done <- p.Do(ctx, nil, func(context.Context) error { calls++; return errors.New("down") })
	}()
	time.AfterFunc(10*time.Millisecond, cancel)
	err := <-done
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("err=%v calls=%d, want canceled after 1 call", err, calls)
	}

	dctx, dcancel := context.WithTimeout(context.Background(), time.Second)
	defer dcancel()
	err = p.Do(dctx, nil, func(context.Context) error { return errors.New("down") })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a wait past the deadline must not start: %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Thu, 02 Jan 2025 03:04:15 GMT": 10 * time.Second,
		"Thu, 02 Jan 2025 03:00:00 GMT": 0,
	}
	for in, want := range cases {
		if got := RetryAfter(in, now); got != want {
			t.Errorf("RetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
