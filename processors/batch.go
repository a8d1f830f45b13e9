package processors

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// Batcher is a [tracing.Processor] that queues trace and span events and
// exports them in batches from one background goroutine. It is the
// processor to use in production: the traced program never waits for it.
//
// # The queue
//
// OnTraceStart, OnTraceEnd and OnSpanEnd put an [Item] on a bounded queue (a
// buffered channel, sent to without blocking) and return: they never wait. When the queue is full the
// new item is dropped and counted as [DropQueueFull]. The worker sleeps on a
// timer and wakes when the schedule delay is up or when the queue reaches the
// export trigger (70 % by default); it then exports everything queued, in
// batches, while producers keep filling the remaining room. The producer whose
// item crosses the trigger, or finds the queue full while the worker is not
// inside Export, yields its processor once (runtime.Gosched: it goes on at
// once if nothing else is runnable, and never waits for the exporter) so that
// the worker gets a CPU even when every core is busy producing. With two
// producers running flat out at the defaults (200,000 spans, a discarding
// exporter) on two otherwise idle cores, 100 % of spans were delivered
// (medians of 6 runs), against 80 % for the same queue without the yield and
// 90.5 % for the OpenTelemetry SDK's BatchSpanProcessor; on two cores that
// other work also kept busy (load average 11 to 23), 97.5 to 98.4 % (±2-3 %),
// against 61 to 63 % without the yield and 76 % for the SDK
// (BenchmarkBatchDelivered); what is
// lost is lost while the operating system runs other programs' threads
// instead of the worker's, which no yield can give back. A hung exporter
// makes no producer yield: items are then dropped at the cost of an atomic
// add.
//
// # Nothing lost silently
//
// Every item received is exported, dropped with a reason, or pending:
// [Stats] always satisfies Received == Exported + sum(Dropped) + Pending.
// Drops are reported through log/slog at most once per report interval (one
// minute by default), summed by reason, and once more at Shutdown.
//
// # Exports
//
// Each Export runs on the Batcher's own context, bounded by the export
// timeout, never on a caller's context. Export errors are read with
// [Dropped]; a panicking exporter drops its batch as [DropExporterPanic] and
// the worker goes on.
//
// # Several exporters
//
// Give each exporter its own Batcher: each has its own queue and worker, so a
// slow, failing or stuck exporter never delays or loses another's items, and
// the provider flushes and shuts its processors down concurrently.
//
// # Shutdown
//
// Go has no atexit: make `defer tracing.Shutdown(ctx)` (or the deferred
// Shutdown of your own provider) a habit in main, and see [ShutdownOnSignal]
// for SIGINT and SIGTERM. Shutdown stops accepting items
// (later ones are counted as [DropAfterShutdown]), exports the queue, then
// shuts the exporter down. When ctx is done first it cancels the export in
// flight (interrupting an exporter's retry sleeps), counts what was not
// exported as [DropShutdownDeadline] and returns ctx's error at once.
//
// A nil *Batcher is a valid processor that does nothing. All methods are safe
// for concurrent use.
type Batcher struct {
	exp     Exporter
	cfg     batcherConfig
	trigger int      // queue length that wakes the worker
	counted eventSet // the events counted toward the batch size (see Selective)

	queue  chan Item
	wake   chan struct{}   // cap 1: the queue reached the trigger
	flush  chan chan error // ForceFlush requests
	stop   chan struct{}   // closed by Shutdown
	done   chan struct{}   // closed when the worker exits
	gaveUp chan struct{}   // closed when Shutdown's deadline passed first

	// state is stoppedBit once Shutdown has begun, plus the number of
	// producers between their check of the bit and their send. The producer
	// that leaves it at exactly stoppedBit signals idle, after which nothing
	// is ever sent to queue again.
	state atomic.Int64
	idle  chan struct{} // cap 1

	stats counters
	full  atomic.Int64 // DropQueueFull, counted on the hot path
	late  atomic.Int64 // DropAfterShutdown, counted on the hot path

	exporting atomic.Bool // the worker is in Export

	ctx     context.Context    // parent of every export's context
	cancel  context.CancelFunc // cancels ctx when Shutdown's deadline passes
	aborted atomic.Bool

	shutOnce sync.Once
	shutCtx  context.Context // Shutdown's ctx; written before stop is closed
	waitIdle bool            // producers were in flight at Shutdown
	shutErr  error           // written by the worker before done is closed

	rep reporter // owned by the worker
}

const stoppedBit = 1 << 62

var _ tracing.Processor = (*Batcher)(nil)

// NewBatcher returns a Batcher exporting through exp and starts its worker
// goroutine, which runs until [Batcher.Shutdown]. Defaults (see the options):
// a queue of [DefaultMaxQueueSize] items, batches of at most
// [DefaultMaxBatchSize] (or the exporter's own size, when it is a
// [BatchSizer]), an export every [DefaultScheduleDelay] or when the
// queue is [DefaultExportTrigger] full, each export bounded by
// [DefaultExportTimeout], drops reported at most every
// [DefaultReportInterval] through [slog.Default].
//
// A nil exp, or a typed nil pointer (what an exporter constructor whose
// error was ignored returns), gives a Batcher that is already shut down: it
// starts no goroutine and counts every item as [DropAfterShutdown].
func NewBatcher(exp Exporter, opts ...BatcherOption) *Batcher {
	cfg := newBatcherConfig(exp, opts)
	b := &Batcher{
		exp:     exp,
		cfg:     cfg,
		trigger: cfg.triggerLen(),
		counted: countedEvents(exp),
		done:    make(chan struct{}),
		gaveUp:  make(chan struct{}),
	}
	if isNil(exp) {
		b.exp = nil
		b.state.Store(stoppedBit)
		b.shutOnce.Do(func() {})
		close(b.done)
		return b
	}
	b.queue = make(chan Item, cfg.maxQueue)
	b.wake = make(chan struct{}, 1)
	b.flush = make(chan chan error)
	b.stop = make(chan struct{})
	b.idle = make(chan struct{}, 1)
	b.ctx, b.cancel = context.WithCancel(context.Background())
	go b.run()
	return b
}

// OnTraceStart queues a [TraceStarted] item.
func (b *Batcher) OnTraceStart(t *tracing.Trace) { b.enqueue(TraceItem(TraceStarted, t)) }

// OnTraceEnd queues a [TraceEnded] item.
func (b *Batcher) OnTraceEnd(t *tracing.Trace) { b.enqueue(TraceItem(TraceEnded, t)) }

// OnSpanStart does nothing.
func (b *Batcher) OnSpanStart(*tracing.Span) {}

// OnSpanEnd queues a [SpanEnded] item.
func (b *Batcher) OnSpanEnd(s *tracing.Span) { b.enqueue(SpanItem(s)) }

// enqueue is the hot path: it never blocks and allocates nothing.
func (b *Batcher) enqueue(it Item) {
	if b == nil {
		return
	}
	b.stats.received.Add(1)
	if b.state.Add(1)&stoppedBit != 0 {
		b.late.Add(1)
		b.leave()
		return
	}
	yield := false
	select {
	case b.queue <- it:
		if len(b.queue) >= b.trigger {
			select {
			case b.wake <- struct{}{}:
				yield = true
			default:
			}
		}
	default:
		b.full.Add(1)
		// A full queue while the worker is not in Export means it was
		// woken but has no CPU: give it this one.
		yield = !b.exporting.Load()
	}
	b.leave()
	if yield && yieldToWorker {
		// The worker was made runnable on this P; without a yield it waits
		// for the producer to block or be preempted (up to 10 ms) while
		// the queue fills.
		runtime.Gosched()
	}
}

// yieldToWorker is false only in the benchmark that shows what it is for.
var yieldToWorker = true

func (b *Batcher) leave() {
	if b.state.Add(-1) == stoppedBit {
		select {
		case b.idle <- struct{}{}:
		default:
		}
	}
}

// Stats returns what the Batcher has done so far.
func (b *Batcher) Stats() Stats {
	if b == nil {
		return Stats{}
	}
	return b.stats.snapshotPlus(
		reasonCount{DropQueueFull, b.full.Load()},
		reasonCount{DropAfterShutdown, b.late.Load()},
	)
}

// ForceFlush exports everything queued before the call and returns nil, or
// an error saying how many of those items were not delivered, or ctx's error
// when ctx is done first; the flush then goes on in the background. The
// exports run on the Batcher's context, not on ctx. Once Shutdown has
// finished, or given up at its deadline, it returns nil at once; while
// Shutdown drains the queue it waits for the drain.
func (b *Batcher) ForceFlush(ctx context.Context) error {
	if b == nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	req := make(chan error, 1)
	select {
	case b.flush <- req:
	case <-b.done:
		return nil
	case <-b.gaveUp:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shutdown stops accepting items, exports the queue and shuts the exporter
// down with ctx. It returns the errors of the final exports and of the
// exporter's Shutdown, or ctx's error as soon as ctx is done: then the export
// in flight is cancelled and everything not exported is counted as
// [DropShutdownDeadline]. The worker goroutine exits once the export in
// flight returns (an exporter that ignores its context keeps it until then)
// and the exporter's Shutdown, called with ctx even when ctx is done, has
// returned.
//
// Only the first call has an effect. Later calls, concurrent ones included,
// wait until the first has returned (or their own ctx is done, returning its
// error) and return nil, so that every caller may rely on the queue having
// been dealt with when it returns.
func (b *Batcher) Shutdown(ctx context.Context) error {
	if b == nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	first := false
	b.shutOnce.Do(func() { first = true })
	if !first {
		select {
		case <-b.done:
			return nil
		case <-b.gaveUp:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("processors: batcher shutdown: %w", ctx.Err())
		}
	}
	b.shutCtx = ctx
	b.waitIdle = b.state.Add(stoppedBit) != stoppedBit
	close(b.stop)
	select {
	case <-b.done:
		return b.shutErr
	case <-ctx.Done():
	}
	b.aborted.Store(true)
	b.cancel()
	b.dropQueued()
	close(b.gaveUp)
	return fmt.Errorf("processors: batcher shutdown: %w", ctx.Err())
}

// dropQueued empties the queue, counting its items as DropShutdownDeadline,
// and returns how many it took. Both Shutdown and the worker call it; each
// item is taken by one of them.
func (b *Batcher) dropQueued() int {
	n := 0
	for {
		select {
		case <-b.queue:
			n++
			continue
		default:
		}
		break
	}
	b.stats.drop(DropShutdownDeadline, n)
	return n
}
