package processors

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// fakeRecorder is an exporter that keeps every item and batch size it is given.
type fakeRecorder struct {
	mu        sync.Mutex
	items     []Item
	batches   []int
	shutdowns int
}

func (r *fakeRecorder) Export(_ context.Context, items []Item) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items = append(r.items, items...)
	r.batches = append(r.batches, len(items))
	return nil
}

func (r *fakeRecorder) Shutdown(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shutdowns++
	return nil
}

func (r *fakeRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.items)
}

func (r *fakeRecorder) sizes() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.batches...)
}

func (r *fakeRecorder) shutdownCalls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.shutdowns
}

// fakeDiscard is a discarding exporter that only counts items: the fastest
// possible backend, for benchmarks and flat-out tests.
type fakeDiscard struct{ n atomic.Int64 }

func (c *fakeDiscard) Export(_ context.Context, items []Item) error {
	c.n.Add(int64(len(items)))
	return nil
}

func (c *fakeDiscard) Shutdown(context.Context) error { return nil }

// fakeStuck is an exporter whose Export blocks until its context is done (a hung
// backend with an exporter that honours ctx) or, when deaf, until release is
// closed whatever the context says (a buggy exporter). entered receives one
// value per Export call that has started.
type fakeStuck struct {
	deaf      bool
	entered   chan struct{}
	release   chan struct{}
	exported  atomic.Int64
	shutdowns atomic.Int64
}

func newFakeStuck(deaf bool) *fakeStuck {
	return &fakeStuck{deaf: deaf, entered: make(chan struct{}, 1<<16), release: make(chan struct{})}
}

func (s *fakeStuck) Export(ctx context.Context, items []Item) error {
	s.entered <- struct{}{}
	if s.deaf {
		<-s.release
		return errors.New("fakeStuck: released")
	}
	select {
	case <-s.release:
		s.exported.Add(int64(len(items)))
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *fakeStuck) Shutdown(context.Context) error {
	s.shutdowns.Add(1)
	return nil
}

// fakeFailing is an exporter whose every Export returns err, or panics when
// panics is set.
type fakeFailing struct {
	err    error
	panics bool
	calls  atomic.Int64
}

func (f *fakeFailing) Export(_ context.Context, items []Item) error {
	f.calls.Add(1)
	if f.panics {
		panic("fakeFailing: boom")
	}
	return f.err
}

func (f *fakeFailing) Shutdown(context.Context) error { return nil }

// batchProvider returns a provider sending to b with deterministic ids.
func batchProvider(procs ...tracing.Processor) *tracing.Provider {
	opts := []tracing.Option{tracing.WithDisabled(false), tracing.WithSensitiveData(true)}
	for _, p := range procs {
		opts = append(opts, tracing.WithProcessor(p))
	}
	return tracing.NewProvider(opts...)
}

// produceTrace starts one trace with spans spans in tp and ends it all. It yields
// spans+2 items: trace start, the spans, trace end.
func produceTrace(tp *tracing.Provider, spans int) {
	ctx, tr := tp.StartTrace(context.Background(), "work")
	for range spans {
		_, sp := tracing.CustomSpan(ctx, "step", nil)
		sp.End()
	}
	tr.End()
}

// checkBatchBalance fails t unless every item received was exported or dropped.
func checkBatchBalance(t interface {
	Helper()
	Errorf(string, ...any)
}, s Stats) {
	t.Helper()
	if s.Pending != 0 || s.Received != s.Exported+s.DroppedTotal() {
		t.Errorf("stats out of balance: %+v (received %d != exported %d + dropped %d)",
			s, s.Received, s.Exported, s.DroppedTotal())
	}
}

// fakeSlow is an exporter that takes delay per Export, or until its context
// is done.
type fakeSlow struct {
	delay time.Duration
	n     atomic.Int64
}

func (s *fakeSlow) Export(ctx context.Context, items []Item) error {
	t := time.NewTimer(s.delay)
	defer t.Stop()
	select {
	case <-t.C:
		s.n.Add(int64(len(items)))
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *fakeSlow) Shutdown(context.Context) error { return nil }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
