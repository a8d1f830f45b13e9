package processors

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// These tests hold the processors to "tracing never breaks the traced
// program" against exporters and callers that misbehave.

// nilPtrError is an error type whose Error method dereferences its receiver:
// returning a nil *nilPtrError as an error is a classic Go mistake.
type nilPtrError struct{ msg string }

func (e *nilPtrError) Error() string { return e.msg }

// typedNilExporter returns a typed nil pointer as its error.
type typedNilExporter struct{ partial bool }

func (x typedNilExporter) Export(context.Context, []Item) error {
	if x.partial {
		var pe *PartialError
		return pe
	}
	var e *nilPtrError
	return e
}

func (typedNilExporter) Shutdown(context.Context) error {
	var e *nilPtrError
	return e
}

func TestDroppedTypedNil(t *testing.T) {
	var pe *PartialError
	if got := Dropped(pe, 3); len(got) != 0 {
		t.Errorf("Dropped((*PartialError)(nil), 3) = %v, want nothing dropped", got)
	}
	if got := pe.Error(); got == "" {
		t.Error("(*PartialError)(nil).Error() is empty")
	}
	if pe.Unwrap() != nil {
		t.Error("(*PartialError)(nil).Unwrap() is not nil")
	}
	var e *nilPtrError
	if got := Dropped(e, 3); got[DropExportFailed] != 3 {
		t.Errorf("Dropped(typed nil error, 3) = %v, want 3 export_failed", got)
	}
	if got := Dropped(errors.Join(errors.New("x"), &PartialError{Dropped: 1, Err: e}), 3); got[DropExportFailed] != 1 {
		t.Errorf("Dropped(join with a typed nil cause) = %v, want 1 export_failed", got)
	}
}

// An exporter that returns typed nil errors must not take the worker down
// (a panic there would end the program), and every item stays accounted for.
func TestBatcherTypedNilErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, partial := range []bool{true, false} {
		var logs bytes.Buffer
		b := NewBatcher(typedNilExporter{partial: partial}, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		tp := batchProvider(b)
		produceTrace(tp, 2)
		flushErr := b.ForceFlush(context.Background())
		shutErr := b.Shutdown(context.Background())
		s := b.Stats()
		checkBatchBalance(t, s)
		if partial {
			if flushErr != nil || s.Exported != 4 {
				t.Errorf("typed nil *PartialError: ForceFlush = %v, %+v; want all 4 exported", flushErr, s)
			}
			continue
		}
		if flushErr == nil || s.Dropped[DropExportFailed] != 4 {
			t.Errorf("typed nil error: ForceFlush = %v, %+v; want 4 export_failed", flushErr, s)
		}
		// Errors handed back carry a message computed safely, once.
		for _, err := range []error{flushErr, shutErr} {
			if err != nil && err.Error() == "" {
				t.Errorf("empty error message: %#v", err)
			}
		}
		if !strings.Contains(logs.String(), "export_failed=4") {
			t.Errorf("the drops were not reported:\n%s", logs.String())
		}
	}
}

func TestSyncTypedNilErrors(t *testing.T) {
	s := NewSync(typedNilExporter{})
	s.logger = discardLogger()
	tp := batchProvider(s)
	produceTrace(tp, 1)
	if err := tp.Shutdown(context.Background()); err == nil || err.Error() == "" {
		t.Errorf("Shutdown = %v; want the exporter's error, described", err)
	}
	st := s.Stats()
	checkBatchBalance(t, st)
	if st.Dropped[DropExportFailed] != 3 {
		t.Errorf("Stats = %+v, want 3 export_failed", st)
	}
}

// panicHandler is a slog handler that panics: the processors' own logging
// must not take them down.
type panicHandler struct{ slog.Handler }

func (panicHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panicHandler) Handle(context.Context, slog.Record) error { panic("log handler bug") }

func TestBatcherPanickingLogHandler(t *testing.T) {
	defer goleak.VerifyNone(t)
	b := NewBatcher(&fakeFailing{err: errors.New("down")}, WithLogger(slog.New(panicHandler{})))
	tp := batchProvider(b)
	produceTrace(tp, 1)
	_ = b.ForceFlush(context.Background())
	_ = b.Shutdown(context.Background())
	checkBatchBalance(t, b.Stats())
}

// gateExporter's first Export waits for release; later ones succeed.
type gateExporter struct {
	entered, release chan struct{}
	calls            int
}

func (g *gateExporter) Export(ctx context.Context, items []Item) error {
	g.calls++ // the batcher never calls Export concurrently
	if g.calls == 1 {
		g.entered <- struct{}{}
		<-g.release
	}
	return nil
}

func (g *gateExporter) Shutdown(context.Context) error { return nil }

// When Shutdown's deadline passes during a ForceFlush, the items the flush
// could not export are reported by the flush too.
func TestBatcherForceFlushReportsShutdownDrops(t *testing.T) {
	defer goleak.VerifyNone(t)
	g := &gateExporter{entered: make(chan struct{}, 1), release: make(chan struct{})}
	b := NewBatcher(g, WithLogger(discardLogger()), WithMaxBatchSize(1), WithScheduleDelay(time.Hour))
	tp := batchProvider(b)
	produceTrace(tp, 3) // 5 items
	flushErr := make(chan error, 1)
	go func() { flushErr <- b.ForceFlush(context.Background()) }()
	<-g.entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want context.Canceled", err)
	}
	close(g.release)
	err := <-flushErr
	<-b.done
	s := b.Stats()
	checkBatchBalance(t, s)
	if s.Exported == s.Received {
		t.Fatalf("nothing was dropped: %+v", s)
	}
	if err == nil || !strings.Contains(err.Error(), "not delivered") {
		t.Errorf("ForceFlush = %v with %+v; want the undelivered items reported", err, s)
	}
}

// After a Shutdown that gave up at its deadline (the exporter ignores its
// context and is still in Export), ForceFlush returns at once.
func TestBatcherForceFlushAfterAbandonedShutdown(t *testing.T) {
	ex := newFakeStuck(true)
	b := NewBatcher(ex, WithLogger(discardLogger()), WithScheduleDelay(time.Millisecond))
	tp := batchProvider(b)
	produceTrace(tp, 1)
	<-ex.entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Shutdown(ctx); err == nil {
		t.Fatal("Shutdown with a done ctx returned nil")
	}
	if err := b.ForceFlush(context.Background()); err != nil { // would block forever before
		t.Errorf("ForceFlush after Shutdown = %v, want nil", err)
	}
	if err := b.Shutdown(context.Background()); err != nil { // so would this
		t.Errorf("second Shutdown = %v, want nil", err)
	}
	close(ex.release)
	<-b.done
	checkBatchBalance(t, b.Stats())
}

// A second Shutdown, concurrent with the first, returns only once the first
// has dealt with the queue, so that either caller may exit right after.
func TestBatcherConcurrentShutdownWaits(t *testing.T) {
	defer goleak.VerifyNone(t)
	ex := newFakeStuck(false)
	b := NewBatcher(ex, WithLogger(discardLogger()), WithScheduleDelay(time.Millisecond))
	tp := batchProvider(b)
	produceTrace(tp, 1)
	<-ex.entered
	first := make(chan error, 1)
	go func() { first <- b.Shutdown(context.Background()) }()
	for b.state.Load()&stoppedBit == 0 { // the first Shutdown has begun
		time.Sleep(time.Millisecond)
	}
	// A later caller whose own ctx is done gets that error at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting Shutdown with a done ctx = %v, want context.Canceled", err)
	}
	second := make(chan error, 1)
	go func() { second <- b.Shutdown(context.Background()) }()
	select {
	case err := <-second:
		t.Fatalf("second Shutdown returned %v while the first was still exporting", err)
	case <-time.After(20 * time.Millisecond): // a bounded look, not a timing assertion
	}
	close(ex.release)
	if err := <-first; err != nil {
		t.Errorf("first Shutdown = %v", err)
	}
	if err := <-second; err != nil {
		t.Errorf("second Shutdown = %v, want nil", err)
	}
	s := b.Stats()
	checkBatchBalance(t, s)
	if s.Exported != s.Received {
		t.Errorf("not everything was delivered: %+v", s)
	}
}

// Sync.Shutdown honours its ctx while an export is in progress, cancelling
// that export.
func TestSyncShutdownHonoursCtx(t *testing.T) {
	defer goleak.VerifyNone(t)
	ex := newFakeStuck(false)
	s := NewSync(ex)
	s.logger = discardLogger()
	exported := make(chan struct{})
	go func() { s.OnSpanEnd(nil); close(exported) }()
	<-ex.entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want context.Canceled", err)
	}
	<-exported // the export was cancelled, not left to its 30 s timeout
	s.OnSpanEnd(nil)
	st := s.Stats()
	checkBatchBalance(t, st)
	if st.Dropped[DropExportFailed] != 1 || st.Dropped[DropAfterShutdown] != 1 {
		t.Errorf("Stats = %+v; want the cancelled export failed and the later item after_shutdown", st)
	}
	for ex.shutdowns.Load() != 1 { // called in the background once the export returned
		time.Sleep(time.Millisecond)
	}
}

// A nil ctx is taken as context.Background, never a panic.
func TestNilContexts(t *testing.T) {
	var nilCtx context.Context // the API copes with a nil context
	defer goleak.VerifyNone(t)
	b := NewBatcher(&fakeRecorder{}, WithLogger(discardLogger()))
	s := NewSync(&fakeRecorder{})
	tp := batchProvider(b, s)
	produceTrace(tp, 1)
	if err := tp.ForceFlush(nilCtx); err != nil {
		t.Errorf("Provider.ForceFlush(nil) = %v", err)
	}
	if err := b.ForceFlush(nilCtx); err != nil {
		t.Errorf("Batcher.ForceFlush(nil) = %v", err)
	}
	if err := s.ForceFlush(nilCtx); err != nil {
		t.Errorf("Sync.ForceFlush(nil) = %v", err)
	}
	if err := tp.Shutdown(nilCtx); err != nil {
		t.Errorf("Provider.Shutdown(nil) = %v", err)
	}
	if err := b.Shutdown(nilCtx); err != nil {
		t.Errorf("Batcher.Shutdown(nil) after the provider's = %v", err)
	}
	checkBatchBalance(t, b.Stats())
	checkBatchBalance(t, s.Stats())
}

// Malformed items (nil traces and spans) are skipped by the console.
func TestConsoleMalformedItems(t *testing.T) {
	var out bytes.Buffer
	c := NewConsole(&out)
	err := c.Export(context.Background(), []Item{{Event: TraceStarted}, {Event: SpanEnded}, {Event: TraceEnded},
		SpanItem(&tracing.Span{})})
	if err != nil || out.Len() != 0 {
		t.Errorf("Export = %v, printed %q", err, out.String())
	}
}

// A typed nil exporter (New's result when its error was ignored) is treated
// as no exporter: every item is counted, none panics the worker.
func TestTypedNilExporter(t *testing.T) {
	defer goleak.VerifyNone(t)
	var exp *fakeRecorder
	b := NewBatcher(exp, WithLogger(discardLogger()))
	s := NewSync(exp)
	tp := batchProvider(b, s)
	produceTrace(tp, 1)
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown = %v", err)
	}
	for _, st := range []Stats{b.Stats(), s.Stats()} {
		checkBatchBalance(t, st)
		if st.Dropped[DropAfterShutdown] != 3 {
			t.Errorf("Stats = %+v, want 3 after_shutdown", st)
		}
	}
	if msg := (&PartialError{Dropped: 1}).Error(); !strings.Contains(msg, "1 item dropped") {
		t.Errorf("PartialError for one item: %q", msg)
	}
}

func TestStatsString(t *testing.T) {
	s := Stats{Received: 12, Exported: 9, Pending: 1, Dropped: map[DropReason]int64{DropQueueFull: 1, DropExportFailed: 1}}
	if got, want := s.String(), "received=12 exported=9 pending=1 dropped=2 (export_failed=1 queue_full=1)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := (Stats{}).String(), "received=0 exported=0 pending=0 dropped=0"; got != want {
		t.Errorf("zero String() = %q, want %q", got, want)
	}
}
