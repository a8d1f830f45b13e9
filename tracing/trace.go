package tracing

import (
	"context"
	"sync"
	"time"
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
	if cfg.disabled || !p.Enabled() {
		return hideScope(ctx), nil
	}
	t := &Trace{
		provider: p,
		id:       cfg.id,
		name:     name,
		groupID:  cfg.groupID,
		metadata: cfg.metadata,
		apiKey:   cfg.apiKey,
		start:    p.clock(),
	}
	if t.id == "" {
		t.id = p.ids.NewTraceID()
	}
	t.scope = scopeCtx{Context: ctx, scope: t}
	for _, proc := range *p.procs.Load() {
		p.callTraceStart(proc, t)
	}
	return &t.scope, t
}

// Trace is the same as [Provider.StartTrace], for readers who know the Python
// SDK's trace().
func (p *Provider) Trace(ctx context.Context, name string, opts ...TraceOption) (context.Context, *Trace) {
	return p.StartTrace(ctx, name, opts...)
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

// Provider returns the provider that started the trace.
func (t *Trace) Provider() *Provider {
	if t == nil {
		return nil
	}
	return t.provider
}
