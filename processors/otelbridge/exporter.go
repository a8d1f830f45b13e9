package otelbridge

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
)

// Exporter sends agent traces and spans through a trace.TracerProvider (see
// the package documentation). Use it with a batch processor, as [New] does.
// All methods are safe for concurrent use. A nil *Exporter is shut down:
// Export counts every item as dropped (processors.DropAfterShutdown) and
// Shutdown returns nil.
type Exporter struct {
	tp      trace.TracerProvider
	tracer  trace.Tracer
	conv    *otelmap.Converter
	open    otelmap.OpenTraces
	stopped atomic.Bool
	warned  atomic.Bool
}

var _ processors.Exporter = (*Exporter)(nil)

// New returns a batch processor (with the batcher's defaults) sending agent
// traces through tp: add it to a provider with tracing.WithProcessor. A nil
// tp means the global provider, [otel.GetTracerProvider].
func New(tp trace.TracerProvider, opts ...Option) *processors.Batcher {
	return processors.NewBatcher(NewExporter(tp, opts...))
}

// NewExporter returns an exporter sending agent traces through tp, for a
// batch processor of your own settings (processors.NewBatcher). A nil tp
// means the global provider, [otel.GetTracerProvider].
func NewExporter(tp trace.TracerProvider, opts ...Option) *Exporter {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return &Exporter{
		tp:     tp,
		tracer: tp.Tracer(otelmap.ScopeName, trace.WithInstrumentationVersion(otelmap.Version)),
		conv:   otelmap.New(otelmap.ConfigFor(cfg.coze, 0, cfg.messages)),
	}
}

var (
	errNilExporter = errors.New("otelbridge: nil exporter")
	errShutDown    = errors.New("otelbridge: exporter is shut down")
)

// Export starts and ends an OTel span for every ended trace and span among
// items. Trace starts are not sent: the trace is sent as the root span when
// it ends, or by [Exporter.Shutdown] if it has not ended by then. It returns
// [*processors.PartialError]s (joined) counting the spans whose conversion
// failed (export_failed, naming the span) or that could not fit Coze Loop's
// limit (too_large); what the provider does with the spans after that is
// its own business. A nil or shut-down exporter counts every item as
// after_shutdown.
func (e *Exporter) Export(_ context.Context, items []processors.Item) error {
	if e == nil {
		return dropAll(items, errNilExporter)
	}
	if e.stopped.Load() {
		return dropAll(items, errShutDown)
	}
	e.open.Track(items)
	return e.send(items)
}

func dropAll(items []processors.Item, err error) error {
	return &processors.PartialError{Dropped: len(items), Reason: processors.DropAfterShutdown, Err: err}
}

// send converts items with the shared mapping and replays each span through
// the tracer.
func (e *Exporter) send(items []processors.Item) error {
	conv := e.conv.NewBatch()
	var drops otelmap.Drops
	for _, it := range items {
		ps, err := conv.Convert(it)
		switch {
		case err != nil:
			drops.Add("otelbridge", err)
		case ps != nil:
			e.replay(it, ps)
		}
	}
	return errors.Join(drops.Errors("otelbridge", e.conv.Config().SpanJSONLimit)...)
}

// replay starts and ends the OTel span of ps, with the ids and parent the
// item's trace or span was given at start.
func (e *Exporter) replay(it processors.Item, ps *tracepb.Span) {
	var sc, parent trace.SpanContext
	if it.Span != nil {
		sc, parent = it.Span.SpanContext(), it.Span.ParentSpanContext()
	} else {
		sc, parent = it.Trace.SpanContext(), it.Trace.ParentSpanContext()
	}
	ctx := context.Background()
	if parent.IsValid() {
		ctx = trace.ContextWithSpanContext(ctx, parent)
	}
	ctx = context.WithValue(ctx, idsKey{}, agentIDs{trace: sc.TraceID(), span: sc.SpanID()})
	_, span := e.tracer.Start(ctx, ps.GetName(),
		trace.WithTimestamp(fromUnixNano(ps.GetStartTimeUnixNano())),
		trace.WithSpanKind(trace.SpanKind(ps.GetKind())),
		trace.WithAttributes(attributes(ps.GetAttributes())...),
	)
	if got := span.SpanContext(); got.IsValid() && got.SpanID() != sc.SpanID() && e.warned.CompareAndSwap(false, true) {
		slog.Default().Warn("otelbridge: the TracerProvider gives agent spans ids of its own; OTel spans made inside them will not nest under them. " +
			"Configure it with sdktrace.WithIDGenerator(otelbridge.IDGenerator(nil))")
	}
	for _, ev := range ps.GetEvents() {
		span.AddEvent(ev.GetName(),
			trace.WithTimestamp(fromUnixNano(ev.GetTimeUnixNano())),
			trace.WithAttributes(attributes(ev.GetAttributes())...))
	}
	switch st := ps.GetStatus(); st.GetCode() {
	case tracepb.Status_STATUS_CODE_ERROR:
		span.SetStatus(codes.Error, st.GetMessage())
	case tracepb.Status_STATUS_CODE_OK:
		span.SetStatus(codes.Ok, "")
	}
	span.End(trace.WithTimestamp(fromUnixNano(ps.GetEndTimeUnixNano())))
}

func fromUnixNano(n uint64) time.Time { return time.Unix(0, int64(n)) }

// Shutdown stops the exporter: later exports fail. Then, unless ctx is done,
// it sends a root span for each trace that started and has not ended (the
// last 4096 such traces), ending now and marked with
// agenttrace.trace.ended=false, as otlpexport does, and flushes the
// provider when it has a ForceFlush method (an SDK provider has), within
// ctx. It does not shut the provider down. Only the first call has an
// effect; a nil *Exporter returns nil.
func (e *Exporter) Shutdown(ctx context.Context) error {
	if e == nil {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if !e.stopped.CompareAndSwap(false, true) {
		return nil
	}
	var errs []error
	if open := e.open.Take(); len(open) > 0 && ctx.Err() == nil {
		items := make([]processors.Item, len(open))
		for i, t := range open {
			items[i] = processors.Item{Event: otelmap.EventOpenTrace, Trace: t}
		}
		if err := e.send(items); err != nil {
			errs = append(errs, fmt.Errorf("otelbridge: root spans of traces still open at shutdown: %w", err))
		}
	}
	if f, ok := e.tp.(interface{ ForceFlush(context.Context) error }); ok {
		if err := f.ForceFlush(ctx); err != nil {
			errs = append(errs, fmt.Errorf("otelbridge: ForceFlush: %w", err))
		}
	}
	return errors.Join(errs...)
}
