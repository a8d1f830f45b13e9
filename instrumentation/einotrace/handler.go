package einotrace

import (
	"context"
	"log/slog"
	"time"

	"github.com/cloudwego/eino/adk"
	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// groupKey is the ADK session value that holds the group id shared by the
// traces of one ADK run.
const groupKey = "agenttrace.group_id"

// handler is the callbacks.Handler that NewHandler returns.
type handler struct {
	cfg config
}

var (
	_ callbacks.Handler       = (*handler)(nil)
	_ callbacks.TimingChecker = (*handler)(nil)
)

// NewHandler returns an eino callback handler that records every run of a
// graph, chain, agent or component as a span (see the package
// documentation for what each kind records). Register it for every run
// with
//
//	callbacks.AppendGlobalHandlers(einotrace.NewHandler())
//
// or for one run with compose.WithCallbacks(einotrace.NewHandler()). A run
// outside any trace starts one, unless [WithoutNewTraces] is given. The
// handler is safe for concurrent use, and never fails or blocks the run it
// records: it returns the context it was given when a callback cannot be
// recorded, and reads streams on goroutines of its own.
func NewHandler(opts ...Option) callbacks.Handler {
	h := &handler{}
	for _, o := range opts {
		if o != nil {
			o.apply(&h.cfg)
		}
	}
	return h
}

func (h *handler) provider() *tracing.Provider {
	if h.cfg.provider != nil {
		return h.cfg.provider
	}
	return tracing.Default()
}

// Needed tells eino which callbacks to deliver: starts only when a span
// would be recorded, ends only for runs whose start was recorded. Streams of
// runs that are not recorded are then never copied for the handler.
func (h *handler) Needed(ctx context.Context, info *callbacks.RunInfo, timing callbacks.CallbackTiming) (needed bool) {
	defer recoverPanic("Needed", &needed, false)
	if info == nil {
		return false
	}
	switch timing {
	case callbacks.TimingOnStart, callbacks.TimingOnStartWithStreamInput:
		if tracing.Recording(ctx) {
			return true
		}
		return !h.cfg.noTraces && tracing.TraceFromContext(ctx) == nil && !tracing.Suppressed(ctx) && h.provider().Enabled()
	}
	return runFrom(ctx, info) != nil
}

// OnStart starts the span of a run whose input is a value.
func (h *handler) OnStart(ctx context.Context, info *callbacks.RunInfo, input callbacks.CallbackInput) (out context.Context) {
	defer recoverPanic("OnStart", &out, ctx)
	nctx, r := h.start(ctx, info, input, false)
	if r != nil {
		r.update(func() { setInput(r, input) })
	}
	return nctx
}

// OnStartWithStreamInput starts the span of a run whose input is a stream:
// a goroutine reads the handler's copy of it to the end and records the
// concatenated input.
func (h *handler) OnStartWithStreamInput(ctx context.Context, info *callbacks.RunInfo, input *schema.StreamReader[callbacks.CallbackInput]) (out context.Context) {
	defer recoverPanic("OnStartWithStreamInput", &out, ctx)
	nctx, r := h.start(ctx, info, nil, true)
	if r == nil {
		closeStream(input)
		return nctx
	}
	r.inputDone = make(chan struct{})
	go func() {
		defer close(r.inputDone)
		chunks, _, err := readAll(input, nil)
		r.update(func() {
			setInput(r, concatChunks(chunks))
			r.inputErr = err
		})
	}()
	return nctx
}

// OnEnd records a run's output and ends its span.
func (h *handler) OnEnd(ctx context.Context, info *callbacks.RunInfo, output callbacks.CallbackOutput) (out context.Context) {
	defer recoverPanic("OnEnd", &out, ctx)
	r := runFrom(ctx, info)
	if r == nil {
		return ctx
	}
	if r.inputDone != nil {
		// The input may still be streaming in: record the output after it.
		go func() {
			<-r.inputDone
			r.update(func() { setOutput(r, output) })
			r.end(nil)
		}()
		return ctx
	}
	r.update(func() { setOutput(r, output) })
	r.end(nil)
	return ctx
}

// OnEndWithStreamOutput records a run's streamed output: a goroutine reads
// the handler's copy of the stream to the end, records the concatenated
// output (and, for a model, when the first chunk arrived) and ends the span.
func (h *handler) OnEndWithStreamOutput(ctx context.Context, info *callbacks.RunInfo, output *schema.StreamReader[callbacks.CallbackOutput]) (out context.Context) {
	defer recoverPanic("OnEndWithStreamOutput", &out, ctx)
	r := runFrom(ctx, info)
	if r == nil {
		closeStream(output)
		return ctx
	}
	go func() {
		var now func() time.Time // the first-token time, for models only
		if r.kind == kindGeneration {
			now = r.now
		}
		chunks, first, err := readAll(output, now)
		r.update(func() { setStreamOutput(r, chunks, first) })
		r.finish(err)
	}()
	return ctx
}

// OnError records a run's error and ends its span. An interrupt (eino's
// checkpoint mechanism) is not an error: the span ends with the metadata
// eino.interrupted=true instead.
func (h *handler) OnError(ctx context.Context, info *callbacks.RunInfo, err error) (out context.Context) {
	defer recoverPanic("OnError", &out, ctx)
	if r := runFrom(ctx, info); r != nil {
		r.finish(err)
	}
	return ctx
}

// start starts the span of a run, and the trace when ctx has none. It
// returns ctx and nil when the run is not recorded.
func (h *handler) start(ctx context.Context, info *callbacks.RunInfo, input any, streamed bool) (context.Context, *run) {
	if info == nil {
		return ctx, nil
	}
	parent := parentRun(ctx)
	tr := tracing.TraceFromContext(ctx)
	var owned *ownedTrace
	root := false
	switch {
	case tr == nil:
		if h.cfg.noTraces || tracing.Suppressed(ctx) { // a run its caller disabled stays untraced
			return ctx, nil
		}
		var ntr *tracing.Trace
		ctx, ntr = h.provider().StartTrace(ctx, h.traceName(ctx, info), h.traceOptions(ctx, input)...)
		if ntr == nil {
			return ctx, nil
		}
		owned, root = &ownedTrace{tr: ntr}, true
	case parent != nil && parent.owned != nil && parent.owned.tr == tr:
		owned = parent.owned
	}
	k := kindOf(info)
	name := runName(ctx, info)
	r := &run{info: info, kind: k, owned: owned, root: root}
	r.agent = agentName(parent, k, name, input, streamed)
	r.data = newData(ctx, r, name)
	if owned != nil {
		owned.open.Add(1)
	}
	sctx, span := tracing.StartSpan(ctx, r.data, tracing.WithSpanMetadata(runMetadata(info)))
	if span == nil {
		if owned != nil && owned.open.Add(-1) == 0 {
			owned.tr.End()
		}
		return sctx, nil
	}
	r.span = span
	tp := span.Trace().Provider()
	r.content = tp.IncludesSensitiveData()
	r.now = tp.Now
	return context.WithValue(sctx, runKey{}, r), r
}

// traceName names a trace started by the run info: the WithTraceName
// option, or the run's name.
func (h *handler) traceName(ctx context.Context, info *callbacks.RunInfo) string {
	if h.cfg.traceName != "" {
		return h.cfg.traceName
	}
	return runName(ctx, info)
}

// traceOptions returns the options of a trace the handler starts. The
// traces of one ADK run (each agent an agent transfers to runs outside the
// previous agent's callbacks) share a group id kept in the run's session,
// unless WithGroupID gave one.
func (h *handler) traceOptions(ctx context.Context, input any) []tracing.TraceOption {
	opts := make([]tracing.TraceOption, 0, 2)
	if h.cfg.metadata != nil {
		opts = append(opts, tracing.WithMetadata(h.cfg.metadata))
	}
	id := h.cfg.groupID
	if id == "" {
		if v, ok := adk.GetSessionValue(ctx, groupKey); ok {
			id, _ = v.(string)
		} else if _, isADK := input.(*adk.AgentInput); isADK {
			id = tracing.NewGroupID()
			adk.AddSessionValue(ctx, groupKey, id)
		}
	}
	if id != "" {
		opts = append(opts, tracing.WithGroupID(id))
	}
	return opts
}

// recoverPanic contains a panic in a callback, so that tracing never breaks
// the traced run: the callback returns fallback through out, and one line
// is logged, naming the callback but not the panic value (which may hold
// the run's data).
func recoverPanic[T any](where string, out *T, fallback T) {
	if r := recover(); r != nil {
		*out = fallback
		logPanic(where)
	}
}

func logPanic(where string) {
	slog.Warn("einotrace: recovered from a panic in the eino handler; the span may be incomplete", "callback", where)
}
