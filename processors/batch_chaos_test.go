package processors

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// fakeChaos is an exporter that, call by call, delivers everything, fails,
// drops part of the batch for random reasons, panics, or is slow (honouring
// ctx). delivered counts what it says it delivered.
type fakeChaos struct {
	mu        sync.Mutex
	rng       *rand.Rand
	delivered atomic.Int64
}

func (f *fakeChaos) Export(ctx context.Context, items []Item) error {
	f.mu.Lock()
	mode, k := f.rng.IntN(6), f.rng.IntN(len(items)+1)
	f.mu.Unlock()
	switch mode {
	case 0:
		return errors.New("chaos: backend down")
	case 1:
		reasons := []DropReason{DropTooLarge, DropRejected, DropNoAPIKey}
		err := &PartialError{Dropped: k, Reason: reasons[k%len(reasons)]}
		f.delivered.Add(int64(len(items) - k))
		return err
	case 2:
		panic("chaos: exporter bug")
	case 3:
		t := time.NewTimer(time.Duration(k) * 20 * time.Microsecond)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f.delivered.Add(int64(len(items)))
	return nil
}

func (f *fakeChaos) Shutdown(context.Context) error { return nil }

// TestBatcherChaos mixes random exporter faults, queue sizes, producers,
// flushes and shutdown deadlines: in every run each item is delivered or
// counted as dropped, and the exporter's own count of deliveries matches.
func TestBatcherChaos(t *testing.T) {
	defer goleak.VerifyNone(t)
	all := map[DropReason]int64{}
	defer func() { t.Logf("drops by reason over all runs: %v", all) }()
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 42))
		exp := &fakeChaos{rng: rand.New(rand.NewPCG(seed, 7))}
		b := NewBatcher(exp,
			WithMaxQueueSize(1+rng.IntN(300)),
			WithMaxBatchSize(1+rng.IntN(50)),
			WithScheduleDelay(time.Duration(1+rng.IntN(5))*time.Millisecond),
			WithExportTrigger(0.1+0.9*rng.Float64()),
			WithExportTimeout(time.Duration(1+rng.IntN(5))*time.Millisecond),
			WithLogger(discardLogger()))
		const producers = 4
		perProducer := 500 + rng.IntN(3000)
		var wg sync.WaitGroup
		for range producers {
			wg.Go(func() {
				for range perProducer {
					b.OnSpanEnd(nil)
				}
			})
		}
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
			defer cancel()
			_ = b.ForceFlush(ctx)
		})
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rng.IntN(5000))*time.Microsecond)
		_ = b.Shutdown(ctx)
		cancel()
		wg.Wait()
		<-b.done

		s := b.Stats()
		checkBatchBalance(t, s)
		for r, n := range s.Dropped {
			all[r] += n
		}
		if s.Received != int64(producers*perProducer) {
			t.Errorf("seed %d: received %d, want %d", seed, s.Received, producers*perProducer)
		}
		if got := exp.delivered.Load(); got != s.Exported {
			t.Errorf("seed %d: exporter delivered %d, Stats says %d exported (%+v)", seed, got, s.Exported, s)
		}
	}
}
