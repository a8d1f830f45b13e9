package processors

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// TestBatchersAreIndependent puts two batchers on one provider, one with an
// exporter that hangs forever, ignoring its context. The other delivers
// everything on schedule, and the provider's Shutdown returns at its
// deadline.
func TestBatchersAreIndependent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hung := newFakeStuck(true)
		rec := &fakeRecorder{}
		bHung := NewBatcher(hung, WithLogger(discardLogger()))
		bOK := NewBatcher(rec)
		tp := batchProvider(bHung, bOK)

		for range 100 {
			produceTrace(tp, 5) // 700 items, below the trigger
		}
		time.Sleep(DefaultScheduleDelay)
		synctest.Wait()
		if got := rec.count(); got != 700 {
			t.Fatalf("healthy exporter got %d items at the schedule delay, want 700", got)
		}
		<-hung.entered // the other exporter is hung meanwhile

		for range 10 {
			produceTrace(tp, 5) // 70 more, queued at Shutdown
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		start := time.Now()
		err := tp.Shutdown(ctx)
		synctest.Wait() // the hung batcher's Shutdown returns too
		if d := time.Since(start); d != 2*time.Second {
			t.Errorf("provider Shutdown returned after %v, want its 2s deadline", d)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("provider Shutdown = %v, want DeadlineExceeded", err)
		}
		if diff := cmp.Diff(Stats{Received: 770, Exported: 770}, bOK.Stats()); diff != "" {
			t.Errorf("healthy batcher Stats (-want +got):\n%s", diff)
		}
		if got := rec.shutdownCalls(); got != 1 {
			t.Errorf("healthy exporter Shutdown called %d times, want 1", got)
		}

		close(hung.release)
		synctest.Wait()
		want := Stats{Received: 770, Dropped: map[DropReason]int64{DropShutdownDeadline: 770}}
		if diff := cmp.Diff(want, bHung.Stats()); diff != "" {
			t.Errorf("hung batcher Stats (-want +got):\n%s", diff)
		}
	})
}

// TestBatcherDropReports checks that drops are logged at most once per
// report interval, summed by reason, and once more at Shutdown, and that the
// reports add up to Stats.
func TestBatcherDropReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := &recordHandler{}
		b := NewBatcher(fakeSorting{}, WithScheduleDelay(time.Second), WithLogger(slog.New(h)))
		start := time.Now()
		for range 150 {
			b.OnTraceStart(nil) // rejected
			b.OnSpanEnd(nil)    // too large
			b.OnTraceEnd(nil)   // delivered
			time.Sleep(time.Second)
		}
		synctest.Wait()
		if err := b.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		recs := h.all()
		var at []time.Duration
		sum := map[string]int64{}
		for _, r := range recs {
			if r.Level != slog.LevelWarn {
				t.Errorf("report level %v, want WARN", r.Level)
			}
			at = append(at, r.Time.Sub(start))
			r.Attrs(func(a slog.Attr) bool {
				if a.Key == "by_reason" {
					for _, g := range a.Value.Group() {
						sum[g.Key] += g.Value.Int64()
					}
				}
				return true
			})
		}
		// Reports at the first drop, then at the first worker wake once a
		// minute has passed, then at Shutdown.
		wantAt := []time.Duration{time.Second, 61 * time.Second, 121 * time.Second, 150 * time.Second}
		if diff := cmp.Diff(wantAt, at); diff != "" {
			t.Errorf("report times (-want +got):\n%s", diff)
		}
		s := b.Stats()
		checkBatchBalance(t, s)
		want := map[string]int64{}
		for r, n := range s.Dropped {
			want[string(r)] = n
		}
		if diff := cmp.Diff(want, sum); diff != "" {
			t.Errorf("reported drops (-stats +reports):\n%s", diff)
		}
		wantStats := Stats{Received: 450, Exported: 150, Dropped: map[DropReason]int64{DropRejected: 150, DropTooLarge: 150}}
		if diff := cmp.Diff(wantStats, s); diff != "" {
			t.Errorf("Stats (-want +got):\n%s", diff)
		}
	})
}

// fakeSorting is an exporter that rejects TraceStarted items, finds SpanEnded
// items too large and delivers the rest.
type fakeSorting struct{}

func (fakeSorting) Export(_ context.Context, items []Item) error {
	var rejected, tooLarge int
	for _, it := range items {
		switch it.Event {
		case TraceStarted:
			rejected++
		case SpanEnded:
			tooLarge++
		}
	}
	return errors.Join(&PartialError{Dropped: rejected, Reason: DropRejected},
		&PartialError{Dropped: tooLarge, Reason: DropTooLarge, Err: errors.New("span over 1 MiB")})
}

func (fakeSorting) Shutdown(context.Context) error { return nil }

// recordHandler is a slog.Handler that keeps the records it handles.
type recordHandler struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordHandler) WithGroup(string) slog.Handler            { return h }
func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

func (h *recordHandler) all() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slog.Record(nil), h.recs...)
}

// TestBatcherMemoryBounded pushes many spans flat out into a Batcher whose
// exporter never returns: the heap grows with the queue size, not with the
// number of spans.
func TestBatcherMemoryBounded(t *testing.T) {
	defer goleak.VerifyNone(t)
	const items = 300_000
	hole := newFakeStuck(true)
	b := NewBatcher(hole, WithLogger(discardLogger()))
	tp := batchProvider(b)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ctx, tr := tp.StartTrace(context.Background(), "flood")
	for range items - 2 {
		_, sp := tracing.CustomSpan(ctx, "step", nil)
		sp.End()
	}
	tr.End()
	runtime.GC()
	runtime.ReadMemStats(&after)

	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	// A queued span costs well under 1 KiB; the bound holds a full queue and
	// the stuck batch, and is a fraction of what 300,000 spans would take.
	bound := int64(DefaultMaxQueueSize+DefaultMaxBatchSize) * 1024
	t.Logf("heap growth %d B for %d items (%.1f B per queue slot)", growth, items, float64(growth)/DefaultMaxQueueSize)
	if growth > bound {
		t.Errorf("heap grew by %d B, more than %d B for a queue of %d", growth, bound, DefaultMaxQueueSize)
	}
	s := b.Stats()
	if s.Received != items || s.Pending > DefaultMaxQueueSize+DefaultMaxBatchSize {
		t.Errorf("Stats = %+v: want %d received, at most a queue and a batch pending", s, items)
	}
	close(hole.release)
	if err := b.Shutdown(context.Background()); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Logf("Shutdown: %v", err)
	}
	s = b.Stats()
	checkBatchBalance(t, s)
	if s.Received != s.Dropped[DropQueueFull]+s.Dropped[DropExportFailed] {
		t.Errorf("Stats = %+v: want every item dropped as queue_full or export_failed", s)
	}
}

// fakeRetrying is an exporter whose backend always answers "retry later": it
// retries with internal/retry, sleeping 10 s and more between attempts.
type fakeRetrying struct {
	attempts atomic.Int64
	returned chan time.Time
}

func (f *fakeRetrying) Export(ctx context.Context, items []Item) error {
	p := retry.Policy{MaxAttempts: 100, Initial: 10 * time.Second, Multiplier: 1.5}
	err := p.Do(ctx, nil, func(context.Context) error {
		f.attempts.Add(1)
		return retry.Retryable(errors.New("503 Service Unavailable"), 0)
	})
	f.returned <- time.Now()
	return err
}

func (f *fakeRetrying) Shutdown(context.Context) error { return nil }

// TestBatcherShutdownInterruptsRetries checks that Shutdown's deadline cuts
// an exporter's retry sleep short through the export's context.
func TestBatcherShutdownInterruptsRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		exp := &fakeRetrying{returned: make(chan time.Time, 1)}
		b := NewBatcher(exp, WithLogger(discardLogger()))
		for range 5 {
			b.OnSpanEnd(nil)
		}
		go func() { _ = b.ForceFlush(context.Background()) }()
		time.Sleep(time.Second) // the first attempt failed; a 10 s sleep began
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := b.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown = %v, want DeadlineExceeded", err)
		}
		if got := (<-exp.returned).Sub(start); got != 3*time.Second {
			t.Errorf("Export returned %v after Shutdown began, want 3s (its deadline)", got)
		}
		synctest.Wait()
		if got := exp.attempts.Load(); got != 1 {
			t.Errorf("%d attempts, want 1", got)
		}
		want := Stats{Received: 5, Dropped: map[DropReason]int64{DropShutdownDeadline: 5}}
		if diff := cmp.Diff(want, b.Stats()); diff != "" {
			t.Errorf("Stats (-want +got):\n%s", diff)
		}
	})
}
