package otlpexport

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/internal/safetext"
	"github.com/agenttrace/agenttrace-go/processors"
)

// Version is reported as telemetry.sdk.version and the instrumentation
// scope's version.
const Version = otelmap.Version

// Exporter sends traces and spans to an OTLP/HTTP endpoint as protobuf. Use
// it with a batch processor:
//
//	exp, err := otlpexport.New()
//	if err != nil {
//		return err
//	}
//	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)))
//	defer tp.Shutdown(context.Background())
//
// All methods are safe for concurrent use; the processors call Export from
// one goroutine at a time. A nil *Exporter is shut down: Export counts every
// item as dropped (processors.DropAfterShutdown) and Shutdown returns nil.
type Exporter struct {
	post     *poster
	resource *resourcepb.Resource
	scope    *commonpb.InstrumentationScope
	policy   retry.Policy
	timeout  time.Duration
	maxReq   int
	sleep    retry.Sleeper
	conv     *otelmap.Converter
	stopped  atomic.Bool
	// down is cancelled by Shutdown, interrupting exports in flight
	// (requests and waits between attempts).
	down     context.Context
	shutdown context.CancelFunc
	// open remembers the traces started and not ended, whose root spans
	// Shutdown sends (see opentraces.go).
	open otelmap.OpenTraces
	// spareBatch holds the converter of the last export, whose memory the
	// next one reuses (see batch).
	spareBatch chan *otelmap.Batch
}

var (
	_ processors.Exporter   = (*Exporter)(nil)
	_ processors.BatchSizer = (*Exporter)(nil)
	_ processors.Selective  = (*Exporter)(nil)
)

// BatchSize returns [DefaultBatchSize], the batch size a processors.Batcher
// made without processors.WithMaxBatchSize uses for this exporter. With
// gzip on, batches of 512 spans sent 16 % fewer bytes per span than the
// Batcher's default 128 (19 % fewer at 2048), as few as the OpenTelemetry
// SDK sends for the same content at its default of 512.
func (e *Exporter) BatchSize() int { return DefaultBatchSize }

// Sends reports whether the exporter sends a span for items of event ev:
// for every event but processors.TraceStarted (the root span is sent when
// the trace ends). A processors.Batcher then counts only the items that
// become spans toward its batch size.
func (e *Exporter) Sends(ev processors.Event) bool { return ev != processors.TraceStarted }

// New returns an exporter configured by the environment and then opts.
//
// The destination is, in order: [WithCozeLoop] (both halves non-empty, else
// an error) or [WithEndpointURL] among opts; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
// (used verbatim) or OTEL_EXPORTER_OTLP_ENDPOINT (with /v1/traces appended),
// with OTEL_EXPORTER_OTLP_[TRACES_]HEADERS (a malformed value is an error
// naming the variable and the position of the pair at fault, never its
// text); COZELOOP_WORKSPACE_ID with
// COZELOOP_API_TOKEN (and COZELOOP_API_BASE_URL for another site), as
// [WithCozeLoop]; else https://localhost:4318/v1/traces. When an OTLP
// endpoint variable and COZELOOP_* credentials are both set, the endpoint
// variable wins and one warning is logged through [slog.Default] (naming
// the variables, never the token). [NewFromEnv] is the same, except that it
// returns [ErrNotConfigured] instead of using the default endpoint. One of
// COZELOOP_WORKSPACE_ID and COZELOOP_API_TOKEN without the other is an
// error, and so is an endpoint that is not an http or https URL. The
// endpoint's scheme alone chooses TLS: OTEL_EXPORTER_OTLP_[TRACES_]INSECURE
// is not read (the specification applies it to OTLP/gRPC only). Plain http
// with headers or a query to a host that is not this machine logs one
// warning (credentials travel in clear).
//
// Spans carry every attribute family, except for Coze Loop, which gets
// [ProfileCozeLoop] and no message attributes (see [WithAttributes] and
// [WithMessageAttributes]). Other defaults: gzip on unless OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION is
// "none"; [DefaultTimeout] or OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT
// (milliseconds) per export, retries included; retries with backoff from
// [DefaultRetryInitial] to [DefaultRetryMax]; [DefaultMaxRequestSize] per
// request; service.name from OTEL_SERVICE_NAME, else "unknown_service:" and
// the program's name; TLS roots and client certificates from
// OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE, _CLIENT_CERTIFICATE and
// _CLIENT_KEY (a certificate without its key, or a key without its
// certificate, is an error naming the missing variable). Requests are always
// protobuf (OTEL_EXPORTER_OTLP_PROTOCOL=http/json is ignored: Coze Loop
// rejects OTLP/JSON). New does not connect; it fails only on unusable
// settings.
func New(opts ...Option) (*Exporter, error) {
	return build(opts, false)
}

// build makes the exporter of [New], or of [NewFromEnv] when
// needDestination is set.
func build(opts []Option, needDestination bool) (*Exporter, error) {
	cfg := config{
		timeout:      DefaultTimeout,
		retryInitial: DefaultRetryInitial,
		retryMax:     DefaultRetryMax,
		maxRequest:   DefaultMaxRequestSize,
	}
	envDefaults(&cfg)
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	configured, err := resolveDestination(&cfg)
	if err != nil {
		return nil, err
	}
	if needDestination && !configured {
		return nil, ErrNotConfigured
	}

	post, coze, err := newPoster(&cfg)
	if err != nil {
		return nil, err
	}
	policy := retry.Policy{MaxAttempts: 1}
	if !cfg.retryOff {
		policy = retry.Policy{MaxAttempts: 20, Initial: cfg.retryInitial, Multiplier: 2, Max: cfg.retryMax, Jitter: 0.2}
	}
	down, shutdown := context.WithCancel(context.Background())
	mc := otelmap.ConfigFor(coze, otelmap.Profile(cfg.profile), cfg.messages)
	mc.ServiceName, mc.Resource = cfg.serviceName, cfg.resource
	conv := otelmap.New(mc)
	return &Exporter{
		down:     down,
		shutdown: shutdown,
		resource: conv.Resource(),
		scope:    conv.Scope(),
		policy:   policy,
		timeout:  cfg.timeout,
		maxReq:   cfg.maxRequest,
		conv:     conv,
		post:     post,

		spareBatch: make(chan *otelmap.Batch, 1),
	}, nil
}

// Export converts the ended traces and spans among items to OTLP spans and
// sends them, split into requests of at most the maximum request size, each
// retried on 429, 5xx and network errors within the export timeout. Trace
// starts are not sent: the trace is sent as the root span when it ends, or
// by [Exporter.Shutdown] if it has not ended by then.
//
// It returns nil when everything was delivered, otherwise
// [*processors.PartialError]s (joined) that count the spans not delivered:
// too_large for a span that alone exceeds the request size (or, for Coze
// Loop, whose JSON cannot be clipped within its per-span limit), rejected
// for spans the server refused in a partial success, export_failed for
// requests that failed and for spans whose conversion panicked (the error
// names the span). Errors carry the server's message, never credentials.
// A nil or shut-down exporter sends nothing and counts every item as
// after_shutdown.
func (e *Exporter) Export(ctx context.Context, items []processors.Item) error {
	if e == nil {
		return dropAll(items, errNilExporter)
	}
	if e.stopped.Load() {
		return dropAll(items, errShutDown)
	}
	e.open.Track(items)
	return e.export(ctx, items, true)
}

var (
	errNilExporter = errors.New("otlpexport: nil exporter")
	errShutDown    = errors.New("otlpexport: exporter is shut down")
)

// dropAll counts every item of an export that sends nothing as
// DropAfterShutdown.
func dropAll(items []processors.Item, err error) error {
	return &processors.PartialError{Dropped: len(items), Reason: processors.DropAfterShutdown, Err: err}
}

// export converts and sends items within ctx and the export timeout; when
// interruptible, Shutdown interrupts it.
func (e *Exporter) export(ctx context.Context, items []processors.Item, interruptible bool) error {
	batch := make([]*tracepb.Span, 0, len(items))
	conv := e.batch()
	// After the requests are sent nothing references the spans any more.
	defer e.keepBatch(conv)
	var drops otelmap.Drops
	for _, it := range items {
		ps, err := conv.Convert(it)
		switch {
		case err != nil:
			drops.Add("otlpexport", err)
		case ps != nil:
			batch = append(batch, ps)
		}
	}
	errs := drops.Errors("otlpexport", e.conv.Config().SpanJSONLimit)
	if len(batch) == 0 {
		return errors.Join(errs...)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	if interruptible {
		defer context.AfterFunc(e.down, cancel)()
	}
	reqs, tooLarge := split(batch, e.maxReq, overhead(e.resource, e.scope))
	if tooLarge > 0 {
		errs = append(errs, &processors.PartialError{Dropped: tooLarge, Reason: processors.DropTooLarge,
			Err: fmt.Errorf("otlpexport: %d spans each exceed the %d-byte request limit", tooLarge, e.maxReq)})
	}
	for _, r := range reqs {
		if err := e.send(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// batch returns the converter of the last export, reset, or a new one.
func (e *Exporter) batch() *otelmap.Batch {
	select {
	case b := <-e.spareBatch:
		return b
	default:
		return e.conv.NewBatch()
	}
}

// keepBatch resets b, whose spans have been sent, and keeps it for the next
// export unless one is kept already. A free list of one rather than a
// sync.Pool: a pool loses what it holds at every other garbage collection,
// and an export allocates enough to start one.
func (e *Exporter) keepBatch(b *otelmap.Batch) {
	b.Reset()
	select {
	case e.spareBatch <- b:
	default:
	}
}

// Shutdown stops the exporter: an export in flight is interrupted (its
// request and any wait before a retry) and later exports fail. Then, unless
// ctx is done, it sends a root span for each trace that started and has not
// ended (the last 4096 such traces), ending now and marked with
// agenttrace.trace.ended=false, so that the spans already sent under those
// traces have their parent; this takes at most ctx's deadline and the export
// timeout. It returns the error of that export and ctx's error if ctx is
// done. Only the first call has an effect; a nil *Exporter returns nil.
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
	e.shutdown()
	var errs []error
	if open := e.open.Take(); len(open) > 0 && ctx.Err() == nil {
		if err := e.exportOpen(ctx, open); err != nil {
			errs = append(errs, err)
		}
	}
	if err := ctx.Err(); err != nil && (len(errs) == 0 || !safetext.Is(errs[0], err)) {
		errs = append(errs, err)
	}
	e.post.closeIdle()
	return errors.Join(errs...)
}
