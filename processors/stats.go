package processors

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// Stats counts what a processor did with the items it received. Every item
// received is eventually exported, dropped (by reason), or still pending:
// Received == Exported + sum(Dropped) + Pending.
type Stats struct {
	// Received counts items handed to the processor, including those dropped
	// at once.
	Received int64
	// Exported counts items the exporter took without error: delivered, or
	// passed over because its destination has no use for them (the OTLP
	// exporter sends a trace when it ends, not when it starts; the OpenAI
	// one sends trace starts, not ends).
	Exported int64
	// Dropped counts items not delivered, by reason.
	Dropped map[DropReason]int64
	// Pending counts items queued or being exported.
	Pending int64
}

// String describes s on one line, drops by reason in name order:
// "received=12 exported=9 pending=1 dropped=2 (queue_full=2)".
func (s Stats) String() string {
	b := fmt.Appendf(nil, "received=%d exported=%d pending=%d dropped=%d", s.Received, s.Exported, s.Pending, s.DroppedTotal())
	if len(s.Dropped) > 0 {
		reasons := slices.Sorted(maps.Keys(s.Dropped))
		b = append(b, " ("...)
		for i, r := range reasons {
			if i > 0 {
				b = append(b, ' ')
			}
			b = fmt.Appendf(b, "%s=%d", r, s.Dropped[r])
		}
		b = append(b, ')')
	}
	return string(b)
}

// DroppedTotal returns the sum of Dropped.
func (s Stats) DroppedTotal() int64 {
	var n int64
	for _, v := range s.Dropped {
		n += v
	}
	return n
}

// counters is the concurrency-safe store behind Stats.
type counters struct {
	received atomic.Int64
	exported atomic.Int64
	mu       sync.Mutex
	dropped  map[DropReason]int64
}

func (c *counters) drop(r DropReason, n int) {
	if n <= 0 {
		return
	}
	c.mu.Lock()
	if c.dropped == nil {
		c.dropped = map[DropReason]int64{}
	}
	c.dropped[r] += int64(n)
	c.mu.Unlock()
}

// settle records the outcome of exporting n items that ended in err.
func (c *counters) settle(err error, n int) map[DropReason]int {
	d := Dropped(err, n)
	lost := 0
	for r, k := range d {
		c.drop(r, k)
		lost += k
	}
	c.exported.Add(int64(n - lost))
	return d
}

func (c *counters) snapshot() Stats {
	c.mu.Lock()
	d := maps.Clone(c.dropped)
	c.mu.Unlock()
	s := Stats{Received: c.received.Load(), Exported: c.exported.Load(), Dropped: d}
	s.Pending = s.Received - s.Exported - s.DroppedTotal()
	return s
}
