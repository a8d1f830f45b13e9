package processors

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// reporter logs the Batcher's drops, summed by reason, at most once per
// report interval. Only the worker goroutine uses it.
type reporter struct {
	last     time.Time            // time of the last report
	reported map[DropReason]int64 // drops already reported
	lastErr  error                // the last export error, for the next report
}

// maybeReport logs the drops since the last report if there are any and the
// interval has passed since the last report, or always when final.
func (r *reporter) maybeReport(b *Batcher, final bool) {
	now := time.Now()
	if !final && !r.last.IsZero() && now.Sub(r.last) < b.cfg.reportInterval {
		return
	}
	s := b.Stats()
	var attrs []any
	var total int64
	reasons := make([]DropReason, 0, len(s.Dropped))
	for reason := range s.Dropped {
		reasons = append(reasons, reason)
	}
	slices.Sort(reasons)
	for _, reason := range reasons {
		if n := s.Dropped[reason] - r.reported[reason]; n > 0 {
			attrs = append(attrs, slog.Int64(string(reason), n))
			total += n
		}
	}
	if total == 0 {
		return
	}
	args := []any{
		slog.String("exporter", fmt.Sprintf("%T", b.exp)),
		slog.Int64("dropped", total),
		slog.Group("by_reason", attrs...),
	}
	if !r.last.IsZero() {
		args = append(args, slog.Duration("since", now.Sub(r.last)))
	}
	if r.lastErr != nil {
		args = append(args, slog.String("last_error", safetext.Error(r.lastErr)))
	}
	warn(b.cfg.logger, "agenttrace: trace items dropped", args...)
	r.last = now
	r.reported = s.Dropped
	r.lastErr = nil
}
