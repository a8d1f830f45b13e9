package tracing

import (
	"context"
	"sync"
	"time"
	"unsafe"

	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/spans"
)

// Span is one timed operation inside a trace, carrying typed data from the
// spans package. Start one with [StartSpan] and end it with [Span.End].
//
// A nil *Span, like a zero Span, is valid and means "not recorded": every
// method is a no-op and every accessor returns the zero value. All methods
// are safe for concurrent use.
//
// The data passed to StartSpan may be filled in until End. End takes a copy
// (see [spans.Snapshot]): later changes to the data's fields and to its
// *spans.Usage are ignored, but slices, maps and other pointers reachable
// from it are shared and must not be changed after End.
type Span struct {
	ctx        context.Context // the parent context (see spanCtx)
	otel       otelSpan        // its trace, its OTel span id and its non-recording OTel span
	otelParent trace.SpanID    // the OTel span id of its parent on the wire
	parent     *Span           // nil for a root span of its trace
	id         string          // a custom id; "" when the id is in idBuf
	start      time.Time
	// idBuf holds an id made by the default generator, kept in the span to
	// save an allocation; kind and ended fill its padding (a span is 176
	// bytes, a size class of its own: see TestSpanSize).
	idBuf [spanIDLen]byte
	kind  spans.Kind
	ended bool // guarded by mu

	mu       sync.Mutex
	data     spans.Data // live until End, a snapshot after
	metadata map[string]any
	err      *SpanError
	dur      time.Duration // from start to end, once ended
}

// StartSpan starts a span carrying data as a child of the span or trace in
// ctx (or of the parent given with [WithParent]) and returns a context in
// which it is the current span. It returns ctx and a nil span, at the cost of
// no allocation, when ctx holds no trace, the trace is disabled, the provider
// is disabled or shut down, or data is nil. A span disabled with
// [WithSpanDisabled] is nil too, and so are the spans started inside it.
//
// The caller must call End on the span, typically with defer. Spans may be
// started from any goroutine with a context derived from the parent's; they
// nest by context, so concurrent siblings never interfere.
func StartSpan(ctx context.Context, data spans.Data, opts ...SpanOption) (context.Context, *Span) {
	if data == nil {
		return ctx, nil
	}
	var cfg spanConfig
	for _, o := range opts {
		if o != nil {
			cfg = o.applySpan(cfg)
		}
	}
	if cfg.disabled || cfg.id == NoOpID {
		return suppress(ctx), nil
	}
	tr, parent := parentOf(ctx, cfg.parent)
	if tr == nil {
		return ctx, nil
	}
	if ctx == nil {
		ctx = context.Background() // an explicit parent with a nil ctx
	}
	p := tr.provider
	s := &Span{
		id:       cfg.id,
		metadata: cfg.metadata,
		data:     data,
		kind:     data.Kind(),
		start:    p.clock(),
	}
	s.otel.trace = tr
	switch {
	case s.id != "":
		s.otel.id = OTelSpanID(s.id)
	case p.defaultIDs:
		// The id's bytes live in the span: one allocation fewer a span.
		s.otel.id = newSpanIDInto(&s.idBuf)
	default:
		s.id = p.ids.NewSpanID()
		s.otel.id = OTelSpanID(s.id)
	}
	want := &tr.otel
	if parent != nil {
		s.parent = parent
		want = &parent.otel
	}
	s.otelParent = want.id
	if cfg.parent == nil {
		// An OTel span started inside the parent (by the program, say) and
		// open in ctx is the parent on the wire.
		if cur := trace.SpanFromContext(ctx); cur != trace.Span(want) {
			if sc := cur.SpanContext(); sc.IsValid() && sc.TraceID() == tr.sc.TraceID() {
				s.otelParent = sc.SpanID()
			}
		}
	}
	s.ctx = ctx
	for _, proc := range *p.procs.Load() {
		p.callSpanStart(proc, s)
	}
	return withOTel((*spanCtx)(s), &s.otel), s
}

// parentOf returns the trace a new span belongs to and its parent span (nil
// for a root span of the trace), from the explicit parent when there is one
// and from ctx otherwise. The trace is nil when the span is not to be
// recorded: no trace, a disabled or sampled-out trace or provider, or a
// provider shut down.
func parentOf(ctx context.Context, explicit any) (*Trace, *Span) {
	parent := explicit
	if parent == nil {
		parent = scopeFrom(ctx)
	}
	var tr *Trace
	var ps *Span
	switch v := parent.(type) {
	case *Span:
		if v != nil {
			tr, ps = v.otel.trace, v
		}
	case *Trace:
		tr = v
	}
	if tr == nil || !tr.provider.Enabled() {
		return nil, nil
	}
	return tr, ps
}

// CustomSpan starts a span of [spans.Custom] data with the given name and data,
// like the Python SDK's custom_span(). Like StartSpan, it allocates nothing
// when the span is not recorded.
func CustomSpan(ctx context.Context, name string, data map[string]any, opts ...SpanOption) (context.Context, *Span) {
	if ok, skip := recording(ctx, opts); !ok {
		return skip, nil // skip the allocation of the data
	}
	return StartSpan(ctx, &spans.Custom{Name: name, Data: data}, opts...)
}

// HandoffSpan starts a span of [spans.Handoff] data from one agent to
// another. Like StartSpan, it allocates nothing when the span is not
// recorded.
func HandoffSpan(ctx context.Context, from, to string, opts ...SpanOption) (context.Context, *Span) {
	if ok, skip := recording(ctx, opts); !ok {
		return skip, nil
	}
	return StartSpan(ctx, &spans.Handoff{From: from, To: to}, opts...)
}

// FunctionSpan starts a span of [spans.Function] data for a call of the
// tool name with the arguments input (JSON text), like the Python SDK's
// function_span(). Record the result with [Span.SetOutput] and the error
// with [Span.SetError]:
//
//	ctx, span := tracing.FunctionSpan(ctx, "lookup_order", args)
//	defer span.End()
//	out, err := lookupOrder(ctx, args)
//	span.SetOutput(out)
//	span.SetError(err)
//
// Like StartSpan, it allocates nothing when the span is not recorded.
func FunctionSpan(ctx context.Context, name, input string, opts ...SpanOption) (context.Context, *Span) {
	if ok, skip := recording(ctx, opts); !ok {
		return skip, nil
	}
	return StartSpan(ctx, &spans.Function{Name: name, Input: input}, opts...)
}

// Recording reports whether a span started from ctx would be recorded: ctx
// holds an enabled trace of an enabled provider that is not shut down. It
// costs a context lookup and allocates nothing. StartSpan itself allocates
// nothing when it records nothing, but the data handed to it is the caller's:
// a composite literal such as &spans.Generation{...} escapes to the heap
// whether or not the span is recorded. Where that matters, build the data
// only when Recording says so, as log/slog's Enabled is used:
//
//	var span *tracing.Span
//	if tracing.Recording(ctx) {
//		ctx, span = tracing.StartSpan(ctx, &spans.Generation{Model: model, Input: msgs})
//	}
//	defer span.End() // a nil span is fine
func Recording(ctx context.Context) bool {
	tr, _ := parentOf(ctx, nil)
	return tr != nil
}

// recording reports whether a span started with ctx and opts would be
// recorded, without allocating. When it would not, it also returns the
// context StartSpan would have returned.
func recording(ctx context.Context, opts []SpanOption) (bool, context.Context) {
	var explicit any
	for _, o := range opts {
		switch o := o.(type) {
		case parentOption:
			explicit = o.parent
		case spanDisabledOption:
			if o {
				return false, suppress(ctx)
			}
		case spanIDOption:
			if o == NoOpID {
				return false, suppress(ctx)
			}
		}
	}
	tr, _ := parentOf(ctx, explicit)
	return tr != nil, ctx
}

// SetError records err as the span's error; the last call before End wins. A
// *SpanError (found with errors.As) is recorded as is, any other error by its
// message. A nil err, or a nil *SpanError, clears the error. An error whose
// Error method panics (a typed nil pointer, say) is recorded as fmt prints
// it; the panic goes no further. The search of err's chain is bounded in
// depth and length and stops at cycles, so SetError returns promptly even
// for an error whose Unwrap returns itself.
func (s *Span) SetError(err error) {
	if s == nil {
		return
	}
	var se *SpanError
	if err != nil {
		se = errorFrom(err)
	}
	s.mu.Lock()
	if !s.ended {
		s.err = se
	}
	s.mu.Unlock()
}

// SetOutput records v as the output of a span whose data has an Output of
// any type: [spans.Function], [spans.Agent] and [spans.Response]. For other
// kinds, whose outputs are typed (messages, text, audio), set the field of
// the data instead; SetOutput ignores them. It has no effect after End.
func (s *Span) SetOutput(v any) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	switch d := s.data.(type) {
	case *spans.Function:
		d.Output = v
	case *spans.Agent:
		d.Output = v
	case *spans.Response:
		d.Output = v
	}
}

// End ends the span, snapshots its data and hands it to the processors. Only
// the first call has an effect.
func (s *Span) End() {
	if s == nil || s.otel.trace == nil {
		return
	}
	p := s.otel.trace.provider
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	if p.wallClock {
		// One monotonic reading instead of a wall and a monotonic one, as
		// the OTel SDK ends its spans; the duration is exact.
		s.dur = time.Since(s.start)
	} else {
		s.dur = p.clock().Sub(s.start)
	}
	s.data = spans.Snapshot(s.data, p.redact)
	if p.redact && s.err != nil {
		s.err = redactedError(s.kind, s.err)
	}
	s.mu.Unlock()
	for _, proc := range *p.procs.Load() {
		p.callSpanEnd(proc, s)
	}
}

// ID returns the span id.
func (s *Span) ID() string {
	switch {
	case s == nil:
		return ""
	case s.id != "" || s.idBuf[0] == 0:
		return s.id
	}
	// The bytes are written once, at start, and never again.
	return unsafe.String(&s.idBuf[0], len(s.idBuf))
}

// ParentID returns the parent span's id, or "" for a root span of its trace.
func (s *Span) ParentID() string {
	if s == nil {
		return ""
	}
	return s.parent.ID()
}

// SpanContext returns the span's OTel span context: its trace's OTel trace
// id, its OTel span id (see [OTelSpanID]), the sampled flag and the trace
// state of the trace's OTel parent. Exporters send exactly these ids, and
// the context returned by StartSpan carries them, so OTel spans started in it
// are its children. A nil span returns the zero (invalid) span context.
func (s *Span) SpanContext() trace.SpanContext {
	if s == nil || s.otel.trace == nil {
		return trace.SpanContext{}
	}
	return s.otel.trace.sc.WithSpanID(s.otel.id)
}

// ParentSpanContext returns the OTel span context of the span's parent on
// the wire: its parent span's, the trace's ([Trace.SpanContext]) for a root
// span, or that of an OTel span of the same trace that was open in the
// context given to StartSpan inside the parent. A nil span returns the zero
// span context.
func (s *Span) ParentSpanContext() trace.SpanContext {
	if s == nil || s.otel.trace == nil {
		return trace.SpanContext{}
	}
	return s.otel.trace.sc.WithSpanID(s.otelParent)
}

// TraceID returns the id of the span's trace.
func (s *Span) TraceID() string {
	if s == nil || s.otel.trace == nil {
		return ""
	}
	return s.otel.trace.id
}

// Trace returns the span's trace.
func (s *Span) Trace() *Trace {
	if s == nil {
		return nil
	}
	return s.otel.trace
}

// Name returns the span's name as its data gives it (see
// [spans.Data.SpanName]): the agent, tool or model name, for instance.
func (s *Span) Name() string {
	if d := s.Data(); d != nil {
		return d.SpanName()
	}
	return ""
}

// Kind returns the kind of the span's data.
func (s *Span) Kind() spans.Kind {
	if s == nil {
		return 0
	}
	return s.kind
}

// Data returns the span's data: the value given to StartSpan while the span
// is open, the snapshot taken by End afterwards.
func (s *Span) Data() spans.Data {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data
}

// Error returns the recorded error, or nil.
func (s *Span) Error() *SpanError {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Metadata returns the span's metadata. The map must not be modified; it
// is never modified after it is returned ([Span.SetMetadata] replaces it).
func (s *Span) Metadata() map[string]any {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.metadata
}

// SetMetadata sets one key of the span's metadata, for what is known only
// after the span started (the attempts a call took, a status). The map given
// with [WithSpanMetadata] is not changed: the span's metadata becomes a copy
// with the key set, so maps returned earlier by [Span.Metadata] stay as they
// were. It has no effect after End.
func (s *Span) SetMetadata(key string, value any) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	md := make(map[string]any, len(s.metadata)+1)
	for k, v := range s.metadata {
		md[k] = v
	}
	md[key] = value
	s.metadata = md
}

// StartTime returns when the span started.
func (s *Span) StartTime() time.Time {
	if s == nil {
		return time.Time{}
	}
	return s.start
}

// EndTime returns when the span ended, or the zero time while it is open.
func (s *Span) EndTime() time.Time {
	if s == nil {
		return time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		return time.Time{}
	}
	return s.start.Add(s.dur)
}

// Ended reports whether End has been called.
func (s *Span) Ended() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended
}
