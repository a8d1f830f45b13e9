package processors

import "maps"

// reasonCount is a number of items dropped for one reason, counted outside
// counters (the Batcher counts hot-path drops with their own atomics).
type reasonCount struct {
	reason DropReason
	n      int64
}

// snapshotPlus returns the counters with extra drops added. Callers load the
// extra counts before calling, and snapshotPlus reads received last: every
// item counted as exported or dropped was received first, so Pending is
// never negative.
func (c *counters) snapshotPlus(extra ...reasonCount) Stats {
	exported := c.exported.Load()
	c.mu.Lock()
	d := maps.Clone(c.dropped)
	c.mu.Unlock()
	for _, e := range extra {
		if e.n == 0 {
			continue
		}
		if d == nil {
			d = map[DropReason]int64{}
		}
		d[e.reason] += e.n
	}
	s := Stats{Received: c.received.Load(), Exported: exported, Dropped: d}
	s.Pending = s.Received - s.Exported - s.DroppedTotal()
	return s
}
