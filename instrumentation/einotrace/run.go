package einotrace

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudwego/eino/callbacks"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// runKey is the context key of the innermost recorded run.
type runKey struct{}

// run is one recorded callback run: a component, graph or agent between its
// start and end callbacks.
type run struct {
	info  *callbacks.RunInfo
	kind  kind
	span  *tracing.Span
	owned *ownedTrace // the trace this handler started, or nil
	root  bool        // the run that started owned
	agent string      // the innermost agent's name, for handoffs

	content bool             // the provider keeps inputs and outputs
	now     func() time.Time // the provider's clock

	// inputDone is closed when a streamed input has been read; nil when the
	// input was not streamed.
	inputDone chan struct{}

	mu       sync.Mutex // guards data and inputErr while callbacks and stream readers fill them
	data     spans.Data
	inputErr error // the error that ended a streamed input early

	ended atomic.Bool
}

// ownedTrace is a trace the handler started. It ends when the last of its
// runs ends, which for streamed output may be after the top-level run's
// end callback returned.
type ownedTrace struct {
	tr   *tracing.Trace
	open atomic.Int64
}

// runFrom returns the run that ctx carries for info: the one whose start
// callback returned ctx. It returns nil when that start was not recorded,
// even when ctx carries an enclosing run.
func runFrom(ctx context.Context, info *callbacks.RunInfo) *run {
	r, _ := ctx.Value(runKey{}).(*run)
	if r == nil || info == nil || r.info != info {
		return nil
	}
	return r
}

// parentRun returns the innermost recorded run in ctx, or nil.
func parentRun(ctx context.Context) *run {
	r, _ := ctx.Value(runKey{}).(*run)
	return r
}

// update runs f, which fills the run's data, under the run's lock. A panic
// in f is contained: the span ends with what was filled in.
func (r *run) update(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			logPanic("converting callback data")
		}
	}()
	f()
}

// finish ends the run with err (nil for success) once its streamed input,
// if any, has been read. It never blocks: with input still streaming, a
// goroutine waits for it.
func (r *run) finish(err error) {
	if r.inputDone == nil {
		r.end(err)
		return
	}
	select {
	case <-r.inputDone:
		r.end(err)
	default:
		go func() {
			<-r.inputDone
			r.end(err)
		}()
	}
}

// end records err and ends the span, then the owned trace when this was its
// last open run. Only the first call has an effect.
func (r *run) end(err error) {
	if !r.ended.CompareAndSwap(false, true) {
		return
	}
	r.mu.Lock()
	if err == nil {
		err = r.inputErr
	}
	r.mu.Unlock()
	if err != nil {
		if interrupted(err) {
			r.span.SetMetadata(metaInterrupted, true)
		} else {
			r.span.SetError(err)
		}
	}
	r.mu.Lock() // End snapshots the data: no writer may be running
	r.span.End()
	r.mu.Unlock()
	if o := r.owned; o != nil && o.open.Add(-1) == 0 {
		o.tr.End()
	}
}
