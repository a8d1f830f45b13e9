package tracing

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// Trace is one end-to-end run of a workflow. Start one with [StartTrace] or
// [Provider.StartTrace] and end it with [Trace.End]; spans started from the
// returned context belong to it.
//
// A nil *Trace, like a zero Trace, is valid and means "not recorded": every
// method is a no-op and every accessor returns the zero value. All methods
// are safe for concurrent use.
type Trace struct {
	scope    scopeCtx
	provider *Provider
	otel     otelSpan             // the root's non-recording OTel span, put in the context
	sc       trace.SpanContext    // the root's OTel span context (sampled)
	parent   trace.SpanContext    // the OTel span the trace joined, if any
	otelTP   trace.TracerProvider // that span's provider; nil means the global one
	id       string
	name     string
	groupID  string
	metadata map[string]any
	apiKey   string
	start    time.Time

	mu     sync.Mutex
	input  any
	output any
	ended  bool
	end    time.Time
}

// StartTrace starts a trace of the workflow name with the provider p and
// returns a context carrying it. When p is nil, disabled or shut down, or the
// trace is disabled with [WithTraceDisabled], the trace is nil; the returned
// context then hides any enclosing trace so that spans started from it are
// nil too.
//
// When ctx holds a valid OTel span context (trace.SpanContextFromContext:
// a span of an OTel SDK, one extracted from a traceparent by a propagator,
// or an agent span of another trace), the trace joins it: it takes its trace
// id (the agent trace id is "trace_" + its hex), the span standing for the
// trace on the wire is its child, and the trace is recorded only if that
// span context is sampled. [WithNewRoot] and [WithParentSpanContext] change
// the parent. A trace with no OTel parent is sampled by trace id (see
// [WithSamplingRatio]). A sampled-out trace is nil like a disabled one, but
// its context still carries its OTel ids, with the sampled flag off, so that
// they propagate.
//
// The caller must call End on the trace, typically with defer.
func (p *Provider) StartTrace(ctx context.Context, name string, opts ...TraceOption) (context.Context, *Trace) {
	if ctx == nil {
		ctx = context.Background()
	}
	var cfg traceConfig
	for _, o := range opts {
		if o != nil {
			cfg = o.applyTrace(cfg)
		}
	}
	if cfg.disabled || cfg.id == NoOpID {
		return suppress(ctx), nil
	}
	if !p.Enabled() {
		return hideScope(ctx), nil
	}
	parent, parentTP := otelParent(ctx, &cfg)
	id := cfg.id
	var tid trace.TraceID
	generated := false
	if id != "" {
		tid = OTelTraceID(id)
		if parent.IsValid() && parent.TraceID() != tid {
			parent, parentTP = trace.SpanContext{}, nil // an explicit id of another trace starts a new one
		}
	}
	switch {
	case parent.IsValid():
		if !parent.IsSampled() && !p.ignoreParent {
			return hideScope(ctx), nil // the parent's context goes on propagating its ids
		}
		tid = parent.TraceID()
	case id != "":
	case p.defaultIDs:
		tid = newTraceID()
	default:
		id, generated = p.ids.NewTraceID(), true
		tid = OTelTraceID(id)
	}
	if (!parent.IsValid() || p.ignoreParent) && !p.sampled(tid) {
		u := &unsampledCtx{Context: ctx}
		root, _ := newOTelSpanID()
		u.span.sc = trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: root, TraceState: parent.TraceState()})
		return withOTel(u, &u.span), nil
	}
	if id == "" {
		id = traceIDString(tid)
	}
	t := &Trace{
		provider: p,
		parent:   parent,
		otelTP:   parentTP,
		id:       id,
		name:     name,
		groupID:  cfg.groupID,
		metadata: cfg.metadata,
		apiKey:   cfg.apiKey,
		start:    p.clock(),
	}
	t.otel = otelSpan{trace: t, id: rootSpanID(id, generated)}
	t.sc = trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    tid,
		SpanID:     t.otel.id,
		TraceFlags: parent.TraceFlags() | trace.FlagsSampled,
		TraceState: parent.TraceState(),
	})
	t.scope = scopeCtx{Context: ctx, scope: t}
	for _, proc := range *p.procs.Load() {
		p.callTraceStart(proc, t)
	}
	return withOTel(&t.scope, &t.otel), t
}

// otelParent returns the OTel span context a new trace joins (invalid for
// none) and the tracer provider of the span holding it (nil for the global
// one).
func otelParent(ctx context.Context, cfg *traceConfig) (trace.SpanContext, trace.TracerProvider) {
	switch {
	case cfg.newRoot:
		return trace.SpanContext{}, nil
	case cfg.parentSet:
		return cfg.parent, nil
	}
	ps := trace.SpanFromContext(ctx)
	sc := ps.SpanContext()
	if !sc.IsValid() {
		return trace.SpanContext{}, nil
	}
	// A span made from a bare span context (a remote parent) reports OTel's
	// no-op provider: use the global one instead.
	if tp := ps.TracerProvider(); tp != nil && tp != noopTracerProvider {
		return sc, tp
	}
	return sc, nil
}

// noopTracerProvider is what the span of a bare span context reports.
var noopTracerProvider = trace.SpanFromContext(context.Background()).TracerProvider()

// withOTel returns ctx, in which span is the current OTel span: ctx answers
// for it itself when otelSpanKey is known, and is wrapped otherwise.
func withOTel(ctx context.Context, span trace.Span) context.Context {
	if otelSpanKey != nil {
		return ctx
	}
	return trace.ContextWithSpan(ctx, span)
}

// Trace is the same as [Provider.StartTrace], for readers who know the Python
// SDK's trace().
func (p *Provider) Trace(ctx context.Context, name string, opts ...TraceOption) (context.Context, *Trace) {
	return p.StartTrace(ctx, name, opts...)
}

// suppress returns a child of ctx marked as inside a run disabled on
// purpose ([WithTraceDisabled], [WithSpanDisabled]): it hides an enclosing
// trace or span, and [Suppressed] reports it, so that integrations that
// start traces of their own start none there. It costs one allocation,
// only on these explicit paths, unless ctx is marked already.
func suppress(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if _, ok := scopeFrom(ctx).(disabledMarker); ok {
		return ctx
	}
	return &scopeCtx{Context: ctx, scope: disabledScope}
}

// Suppressed reports whether ctx is inside a trace or span disabled for one
// run, with [WithTraceDisabled] or [WithSpanDisabled] (or given the id
// [NoOpID]). Integrations that start a trace of their own when the context
// holds none (the eino handler does) check it, so that a run disabled by
// its caller stays untraced. A disabled or sampled-out provider does not
// suppress: it records nothing anyway.
func Suppressed(ctx context.Context) bool {
	_, ok := scopeFrom(ctx).(disabledMarker)
	return ok
}

// hideScope returns ctx, or a child of it that hides an enclosing trace or
// span. It allocates only when there is something to hide.
func hideScope(ctx context.Context) context.Context {
	switch scopeFrom(ctx).(type) {
	case *Span, *Trace:
		return &scopeCtx{Context: ctx, scope: disabledScope}
	}
	return ctx
}

// End ends the trace and hands it to the processors. Only the first call has
// an effect. Spans still open are not ended.
func (t *Trace) End() {
	if t == nil || t.provider == nil {
		return
	}
	t.mu.Lock()
	if t.ended {
		t.mu.Unlock()
		return
	}
	t.ended = true
	t.end = t.provider.clock()
	t.mu.Unlock()
	p := t.provider
	for _, proc := range *p.procs.Load() {
		p.callTraceEnd(proc, t)
	}
}

// SetInput records what the run was asked (the user's request): a string, a
// []spans.Message, or any JSON-encodable value. OpenTelemetry exporters show
// it on the trace's root span; the OpenAI traces format has no field for
// it. It is content: a provider that excludes sensitive data ignores it. It
// has no effect after End.
func (t *Trace) SetInput(v any) {
	if t != nil {
		t.set(&t.input, v)
	}
}

// SetOutput records the run's final output, like [Trace.SetInput].
func (t *Trace) SetOutput(v any) {
	if t != nil {
		t.set(&t.output, v)
	}
}

func (t *Trace) set(field *any, v any) {
	if t.provider == nil || t.provider.redact {
		return
	}
	t.mu.Lock()
	if !t.ended {
		*field = v
	}
	t.mu.Unlock()
}

// Input returns the value recorded with [Trace.SetInput], or nil.
func (t *Trace) Input() any {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.input
}

// Output returns the value recorded with [Trace.SetOutput], or nil.
func (t *Trace) Output() any {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.output
}

// ID returns the trace id.
func (t *Trace) ID() string {
	if t == nil {
		return ""
	}
	return t.id
}

// Name returns the workflow name.
func (t *Trace) Name() string {
	if t == nil {
		return ""
	}
	return t.name
}

// GroupID returns the group id, or "" when none was set.
func (t *Trace) GroupID() string {
	if t == nil {
		return ""
	}
	return t.groupID
}

// Metadata returns the trace's metadata. The map must not be modified.
func (t *Trace) Metadata() map[string]any {
	if t == nil {
		return nil
	}
	return t.metadata
}

// TracingAPIKey returns the per-trace API key set with [WithTracingAPIKey].
func (t *Trace) TracingAPIKey() string {
	if t == nil {
		return ""
	}
	return t.apiKey
}

// StartTime returns when the trace started.
func (t *Trace) StartTime() time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.start
}

// EndTime returns when the trace ended, or the zero time while it is open.
func (t *Trace) EndTime() time.Time {
	if t == nil {
		return time.Time{}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.end
}

// Ended reports whether End has been called.
func (t *Trace) Ended() bool {
	if t == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ended
}

// SpanContext returns the OTel span context of the span that stands for the
// trace on the wire (its root span): the trace id, a span id of its own, the
// sampled flag and the trace state of the OTel parent. Exporters send exactly
// these ids, and the context returned by StartTrace carries them. A nil
// trace returns the zero (invalid) span context.
func (t *Trace) SpanContext() trace.SpanContext {
	if t == nil {
		return trace.SpanContext{}
	}
	return t.sc
}

// ParentSpanContext returns the OTel span context the trace joined (see
// [Provider.StartTrace]), or the zero (invalid) span context when it is the
// root of its OTel trace.
func (t *Trace) ParentSpanContext() trace.SpanContext {
	if t == nil {
		return trace.SpanContext{}
	}
	return t.parent
}

// Provider returns the provider that started the trace.
func (t *Trace) Provider() *Provider {
	if t == nil {
		return nil
	}
	return t.provider
}
