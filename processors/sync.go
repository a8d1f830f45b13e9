package processors

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// DefaultExportTimeout bounds one export by the bundled processors.
const DefaultExportTimeout = 30 * time.Second

// Sync is a [tracing.Processor] that exports every trace start, trace end and
// span end at once, on the goroutine that caused it. It makes the traced
// program wait for the exporter, so it is meant for tests, examples and
// development; use a [Batcher] in production. It is safe for concurrent use;
// exports are serialised.
type Sync struct {
	exp     Exporter
	timeout time.Duration
	logger  *slog.Logger
	stats   counters

	mu         sync.Mutex
	down       bool
	lastReport time.Time // when a failure was last logged
	unreported int       // failures since then
}

// syncReportInterval bounds how often Sync logs failed exports.
const syncReportInterval = 10 * time.Second

var _ tracing.Processor = (*Sync)(nil)

// NewSync returns a processor that exports each event through exp as it
// happens, each export bounded by [DefaultExportTimeout]. Failures are
// counted (see [Sync.Stats]) and logged through [slog.Default], at most once
// every 10 seconds.
func NewSync(exp Exporter) *Sync {
	return &Sync{exp: exp, timeout: DefaultExportTimeout}
}

// OnTraceStart exports the trace start.
func (p *Sync) OnTraceStart(t *tracing.Trace) { p.export(TraceItem(TraceStarted, t)) }

// OnTraceEnd exports the trace end.
func (p *Sync) OnTraceEnd(t *tracing.Trace) { p.export(TraceItem(TraceEnded, t)) }

// OnSpanStart does nothing.
func (p *Sync) OnSpanStart(*tracing.Span) {}

// OnSpanEnd exports the span.
func (p *Sync) OnSpanEnd(s *tracing.Span) { p.export(SpanItem(s)) }

func (p *Sync) export(it Item) {
	p.stats.received.Add(1)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down || p.exp == nil {
		p.stats.drop(DropAfterShutdown, 1)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
	defer cancel()
	err := safeExport(ctx, p.exp, []Item{it})
	if d := p.stats.settle(err, 1); len(d) > 0 {
		p.unreported++
		if now := time.Now(); now.Sub(p.lastReport) >= syncReportInterval {
			logger(p.logger).Warn("agenttrace: export failed; items dropped",
				slog.String("exporter", fmt.Sprintf("%T", p.exp)),
				slog.Int("dropped", p.unreported), slog.Any("error", err))
			p.lastReport, p.unreported = now, 0
		}
	}
}

// Stats returns what the processor has done so far.
func (p *Sync) Stats() Stats { return p.stats.snapshot() }

// ForceFlush does nothing: every event is exported when it happens.
func (p *Sync) ForceFlush(ctx context.Context) error { return ctx.Err() }

// Shutdown shuts the exporter down. Later events are dropped and counted.
func (p *Sync) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return nil
	}
	p.down = true
	if p.exp == nil {
		return nil
	}
	return p.exp.Shutdown(ctx)
}

// safeExport calls exp.Export, turning a panic into a PartialError that drops
// the batch.
func safeExport(ctx context.Context, exp Exporter, items []Item) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PartialError{Dropped: len(items), Reason: DropExporterPanic, Err: fmt.Errorf("exporter panicked: %v", r)}
		}
	}()
	return exp.Export(ctx, items)
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.Default()
	}
	return l
}
