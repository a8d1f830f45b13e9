package processors

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
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

	// ctx is the parent of every export's context; Shutdown cancels it when
	// its own deadline passes during an export.
	ctx    context.Context
	cancel context.CancelFunc
	down   atomic.Bool

	mu         sync.Mutex // serialises exports and the exporter's Shutdown
	lastReport time.Time  // when a failure was last logged
	unreported int        // failures since then
}

// syncReportInterval bounds how often Sync logs failed exports.
const syncReportInterval = 10 * time.Second

var _ tracing.Processor = (*Sync)(nil)

// NewSync returns a processor that exports each event through exp as it
// happens, each export bounded by [DefaultExportTimeout]. A nil exp, or a
// typed nil pointer, drops every event as [DropAfterShutdown]. Failures are
// counted (see [Sync.Stats]) and logged through [slog.Default], at most once
// every 10 seconds.
func NewSync(exp Exporter) *Sync {
	if isNil(exp) {
		exp = nil // counted as DropAfterShutdown, like a nil exp
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Sync{exp: exp, timeout: DefaultExportTimeout, ctx: ctx, cancel: cancel}
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
	if p.down.Load() || p.exp == nil {
		p.stats.drop(DropAfterShutdown, 1)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down.Load() { // Shutdown began while this export waited its turn
		p.stats.drop(DropAfterShutdown, 1)
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	err := safeExport(ctx, p.exp, []Item{it})
	if d := p.stats.settle(err, 1); len(d) > 0 {
		p.unreported++
		if now := time.Now(); now.Sub(p.lastReport) >= syncReportInterval {
			warn(p.logger, "agenttrace: export failed; items dropped",
				slog.String("exporter", fmt.Sprintf("%T", p.exp)),
				slog.Int("dropped", p.unreported), slog.String("error", safetext.Error(err)))
			p.lastReport, p.unreported = now, 0
		}
	}
}

// Stats returns what the processor has done so far.
func (p *Sync) Stats() Stats { return p.stats.snapshot() }

// ForceFlush does nothing: every event is exported when it happens. It
// returns ctx's error when ctx is already done.
func (p *Sync) ForceFlush(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}

// Shutdown waits for an export in progress, then shuts the exporter down
// with ctx; later events are dropped and counted as [DropAfterShutdown]. When
// ctx is done first it cancels the export in progress and returns ctx's
// error; the exporter's Shutdown is still called, with ctx, once that export
// returns. Only the first call has an effect; later calls return nil.
func (p *Sync) Shutdown(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if p.down.Swap(true) {
		return nil
	}
	if p.exp == nil {
		p.cancel()
		return nil
	}
	done := make(chan error, 1)
	go func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		defer p.cancel()
		done <- safeShutdown(ctx, p.exp)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		p.cancel()
		return fmt.Errorf("processors: sync shutdown: %w", ctx.Err())
	}
}

// safeExport calls exp.Export, turning a panic into a PartialError that drops
// the batch.
func safeExport(ctx context.Context, exp Exporter, items []Item) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PartialError{Dropped: len(items), Reason: DropExporterPanic, Err: fmt.Errorf("exporter panicked: %s", safetext.Panic(r))}
		}
	}()
	return safeErr(exp.Export(ctx, items))
}

// safeShutdown calls exp.Shutdown, turning a panic into an error.
func safeShutdown(ctx context.Context, exp Exporter) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("processors: exporter Shutdown panicked: %s", safetext.Panic(r))
		}
	}()
	return safeErr(exp.Shutdown(ctx))
}

// isNil reports whether exp is nil or a nil pointer, map, slice, func or
// chan held in the interface.
func isNil(exp Exporter) bool {
	if exp == nil {
		return true
	}
	switch v := reflect.ValueOf(exp); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// warn logs msg at warning level through l, or [slog.Default] when l is
// nil. A handler that panics is contained: logging never takes the
// processors down.
func warn(l *slog.Logger, msg string, args ...any) {
	defer func() { _ = recover() }()
	if l == nil {
		l = slog.Default()
	}
	l.Warn(msg, args...)
}
