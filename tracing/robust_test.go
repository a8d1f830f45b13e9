package tracing_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// These tests hold the tracing API to "never breaks the traced program"
// when it is handed the mistakes Go programs make.

// derefError's Error method dereferences its receiver.
type derefError struct{ msg string }

func (e *derefError) Error() string { return e.msg }

// failingCall returns a nil *derefError as an error: a typed nil.
func failingCall() error {
	var e *derefError
	return e
}

func TestSetErrorTypedNil(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, s := tracing.StartSpan(ctx, &spans.Function{Name: "f"})
	s.SetError(failingCall()) // must not panic on the agent's goroutine
	if e := s.Error(); e == nil || e.Message != "<nil>" {
		t.Errorf("typed nil error recorded as %#v, want the message fmt gives it", e)
	}
	s.SetError(fmt.Errorf("wrapped: %w", failingCall()))
	if e := s.Error(); e == nil || e.Message == "" {
		t.Errorf("wrapped typed nil recorded as %#v", e)
	}
	var se *tracing.SpanError
	s.SetError(se)
	if e := s.Error(); e != nil {
		t.Errorf("SetError((*SpanError)(nil)) recorded %#v, want it cleared", e)
	}
	s.End()
	tr.End()
	if len(rec.Spans()) != 1 {
		t.Fatalf("%d spans recorded", len(rec.Spans()))
	}
}

// A zero Span or Trace (built with a composite literal, not started) behaves
// like a nil one.
func TestZeroSpanAndTraceAreNoOps(t *testing.T) {
	var s tracing.Span
	s.SetError(errors.New("x"))
	s.End()
	if s.TraceID() != "" || s.Trace() != nil || s.Ended() {
		t.Error("a zero Span reports a trace or an end")
	}
	var tr tracing.Trace
	tr.End()
	if tr.Ended() || tr.Provider() != nil {
		t.Error("a zero Trace reports an end or a provider")
	}
	if _, child := tracing.StartSpan(context.Background(), &spans.Custom{}, tracing.WithParent(&s)); child != nil {
		t.Error("a span started under a zero Span was recorded")
	}
	if _, child := tracing.StartSpan(context.Background(), &spans.Custom{}, tracing.WithParentTrace(&tr)); child != nil {
		t.Error("a span started under a zero Trace was recorded")
	}
}

func TestNilContextsInTheAPI(t *testing.T) {
	var nilCtx context.Context // the API copes with a nil context
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(nilCtx, "w")
	_, parent := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	cctx, child := tracing.StartSpan(nilCtx, &spans.Custom{Name: "c"}, tracing.WithParent(parent))
	if child == nil || cctx == nil || child.ParentID() != parent.ID() {
		t.Fatalf("StartSpan(nil, ..., WithParent) = %v, %v; want a child of the parent and a usable ctx", cctx, child)
	}
	_ = cctx.Done() // usable
	child.End()
	if c := tracing.ContextWithSpan(nilCtx, parent); c == nil || c.Done() != nil || tracing.SpanFromContext(c) != parent {
		t.Error("ContextWithSpan(nil, s) is not a usable context holding s")
	}
	if c := tracing.ContextWithTrace(nilCtx, tr); c == nil || c.Value(struct{}{}) != nil || tracing.TraceFromContext(c) != tr {
		t.Error("ContextWithTrace(nil, t) is not a usable context holding t")
	}
	if _, s := tracing.StartSpan(nilCtx, &spans.Custom{}); s != nil {
		t.Error("StartSpan(nil) with no parent recorded a span")
	}
	parent.End()
	tr.End()
	if len(rec.Spans()) != 2 {
		t.Errorf("%d spans recorded, want 2", len(rec.Spans()))
	}
}

// slowShutdown is a processor whose Shutdown waits for release.
type slowShutdown struct {
	discard
	release chan struct{}
}

func (s slowShutdown) Shutdown(context.Context) error { <-s.release; return nil }

// A second Shutdown, concurrent with the first, waits for it, so that a
// program's deferred Shutdown never returns before a signal handler's has
// flushed.
func TestProviderConcurrentShutdownWaits(t *testing.T) {
	release := make(chan struct{})
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(slowShutdown{release: release}))
	first := make(chan error, 1)
	go func() { first <- tp.Shutdown(context.Background()) }()
	for tp.Enabled() { // the first Shutdown has begun
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tp.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting Shutdown with a done ctx = %v, want context.Canceled", err)
	}
	second := make(chan error, 1)
	go func() { second <- tp.Shutdown(context.Background()) }()
	select {
	case err := <-second:
		t.Fatalf("second Shutdown returned %v while the first was running", err)
	case <-time.After(20 * time.Millisecond): // a bounded look, not a timing assertion
	}
	close(release)
	if err := <-first; err != nil {
		t.Errorf("first Shutdown = %v", err)
	}
	if err := <-second; err != nil {
		t.Errorf("second Shutdown = %v, want nil", err)
	}
}

func TestBuildTreeLeavesItsInputAlone(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, a := tracing.StartSpan(ctx, &spans.Custom{Name: "a"})
	_, b := tracing.StartSpan(ctx, &spans.Custom{Name: "b"})
	b.End()
	a.End()
	tr.End()
	list := rec.Spans() // in end order: b, a
	tracingtest.BuildTree(&tracingtest.Node{Kind: "trace"}, list)
	if list[0] != b || list[1] != a {
		t.Error("BuildTree reordered the caller's slice")
	}
}

func TestNewIDsAndSpanName(t *testing.T) {
	if id := tracing.NewTraceID(); !isHexID(id, "trace_", 32) {
		t.Errorf("NewTraceID() = %q", id)
	}
	if id := tracing.NewSpanID(); !isHexID(id, "span_", 24) {
		t.Errorf("NewSpanID() = %q", id)
	}
	if t1, t2, s1, s2 := tracing.NewTraceID(), tracing.NewTraceID(), tracing.NewSpanID(), tracing.NewSpanID(); t1 == t2 || s1 == s2 {
		t.Error("ids repeat")
	}
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	_, s := tracing.StartSpan(ctx, &spans.Function{Name: "lookup_order"})
	defer s.End()
	var none *tracing.Span
	if s.Name() != "lookup_order" || none.Name() != "" {
		t.Errorf("Name() = %q, nil span %q", s.Name(), none.Name())
	}
}

// selfWrapError's Unwrap returns itself: errors.As loops forever on it.
type selfWrapError struct{}

func (e *selfWrapError) Error() string { return "self-wrapping" }
func (e *selfWrapError) Unwrap() error { return e }

// TestSetErrorSelfWrapping checks that SetError returns for errors whose
// chain never ends, recording their message: it runs on the agent's
// goroutine. A hang is reported after a minute rather than at the test
// binary's timeout.
func TestSetErrorSelfWrapping(t *testing.T) {
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	_, s := tracing.StartSpan(ctx, &spans.Function{Name: "f"})
	defer s.End()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.SetError(fmt.Errorf("tool: %w", &selfWrapError{}))
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("SetError did not return for a self-wrapping error")
	}
	if e := s.Error(); e == nil || e.Message != "tool: self-wrapping" {
		t.Errorf("recorded %#v", e)
	}
	want := &tracing.SpanError{Message: "found", Data: map[string]any{"k": 1}}
	s.SetError(fmt.Errorf("outer: %w", errors.Join(&selfWrapError{}, want)))
	if e := s.Error(); e == nil || e.Message != "found" {
		t.Errorf("a *SpanError beside a self-wrapping error: recorded %#v", e)
	}
}
