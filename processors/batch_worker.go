package processors

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// run is the worker goroutine: it sleeps until the schedule delay is up, the
// queue reaches the trigger, a flush is asked for or Shutdown begins.
func (b *Batcher) run() {
	defer close(b.done)
	timer := time.NewTimer(b.cfg.delay)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			b.exportQueued(len(b.queue))
		case <-b.wake:
			b.exportQueued(len(b.queue))
		case req := <-b.flush:
			req <- b.flushResult(b.exportQueued(len(b.queue)))
		case <-b.stop:
			b.finish()
			return
		}
		b.rep.maybeReport(b, false)
		timer.Reset(b.cfg.delay)
	}
}

// errShutdownDeadline is the cause given for items that Shutdown's deadline
// left unexported.
var errShutdownDeadline = errors.New("shutdown deadline passed before export")

// exportResult sums up the exports of one drain.
type exportResult struct {
	dropped int
	lastErr error
}

func (b *Batcher) flushResult(r exportResult) error {
	if r.dropped == 0 {
		return nil
	}
	return fmt.Errorf("processors: flush: %d items not delivered: %w", r.dropped, r.lastErr)
}

// exportQueued takes up to limit items off the queue (fewer if it runs dry)
// and exports them in batches of up to the batch size of counted items (see
// Selective). Once Shutdown's deadline has passed it exports
// nothing more and counts the rest as DropShutdownDeadline.
func (b *Batcher) exportQueued(limit int) exportResult {
	var res exportResult
	for limit > 0 {
		if b.aborted.Load() {
			// The rest of the limit is dropped, by this call or by
			// Shutdown's own (only they take items off the queue).
			b.dropQueued()
			res.dropped += limit
			res.lastErr = errShutdownDeadline
			return res
		}
		// Up to maxBatch items the exporter sends, with the items it does
		// not send (see Selective) riding along, never more than limit.
		want := min(limit, b.cfg.maxBatch)
		batch := make([]Item, 0, want)
		counted := 0
	fill:
		for counted < want && len(batch) < limit {
			select {
			case it := <-b.queue:
				batch = append(batch, it)
				if b.counted.has(it.Event) {
					counted++
				}
			default:
				break fill
			}
		}
		if len(batch) == 0 {
			break
		}
		limit -= len(batch)
		if n, err := b.exportBatch(batch); n > 0 {
			res.dropped += n
			res.lastErr = err
		}
	}
	return res
}

// exportBatch exports one batch on the Batcher's context with the export
// timeout and counts the outcome; it returns how many items were dropped.
func (b *Batcher) exportBatch(batch []Item) (int, error) {
	if b.aborted.Load() {
		b.stats.drop(DropShutdownDeadline, len(batch))
		return len(batch), errShutdownDeadline
	}
	ctx, cancel := context.WithTimeout(b.ctx, b.cfg.exportTimeout)
	b.exporting.Store(true)
	err := safeExport(ctx, b.exp, batch)
	b.exporting.Store(false)
	cancel()
	d := Dropped(err, len(batch))
	if b.aborted.Load() && d[DropExportFailed] > 0 {
		// The export failed because Shutdown's deadline cancelled it.
		d[DropShutdownDeadline] += d[DropExportFailed]
		delete(d, DropExportFailed)
	}
	lost := 0
	for r, n := range d {
		b.stats.drop(r, n)
		lost += n
	}
	b.stats.exported.Add(int64(len(batch) - lost))
	if lost > 0 {
		b.rep.lastErr = err
	}
	return lost, err
}

// finish runs once Shutdown has begun: it waits for producers still between
// their check and their send (they never block), exports the queue, shuts
// the exporter down and reports the drops.
func (b *Batcher) finish() {
	if b.waitIdle {
		<-b.idle
	}
	res := b.exportQueued(cap(b.queue))
	b.dropQueued() // only after Shutdown's deadline can anything be left
	err := safeShutdown(b.shutCtx, b.exp)
	b.cancel()
	b.rep.maybeReport(b, true)
	var errs []error
	if res.dropped > 0 {
		errs = append(errs, fmt.Errorf("processors: batcher shutdown: %d items not delivered: %w", res.dropped, res.lastErr))
	}
	if err != nil {
		errs = append(errs, err)
	}
	b.shutErr = errors.Join(errs...)
}
