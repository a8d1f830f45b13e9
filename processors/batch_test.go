package processors

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestBatcherDeliversEverything(t *testing.T) {
	defer goleak.VerifyNone(t)
	rec := &fakeRecorder{}
	b := NewBatcher(rec)
	tp := batchProvider(b)
	for range 100 {
		produceTrace(tp, 5) // 7 items each
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	want := Stats{Received: 700, Exported: 700}
	if diff := cmp.Diff(want, b.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	if got := rec.count(); got != 700 {
		t.Errorf("exporter got %d items, want 700", got)
	}
	if got := rec.shutdownCalls(); got != 1 {
		t.Errorf("exporter Shutdown called %d times, want 1", got)
	}
	// The first trace's items arrive in order: start, spans, end.
	rec.mu.Lock()
	var events []Event
	for _, it := range rec.items[:7] {
		events = append(events, it.Event)
	}
	rec.mu.Unlock()
	wantEvents := []Event{TraceStarted, SpanEnded, SpanEnded, SpanEnded, SpanEnded, SpanEnded, TraceEnded}
	if diff := cmp.Diff(wantEvents, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestBatcherScheduleDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &fakeRecorder{}
		b := NewBatcher(rec)
		produceTrace(batchProvider(b), 3) // 5 items, far below the trigger
		synctest.Wait()
		if got := rec.count(); got != 0 {
			t.Fatalf("exported %d items at once, want 0 before the schedule delay", got)
		}
		time.Sleep(DefaultScheduleDelay - time.Millisecond)
		synctest.Wait()
		if got := rec.count(); got != 0 {
			t.Fatalf("exported %d items before the schedule delay, want 0", got)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if got := rec.count(); got != 5 {
			t.Fatalf("exported %d items at the schedule delay, want 5", got)
		}
		// The timer goes on: the next items wait another delay.
		produceTrace(batchProvider(b), 1)
		time.Sleep(DefaultScheduleDelay - time.Millisecond)
		synctest.Wait()
		if got := rec.count(); got != 5 {
			t.Fatalf("exported %d items, want 5 before the second delay", got)
		}
		time.Sleep(time.Millisecond)
		synctest.Wait()
		if got := rec.count(); got != 8 {
			t.Fatalf("exported %d items, want 8 after the second delay", got)
		}
		if err := b.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBatcherExportTrigger(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &fakeRecorder{}
		b := NewBatcher(rec, WithMaxQueueSize(10), WithMaxBatchSize(4)) // trigger: 7 items
		for range 6 {
			b.OnSpanEnd(nil)
		}
		synctest.Wait()
		if got := rec.count(); got != 0 {
			t.Fatalf("exported %d items below the trigger, want 0", got)
		}
		b.OnSpanEnd(nil)
		synctest.Wait() // no time passes
		if diff := cmp.Diff([]int{4, 3}, rec.sizes()); diff != "" {
			t.Errorf("batch sizes at the trigger (-want +got):\n%s", diff)
		}
		if err := b.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBatcherBatchSizes(t *testing.T) {
	defer goleak.VerifyNone(t)
	rec := &fakeRecorder{}
	b := NewBatcher(rec, WithMaxBatchSize(3), WithScheduleDelay(time.Hour))
	for range 10 {
		b.OnSpanEnd(nil)
	}
	if err := b.ForceFlush(context.Background()); err != nil {
		t.Fatalf("ForceFlush: %v", err)
	}
	if diff := cmp.Diff([]int{3, 3, 3, 1}, rec.sizes()); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkBatchBalance(t, b.Stats())
}

func TestBatcherQueueFull(t *testing.T) {
	defer goleak.VerifyNone(t)
	st := newFakeStuck(false)
	b := NewBatcher(st, WithMaxQueueSize(4), WithExportTrigger(1), WithScheduleDelay(time.Hour))
	b.OnSpanEnd(nil)
	flushed := make(chan error)
	go func() { flushed <- b.ForceFlush(context.Background()) }()
	<-st.entered // the worker holds the first item in a stuck export
	for range 10 {
		b.OnSpanEnd(nil) // never blocks: 4 fit, 6 are dropped
	}
	want := Stats{Received: 11, Dropped: map[DropReason]int64{DropQueueFull: 6}, Pending: 5}
	if diff := cmp.Diff(want, b.Stats()); diff != "" {
		t.Errorf("Stats with a full queue (-want +got):\n%s", diff)
	}
	close(st.release)
	if err := <-flushed; err != nil {
		t.Fatalf("ForceFlush: %v", err)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	want = Stats{Received: 11, Exported: 5, Dropped: map[DropReason]int64{DropQueueFull: 6}}
	if diff := cmp.Diff(want, b.Stats()); diff != "" {
		t.Errorf("Stats after Shutdown (-want +got):\n%s", diff)
	}
}

func TestBatcherExportErrors(t *testing.T) {
	partial := errors.Join(
		&PartialError{Dropped: 2, Reason: DropTooLarge, Err: errors.New("span too big")},
		&PartialError{Dropped: 1, Reason: DropRejected},
	)
	for _, tc := range []struct {
		name    string
		exp     *fakeFailing
		want    Stats
		wantErr string
	}{
		{"failed", &fakeFailing{err: errors.New("backend down")},
			Stats{Received: 10, Dropped: map[DropReason]int64{DropExportFailed: 10}}, "backend down"},
		{"partial", &fakeFailing{err: partial},
			Stats{Received: 10, Exported: 4, Dropped: map[DropReason]int64{DropTooLarge: 4, DropRejected: 2}}, "span too big"},
		{"panic", &fakeFailing{panics: true},
			Stats{Received: 10, Dropped: map[DropReason]int64{DropExporterPanic: 10}}, "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			b := NewBatcher(tc.exp, WithMaxBatchSize(5), WithLogger(discardLogger()))
			for range 5 {
				b.OnSpanEnd(nil)
			}
			err := b.ForceFlush(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ForceFlush error = %v, want one containing %q", err, tc.wantErr)
			}
			// The worker survived: a second batch is exported too.
			for range 5 {
				b.OnSpanEnd(nil)
			}
			_ = b.ForceFlush(context.Background())
			if err := b.Shutdown(context.Background()); err != nil {
				t.Errorf("Shutdown: %v", err)
			}
			if got := tc.exp.calls.Load(); got != 2 {
				t.Errorf("Export called %d times, want 2", got)
			}
			if diff := cmp.Diff(tc.want, b.Stats()); diff != "" {
				t.Errorf("Stats (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBatcherForceFlushHonoursCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newFakeStuck(false)
		b := NewBatcher(st)
		b.OnSpanEnd(nil)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		if err := b.ForceFlush(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("ForceFlush = %v, want DeadlineExceeded", err)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("ForceFlush returned after %v, want 1s", d)
		}
		// The export goes on, on the Batcher's context, until its timeout.
		time.Sleep(DefaultExportTimeout)
		synctest.Wait()
		want := Stats{Received: 1, Dropped: map[DropReason]int64{DropExportFailed: 1}}
		if diff := cmp.Diff(want, b.Stats()); diff != "" {
			t.Errorf("Stats (-want +got):\n%s", diff)
		}
		if err := b.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBatcherShutdownDeliversAllWithSlowExporter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow := &fakeSlow{delay: time.Second}
		b := NewBatcher(slow, WithMaxBatchSize(100))
		for range 1000 {
			b.OnSpanEnd(nil)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := b.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		want := Stats{Received: 1000, Exported: 1000}
		if diff := cmp.Diff(want, b.Stats()); diff != "" {
			t.Errorf("Stats (-want +got):\n%s", diff)
		}
		if got := slow.n.Load(); got != 1000 {
			t.Errorf("exporter got %d items, want 1000", got)
		}
	})
}

func TestBatcherShutdownHungExporter(t *testing.T) {
	for _, deaf := range []bool{false, true} {
		name := map[bool]string{false: "honours ctx", true: "ignores ctx"}[deaf]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				st := newFakeStuck(deaf)
				b := NewBatcher(st, WithMaxBatchSize(10), WithLogger(discardLogger()))
				for range 50 {
					b.OnSpanEnd(nil)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
				defer cancel()
				start := time.Now()
				err := b.Shutdown(ctx)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("Shutdown = %v, want DeadlineExceeded", err)
				}
				if d := time.Since(start); d != 3*time.Second {
					t.Errorf("Shutdown returned after %v, want its 3s deadline", d)
				}
				b.OnSpanEnd(nil) // after shutdown
				if deaf {
					// Only the batch held by the hung Export is pending.
					synctest.Wait()
					s := b.Stats()
					if s.Pending != 10 || s.Dropped[DropShutdownDeadline] != 40 {
						t.Errorf("Stats while Export hangs = %+v, want 10 pending, 40 shutdown_deadline", s)
					}
					close(st.release)
				}
				synctest.Wait() // the worker exits once Export returns
				want := Stats{Received: 51, Dropped: map[DropReason]int64{DropShutdownDeadline: 50, DropAfterShutdown: 1}}
				if diff := cmp.Diff(want, b.Stats()); diff != "" {
					t.Errorf("Stats (-want +got):\n%s", diff)
				}
				if got := st.shutdowns.Load(); got != 1 {
					t.Errorf("exporter Shutdown called %d times, want 1", got)
				}
			})
		})
	}
}

func TestBatcherAfterShutdown(t *testing.T) {
	defer goleak.VerifyNone(t)
	rec := &fakeRecorder{}
	b := NewBatcher(rec, WithLogger(discardLogger()))
	b.OnSpanEnd(nil)
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown = %v, want nil", err)
	}
	goleak.VerifyNone(t) // the worker is gone and nothing restarts it
	b.OnSpanEnd(nil)
	b.OnTraceStart(nil)
	b.OnSpanStart(nil)
	if err := b.ForceFlush(context.Background()); err != nil {
		t.Errorf("ForceFlush after Shutdown = %v, want nil", err)
	}
	want := Stats{Received: 3, Exported: 1, Dropped: map[DropReason]int64{DropAfterShutdown: 2}}
	if diff := cmp.Diff(want, b.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	if got := rec.shutdownCalls(); got != 1 {
		t.Errorf("exporter Shutdown called %d times, want 1", got)
	}
}

func TestBatcherNil(t *testing.T) {
	defer goleak.VerifyNone(t)
	var nilB *Batcher
	nilB.OnTraceStart(nil)
	nilB.OnTraceEnd(nil)
	nilB.OnSpanStart(nil)
	nilB.OnSpanEnd(nil)
	if err := nilB.ForceFlush(context.Background()); err != nil {
		t.Error(err)
	}
	if err := nilB.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
	if diff := cmp.Diff(Stats{}, nilB.Stats()); diff != "" {
		t.Errorf("nil Stats (-want +got):\n%s", diff)
	}

	b := NewBatcher(nil)
	b.OnSpanEnd(nil)
	if err := b.ForceFlush(context.Background()); err != nil {
		t.Error(err)
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
	want := Stats{Received: 1, Dropped: map[DropReason]int64{DropAfterShutdown: 1}}
	if diff := cmp.Diff(want, b.Stats()); diff != "" {
		t.Errorf("nil-exporter Stats (-want +got):\n%s", diff)
	}
}

func TestBatcherOptions(t *testing.T) {
	def := batcherConfig{
		maxQueue: DefaultMaxQueueSize, maxBatch: DefaultMaxBatchSize, delay: DefaultScheduleDelay,
		exportTimeout: DefaultExportTimeout, trigger: DefaultExportTrigger, reportInterval: DefaultReportInterval,
	}
	with := func(f func(*batcherConfig)) batcherConfig { c := def; f(&c); return c }
	for _, tc := range []struct {
		name string
		opts []BatcherOption
		want batcherConfig
	}{
		{"defaults", nil, def},
		{"nil option", []BatcherOption{nil}, def},
		{"non-positive", []BatcherOption{WithMaxQueueSize(0), WithMaxBatchSize(-1), WithScheduleDelay(0),
			WithExportTimeout(-time.Second), WithExportTrigger(0), WithReportInterval(0)}, def},
		{"trigger above 1", []BatcherOption{WithExportTrigger(1.5)}, def},
		{"batch above queue", []BatcherOption{WithMaxQueueSize(10), WithMaxBatchSize(50)},
			with(func(c *batcherConfig) { c.maxQueue, c.maxBatch = 10, 10 })},
		{"all set", []BatcherOption{WithMaxQueueSize(100), WithMaxBatchSize(20), WithScheduleDelay(time.Second),
			WithExportTimeout(2 * time.Second), WithExportTrigger(0.5), WithReportInterval(time.Hour)},
			batcherConfig{maxQueue: 100, maxBatch: 20, delay: time.Second, exportTimeout: 2 * time.Second,
				trigger: 0.5, reportInterval: time.Hour}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := newBatcherConfig(nil, tc.opts)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(batcherConfig{})); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
	if got := (batcherConfig{maxQueue: 8192, trigger: 0.7}).triggerLen(); got != 5734 {
		t.Errorf("default trigger length = %d, want 5734", got)
	}
	if got := (batcherConfig{maxQueue: 1, trigger: 0.1}).triggerLen(); got != 1 {
		t.Errorf("tiny trigger length = %d, want 1", got)
	}
}

// TestBatcherManyProducers runs producers, flushes and Stats readers
// concurrently against a small queue; run it with -race.
func TestBatcherManyProducers(t *testing.T) {
	defer goleak.VerifyNone(t)
	rec := &fakeRecorder{}
	b := NewBatcher(rec, WithMaxQueueSize(256), WithMaxBatchSize(32), WithLogger(discardLogger()))
	tp := batchProvider(b)
	const producers, traces, spansPer = 8, 500, 3
	var wg sync.WaitGroup
	for range producers {
		wg.Go(func() {
			for range traces {
				produceTrace(tp, spansPer)
			}
		})
	}
	stop := make(chan struct{})
	var side sync.WaitGroup
	side.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = b.ForceFlush(context.Background())
			if s := b.Stats(); s.Pending < 0 {
				t.Errorf("negative pending: %+v", s)
			}
		}
	})
	wg.Wait()
	close(stop)
	side.Wait()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	s := b.Stats()
	checkBatchBalance(t, s)
	if s.Received != producers*traces*(spansPer+2) {
		t.Errorf("received %d, want %d", s.Received, producers*traces*(spansPer+2))
	}
	if got := int64(rec.count()); got != s.Exported {
		t.Errorf("exporter got %d items, Stats says %d exported", got, s.Exported)
	}
}

// TestBatcherProducersDuringShutdown shuts down while producers run: every
// item is still exported or counted.
func TestBatcherProducersDuringShutdown(t *testing.T) {
	defer goleak.VerifyNone(t)
	rec := &fakeRecorder{}
	b := NewBatcher(rec, WithMaxQueueSize(512), WithLogger(discardLogger()))
	var wg sync.WaitGroup
	started := make(chan struct{}, 4)
	for range 4 {
		wg.Go(func() {
			started <- struct{}{}
			for range 20000 {
				b.OnSpanEnd(nil)
			}
		})
	}
	for range 4 {
		<-started
	}
	if err := b.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	wg.Wait()
	s := b.Stats()
	checkBatchBalance(t, s)
	if s.Received != 80000 {
		t.Errorf("received %d, want 80000", s.Received)
	}
	if got := int64(rec.count()); got != s.Exported {
		t.Errorf("exporter got %d items, Stats says %d exported", got, s.Exported)
	}
	for r := range s.Dropped {
		if r != DropQueueFull && r != DropAfterShutdown {
			t.Errorf("unexpected drop reason %q in %+v", r, s)
		}
	}
}

// TestBatcherEnqueueAllocs pins the hot path: queuing an item allocates
// nothing.
func TestBatcherEnqueueAllocs(t *testing.T) {
	defer goleak.VerifyNone(t)
	b := NewBatcher(&fakeDiscard{}, WithScheduleDelay(time.Hour))
	defer b.Shutdown(context.Background())
	tp := batchProvider(b)
	ctx, tr := tp.StartTrace(context.Background(), "allocs")
	_, sp := tracing.CustomSpan(ctx, "step", nil)
	sp.End()
	tr.End()
	if n := testing.AllocsPerRun(1000, func() { b.OnSpanEnd(sp) }); n != 0 {
		t.Errorf("OnSpanEnd allocates %v times, want 0", n)
	}
}
