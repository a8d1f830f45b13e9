package tracing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// Provider creates traces and fans their events out to processors. The zero
// value is not usable; create providers with [NewProvider]. All methods are
// safe for concurrent use, and a nil *Provider is a valid disabled provider.
//
// Processors are held behind an atomic pointer, so starting and ending spans
// takes no lock; [Provider.AddTraceProcessor] and
// [Provider.SetTraceProcessors] copy the list.
type Provider struct {
	procs    atomic.Pointer[[]Processor]
	disabled atomic.Bool
	down     atomic.Bool
	redact   bool
	ids      IDGenerator
	// defaultIDs is set when ids is the default generator, whose ids carry
	// their OTel ids (see newSpanID).
	defaultIDs bool
	// sampleAll, or else sampleBound, is the sampling decision of traces
	// with no OTel parent (see WithSamplingRatio).
	sampleAll   bool
	sampleBound uint64
	// ignoreParent makes the decision above for traces with an OTel parent
	// too (OTEL_TRACES_SAMPLER=always_on, always_off or traceidratio).
	ignoreParent bool
	clock        func() time.Time
	wallClock    bool // clock is time.Now
	logger       *slog.Logger
	mu           sync.Mutex // serialises changes to procs and shutdown
	shutOnce     bool
	shutDone     chan struct{} // closed when the first Shutdown returns
	lastPanic    atomic.Int64  // unix nanos of the last panic report
	panics       atomic.Int64  // panics not yet reported
}

// panicReportInterval bounds how often contained processor panics are logged.
const panicReportInterval = 10 * time.Second

// NewProvider returns a provider configured by opts. Defaults: no
// processors; enabled unless OPENAI_AGENTS_DISABLE_TRACING is "1" or "true";
// sensitive data included unless OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA is
// "0" or "false"; the sampler OTEL_TRACES_SAMPLER names ([EnvTracesSampler];
// parent-based, every trace, when unset); random ids; [time.Now]. The
// environment is read once, here; options override it.
func NewProvider(opts ...Option) *Provider {
	env := readEnv()
	cfg := providerConfig{
		disabled:  env.disabled,
		sensitive: env.includeSensitive,
		ids:       randomIDs{},
		clock:     time.Now,
		sampler:   env.sampler,
	}
	for _, o := range opts {
		if o != nil {
			o.applyProvider(&cfg)
		}
	}
	_, defaultIDs := cfg.ids.(randomIDs)
	p := &Provider{
		redact:     !cfg.sensitive,
		ids:        cfg.ids,
		defaultIDs: defaultIDs,
		clock:      cfg.clock,
		wallClock:  !cfg.clockSet,
		logger:     cfg.logger,
		shutDone:   make(chan struct{}),
	}
	p.sampleAll, p.sampleBound = samplingBound(cfg.sampler.ratio)
	p.ignoreParent = cfg.sampler.ignoreParent
	if env.samplerErr != nil {
		p.warn(env.samplerErr.Error())
	}
	procs := slices.Clone(cfg.processors)
	p.procs.Store(&procs)
	p.disabled.Store(cfg.disabled)
	return p
}

// AddTraceProcessor appends proc to the processors. A nil proc is ignored.
func (p *Provider) AddTraceProcessor(proc Processor) {
	if p == nil || proc == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	next := append(slices.Clone(*p.procs.Load()), proc)
	p.procs.Store(&next)
}

// SetTraceProcessors replaces the processors with procs (nil entries are
// skipped). The replaced processors are not shut down.
func (p *Provider) SetTraceProcessors(procs ...Processor) {
	if p == nil {
		return
	}
	next := make([]Processor, 0, len(procs))
	for _, proc := range procs {
		if proc != nil {
			next = append(next, proc)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.procs.Store(&next)
}

// Processors returns a copy of the current processors.
func (p *Provider) Processors() []Processor {
	if p == nil {
		return nil
	}
	return slices.Clone(*p.procs.Load())
}

// SetDisabled turns tracing off or back on. While disabled, new traces and
// spans are nil and cost nothing; spans of traces already open are nil too.
func (p *Provider) SetDisabled(disabled bool) {
	if p != nil {
		p.disabled.Store(disabled)
	}
}

// Enabled reports whether the provider records traces: it is not nil, not
// disabled and not shut down.
func (p *Provider) Enabled() bool {
	return p != nil && !p.disabled.Load() && !p.down.Load()
}

// IncludesSensitiveData reports whether spans keep model and tool inputs and
// outputs and audio.
func (p *Provider) IncludesSensitiveData() bool { return p != nil && !p.redact }

// Now returns the provider clock's current time.
func (p *Provider) Now() time.Time {
	if p == nil {
		return time.Now()
	}
	return p.clock()
}

// ForceFlush asks every processor, concurrently, to export what has ended. It
// returns when all are done or ctx is done, joining their errors with ctx's.
// A nil ctx means [context.Background].
func (p *Provider) ForceFlush(ctx context.Context) error {
	if p == nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return p.each(ctx, "ForceFlush", Processor.ForceFlush)
}

// Shutdown disables the provider and shuts every processor down concurrently,
// returning when all are done or ctx is done, with their errors joined with
// ctx's. Traces started after Shutdown are nil. Only the first call shuts
// down; later calls, concurrent ones included, wait until the first has
// returned (or their own ctx is done, returning its error) and return nil.
// A nil ctx means [context.Background].
func (p *Provider) Shutdown(ctx context.Context) error {
	if p == nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	p.mu.Lock()
	if p.shutOnce {
		p.mu.Unlock()
		select {
		case <-p.shutDone:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("tracing: Shutdown: %w", ctx.Err())
		}
	}
	p.shutOnce = true
	p.down.Store(true)
	p.mu.Unlock()
	defer close(p.shutDone)
	return p.each(ctx, "Shutdown", Processor.Shutdown)
}

// each runs f on every processor in its own goroutine, so a slow processor
// never holds back another, and waits for all of them or for ctx.
func (p *Provider) each(ctx context.Context, method string, f func(Processor, context.Context) error) error {
	procs := *p.procs.Load()
	if len(procs) == 0 {
		return nil
	}
	errs := make(chan error, len(procs))
	for _, proc := range procs {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					p.reportPanic(proc, method, r)
					errs <- fmt.Errorf("tracing: %T.%s panicked: %s", proc, method, safetext.Panic(r))
				}
			}()
			if err := f(proc, ctx); err != nil {
				errs <- fmt.Errorf("tracing: %T.%s: %w", proc, method, err)
				return
			}
			errs <- nil
		}()
	}
	var all []error
	for range procs {
		select {
		case err := <-errs:
			all = append(all, err)
		case <-ctx.Done():
			all = append(all, fmt.Errorf("tracing: %s: %w", method, ctx.Err()))
			return errors.Join(all...)
		}
	}
	return errors.Join(all...)
}

func (p *Provider) reportPanic(proc Processor, method string, r any) {
	p.panics.Add(1)
	now := time.Now().UnixNano()
	last := p.lastPanic.Load()
	if last != 0 && now-last < int64(panicReportInterval) {
		return // counted; reported with the next report
	}
	if !p.lastPanic.CompareAndSwap(last, now) {
		return // another goroutine is reporting
	}
	defer func() { _ = recover() }() // a panicking log handler is contained too
	l := p.logger
	if l == nil {
		l = slog.Default()
	}
	l.Error("agenttrace: processor panicked; the panic was contained",
		slog.String("processor", fmt.Sprintf("%T", proc)),
		slog.String("method", method),
		slog.String("panic", safetext.Panic(r)),
		slog.Int64("panics_since_last_report", p.panics.Swap(0)))
}

// warn logs msg as a warning through the provider's logger (or
// slog.Default), containing a panicking handler.
func (p *Provider) warn(msg string) {
	defer func() { _ = recover() }()
	l := p.logger
	if l == nil {
		l = slog.Default()
	}
	l.Warn("agenttrace: " + msg)
}

// The calls below contain a panicking processor so that it never reaches the
// traced program.

func (p *Provider) recoverProcessor(proc Processor, method string) {
	if r := recover(); r != nil {
		p.reportPanic(proc, method, r)
	}
}

func (p *Provider) callTraceStart(proc Processor, t *Trace) {
	defer p.recoverProcessor(proc, "OnTraceStart")
	proc.OnTraceStart(t)
}

func (p *Provider) callTraceEnd(proc Processor, t *Trace) {
	defer p.recoverProcessor(proc, "OnTraceEnd")
	proc.OnTraceEnd(t)
}

func (p *Provider) callSpanStart(proc Processor, s *Span) {
	defer p.recoverProcessor(proc, "OnSpanStart")
	proc.OnSpanStart(s)
}

func (p *Provider) callSpanEnd(proc Processor, s *Span) {
	defer p.recoverProcessor(proc, "OnSpanEnd")
	proc.OnSpanEnd(s)
}
