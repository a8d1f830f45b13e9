package tracing_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

type node = tracingtest.Node

func TestSpansNestThroughTheContext(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "workflow")
	actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "planner"})
	gctx, gen := tracing.StartSpan(actx, &spans.Generation{Model: "gpt-4.1"})
	if tracing.SpanFromContext(gctx) != gen || tracing.TraceFromContext(gctx) != tr {
		t.Fatal("the context does not carry the innermost span and its trace")
	}
	gen.End()
	_, fn := tracing.StartSpan(actx, &spans.Function{Name: "search"})
	fn.End()
	agent.End()
	_, other := tracing.StartSpan(ctx, &spans.Custom{Name: "after"})
	other.End()
	tr.End()

	want := &node{Kind: "trace", Name: "workflow", Children: []*node{
		{Kind: "agent", Name: "planner", Children: []*node{
			{Kind: "generation", Name: "gpt-4.1"},
			{Kind: "function", Name: "search"},
		}},
		{Kind: "custom", Name: "after"},
	}}
	if diff := cmp.Diff(want, rec.Tree(tr.ID())); diff != "" {
		t.Fatalf("tree (-want +got):\n%s", diff)
	}
	if gen.ParentID() != agent.ID() || agent.ParentID() != "" || gen.TraceID() != tr.ID() {
		t.Fatalf("ids: gen parent %q, agent %q, agent parent %q", gen.ParentID(), agent.ID(), agent.ParentID())
	}
	if got := tracing.SpanFromContext(ctx); got != nil {
		t.Fatalf("the trace's context must hold no span, got %v", got.ID())
	}
}

func TestExplicitParent(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, a := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	_, b := tracing.StartSpan(context.Background(), &spans.Custom{Name: "b"}, tracing.WithParent(a))
	_, c := tracing.StartSpan(context.Background(), &spans.Custom{Name: "c"}, tracing.WithParentTrace(tr))
	_, d := tracing.StartSpan(context.Background(), &spans.Custom{Name: "d"}, tracing.WithParentTrace(nil))
	for _, s := range []*tracing.Span{b, c, d, a} {
		s.End()
	}
	tr.End()
	if d != nil {
		t.Fatal("a nil parent trace must give a nil span")
	}
	want := &node{Kind: "trace", Name: "w", Children: []*node{
		{Kind: "agent", Name: "a", Children: []*node{{Kind: "custom", Name: "b"}}},
		{Kind: "custom", Name: "c"},
	}}
	if diff := cmp.Diff(want, rec.Tree(tr.ID())); diff != "" {
		t.Fatalf("tree (-want +got):\n%s", diff)
	}
}

func TestGoroutinesNestIndependently(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "fan-out")
	actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "root"})
	const workers, depth = 16, 5
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c := actx
			var open []*tracing.Span
			for d := range depth {
				var s *tracing.Span
				c, s = tracing.StartSpan(c, &spans.Custom{Name: fmt.Sprintf("w%d-d%d", w, d)})
				open = append(open, s)
			}
			for i := len(open) - 1; i >= 0; i-- {
				open[i].End()
			}
		})
	}
	wg.Wait()
	agent.End()
	tr.End()

	tree := rec.Tree(tr.ID())
	root := tree.Children[0]
	if len(root.Children) != workers {
		t.Fatalf("root has %d children, want %d:\n%s", len(root.Children), workers, tree)
	}
	for _, chain := range root.Children {
		w := strings.Split(chain.Name, "-")[0]
		for d := 0; chain != nil; d++ {
			if want := fmt.Sprintf("%s-d%d", w, d); chain.Name != want {
				t.Fatalf("goroutine chains interleaved: got %q, want %q", chain.Name, want)
			}
			if len(chain.Children) > 1 {
				t.Fatalf("%s has %d children", chain.Name, len(chain.Children))
			}
			if len(chain.Children) == 0 {
				if d != depth-1 {
					t.Fatalf("chain of %s is %d deep, want %d", w, d+1, depth)
				}
				break
			}
			chain = chain.Children[0]
		}
	}
}

func TestNilTraceAndSpanAreNoOps(t *testing.T) {
	var tr *tracing.Trace
	var s *tracing.Span
	tr.End()
	s.End()
	s.SetError(errors.New("x"))
	if tr.ID() != "" || tr.Name() != "" || tr.Metadata() != nil || !tr.StartTime().IsZero() || tr.Ended() || tr.Provider() != nil {
		t.Fatal("nil trace accessors must return zero values")
	}
	if s.ID() != "" || s.Data() != nil || s.Error() != nil || s.Kind() != 0 || s.Trace() != nil || s.Ended() {
		t.Fatal("nil span accessors must return zero values")
	}
	ctx := context.Background()
	if c, sp := tracing.StartSpan(ctx, &spans.Custom{Name: "orphan"}); sp != nil || c != ctx {
		t.Fatal("a span without a trace must be nil and leave ctx unchanged")
	}
	if c, sp := tracing.CustomSpan(ctx, "orphan", nil); sp != nil || c != ctx {
		t.Fatal("CustomSpan without a trace must be nil")
	}
	var p *tracing.Provider
	if c, tr := p.StartTrace(ctx, "w"); tr != nil || c != ctx {
		t.Fatal("a nil provider must give a nil trace")
	}
	if err := p.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1012 a nil context must not panic
	if _, sp := tracing.StartSpan(nil, &spans.Custom{}); sp != nil { //nolint:staticcheck
		t.Fatal("nil ctx must give a nil span")
	}
}

func TestDisabledTracing(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, outer := tp.StartTrace(context.Background(), "outer")

	// A disabled trace hides the enclosing one: its spans are nil too.
	dctx, dis := tp.StartTrace(ctx, "off", tracing.WithTraceDisabled(true))
	if dis != nil {
		t.Fatal("a disabled trace must be nil")
	}
	if _, s := tracing.StartSpan(dctx, &spans.Custom{Name: "hidden"}); s != nil {
		t.Fatal("spans inside a disabled trace must be nil even with an enclosing trace")
	}
	if tracing.TraceFromContext(dctx) != nil {
		t.Fatal("a disabled trace's context must not expose the enclosing trace")
	}

	tp.SetDisabled(true)
	if _, tr := tp.StartTrace(context.Background(), "w"); tr != nil {
		t.Fatal("a disabled provider must give nil traces")
	}
	if _, s := tracing.StartSpan(ctx, &spans.Custom{Name: "late"}); s != nil {
		t.Fatal("spans of an open trace must be nil once the provider is disabled")
	}
	tp.SetDisabled(false)
	outer.End()
	if n := len(rec.Spans()); n != 0 {
		t.Fatalf("recorded %d spans while disabled", n)
	}
	if n := len(rec.Traces()); n != 1 {
		t.Fatalf("recorded %d traces, want the outer one", n)
	}
}

func TestEnvironmentSwitches(t *testing.T) {
	cases := []struct {
		env     string
		enabled bool
	}{{"1", false}, {"true", false}, {"TRUE", false}, {" yes", false}, {"on", false}, {"0", true}, {"false", true}, {"", true}, {"maybe", true}}
	for _, c := range cases {
		t.Run("disable="+c.env, func(t *testing.T) {
			t.Setenv(tracing.EnvDisableTracing, c.env)
			if got := tracing.NewProvider().Enabled(); got != c.enabled {
				t.Fatalf("Enabled() = %v, want %v", got, c.enabled)
			}
		})
	}
	t.Run("option overrides env", func(t *testing.T) {
		t.Setenv(tracing.EnvDisableTracing, "1")
		if !tracing.NewProvider(tracing.WithDisabled(false)).Enabled() {
			t.Fatal("WithDisabled(false) must override the environment")
		}
	})
	// As in the Python SDK, content is kept only on a clear yes: a typo, or
	// an empty value, leaves it out.
	for env, want := range map[string]bool{"0": false, "false": false, "1": true, "True": true, " yes ": true, "on": true,
		"": false, "n": false, "f": false, "disabled": false, "ture": false} {
		t.Run("sensitive="+env, func(t *testing.T) {
			t.Setenv(tracing.EnvIncludeSensitiveData, env)
			if got := tracing.NewProvider().IncludesSensitiveData(); got != want {
				t.Fatalf("IncludesSensitiveData() = %v, want %v", got, want)
			}
		})
	}
	t.Run("sensitive unset", func(t *testing.T) {
		t.Setenv(tracing.EnvIncludeSensitiveData, "") // restored after the test
		os.Unsetenv(tracing.EnvIncludeSensitiveData)
		if !tracing.NewProvider().IncludesSensitiveData() {
			t.Fatal("unset must mean include")
		}
	})
}

func TestSensitiveDataIsDroppedAtEnd(t *testing.T) {
	tp, rec := tracingtest.NewProvider(tracing.WithSensitiveData(false))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	gen := &spans.Generation{Model: "m", Input: []spans.Message{{Role: "user", Content: "secret"}}, Usage: &spans.Usage{InputTokens: 3}}
	_, g := tracing.StartSpan(ctx, gen)
	gen.Output = []spans.Message{{Role: "assistant", Content: "secret answer"}}
	g.End()
	_, f := tracing.StartSpan(ctx, &spans.Function{Name: "tool", Input: `{"ssn":"1"}`, Output: "x"})
	f.End()
	_, s := tracing.StartSpan(ctx, &spans.Speech{Input: "hi", Output: []byte{1}, Model: "tts"})
	s.End()
	_, tc := tracing.StartSpan(ctx, &spans.Transcription{Input: []byte{1}, Output: "hi", Model: "stt"})
	tc.End()
	tr.End()

	got := rec.Spans()
	want := []spans.Data{
		&spans.Generation{Model: "m", Usage: &spans.Usage{InputTokens: 3}},
		&spans.Function{Name: "tool"},
		&spans.Speech{Model: "tts"},
		&spans.Transcription{Model: "stt"},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, got[i].Data()); diff != "" {
			t.Errorf("span %d (-want +got):\n%s", i, diff)
		}
	}
	if gen.Input == nil || gen.Output == nil {
		t.Fatal("redaction must not touch the caller's value")
	}
}

func TestEndSnapshotsDataAndIsIdempotent(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	fn := &spans.Function{Name: "f", Output: "before"}
	_, s := tracing.StartSpan(ctx, fn)
	s.End()
	fn.Output = "after"
	s.SetError(errors.New("too late"))
	s.End()
	tr.End()
	tr.End()
	if n := len(rec.Spans()); n != 1 {
		t.Fatalf("span ended %d times", n)
	}
	if n := len(rec.Traces()); n != 1 {
		t.Fatalf("trace ended %d times", n)
	}
	if got := s.Data().(*spans.Function).Output; got != "before" {
		t.Fatalf("data changed after End: %v", got)
	}
	if s.Error() != nil {
		t.Fatal("SetError after End must be ignored")
	}
	if !s.EndTime().After(s.StartTime()) {
		t.Fatal("end time must follow start time")
	}
}

func TestSetError(t *testing.T) {
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	_, s := tracing.StartSpan(ctx, &spans.Function{Name: "f"})
	s.SetError(fmt.Errorf("calling tool: %w", &tracing.SpanError{Message: "Error running tool", Data: map[string]any{"tool_name": "f"}}))
	want := &tracing.SpanError{Message: "Error running tool", Data: map[string]any{"tool_name": "f"}}
	if diff := cmp.Diff(want, s.Error()); diff != "" {
		t.Fatalf("wrapped SpanError (-want +got):\n%s", diff)
	}
	s.SetError(errors.New("plain"))
	if got := s.Error(); got.Message != "plain" || got.Data != nil {
		t.Fatalf("plain error recorded as %+v", got)
	}
	s.SetError(nil)
	if s.Error() != nil {
		t.Fatal("SetError(nil) must clear the error")
	}
	s.End()
}

func TestIDsAndOptions(t *testing.T) {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "w", tracing.WithGroupID("group_1"),
		tracing.WithMetadata(map[string]any{"k": "v"}), tracing.WithTracingAPIKey("sk-test"))
	_, s := tracing.StartSpan(ctx, &spans.Custom{Name: "c"}, tracing.WithSpanMetadata(map[string]any{"a": 1}))
	_, custom := tracing.StartSpan(ctx, &spans.Custom{Name: "c"}, tracing.WithSpanID("span_custom"))
	if !isHexID(tr.ID(), tracing.TraceIDPrefix, 32) || !isHexID(s.ID(), tracing.SpanIDPrefix, 24) || !isHexID(tracing.NewGroupID(), tracing.GroupIDPrefix, 24) {
		t.Fatalf("malformed ids: %q %q", tr.ID(), s.ID())
	}
	if custom.ID() != "span_custom" || tr.GroupID() != "group_1" || tr.Metadata()["k"] != "v" || s.Metadata()["a"] != 1 || tr.TracingAPIKey() != "sk-test" {
		t.Fatal("options not applied")
	}
	_, tr2 := tp.StartTrace(context.Background(), "w", tracing.WithTraceID("trace_mine"))
	if tr2.ID() != "trace_mine" {
		t.Fatalf("custom trace id: %q", tr2.ID())
	}
	seen := map[string]bool{}
	for range 10000 {
		id := tracing.NewGroupID()
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
	}
}

func isHexID(id, prefix string, n int) bool {
	if !strings.HasPrefix(id, prefix) || len(id) != len(prefix)+n {
		return false
	}
	for _, c := range id[len(prefix):] {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

type panicky struct{ tracingtest.Recorder }

func (*panicky) OnSpanEnd(*tracing.Span)            { panic("processor bug") }
func (*panicky) OnTraceStart(*tracing.Trace)        { panic("processor bug") }
func (*panicky) Shutdown(ctx context.Context) error { panic("shutdown bug") }

func TestProcessorPanicsAreContained(t *testing.T) {
	var logs bytes.Buffer
	rec := tracingtest.NewRecorder()
	tp := tracing.NewProvider(tracing.WithDisabled(false),
		tracing.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		tracing.WithProcessor(&panicky{}), tracing.WithProcessor(rec))
	for range 100 {
		ctx, tr := tp.StartTrace(context.Background(), "w")
		_, s := tracing.StartSpan(ctx, &spans.Custom{Name: "c"})
		s.End()
		tr.End()
	}
	if n := len(rec.Spans()); n != 100 {
		t.Fatalf("the healthy processor saw %d spans, want 100", n)
	}
	if n := strings.Count(logs.String(), "processor panicked"); n != 1 {
		t.Fatalf("panics logged %d times, want once per interval:\n%s", n, logs.String())
	}
	err := tp.Shutdown(context.Background())
	if err == nil || !strings.Contains(err.Error(), "shutdown bug") {
		t.Fatalf("Shutdown must report the panicking processor, got %v", err)
	}
	if rec.Shutdowns() != 1 {
		t.Fatal("the healthy processor was not shut down")
	}
}

type stuck struct {
	tracingtest.Recorder
	release chan struct{}
}

func (s *stuck) ForceFlush(context.Context) error { <-s.release; return nil }

func TestFlushAndShutdownHonourTheDeadline(t *testing.T) {
	st := &stuck{release: make(chan struct{})}
	defer close(st.release)
	healthy := tracingtest.NewRecorder()
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(st), tracing.WithProcessor(healthy))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := tp.ForceFlush(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("ForceFlush = %v, want the deadline", err)
	}
	if healthy.Flushes() != 1 {
		t.Fatal("a stuck processor held back another's flush")
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown = %v, want nil", err)
	}
	if healthy.Shutdowns() != 1 {
		t.Fatalf("processor shut down %d times", healthy.Shutdowns())
	}
	if _, tr := tp.StartTrace(context.Background(), "w"); tr != nil {
		t.Fatal("traces after Shutdown must be nil")
	}
}

func TestProcessorHooks(t *testing.T) {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	a, b := tracingtest.NewRecorder(), tracingtest.NewRecorder()
	tp.AddTraceProcessor(a)
	tp.AddTraceProcessor(nil)
	run := func() {
		ctx, tr := tp.StartTrace(context.Background(), "w")
		_, s := tracing.StartSpan(ctx, &spans.Custom{})
		s.End()
		tr.End()
	}
	run()
	tp.SetTraceProcessors(b, nil)
	run()
	if len(a.Spans()) != 1 || len(b.Spans()) != 1 || len(tp.Processors()) != 1 {
		t.Fatalf("a=%d b=%d procs=%d", len(a.Spans()), len(b.Spans()), len(tp.Processors()))
	}
	if len(b.StartedSpans()) != 1 || len(b.StartedTraces()) != 1 {
		t.Fatal("start hooks not called")
	}
}

func TestDefaultProvider(t *testing.T) {
	old := tracing.Default()
	t.Cleanup(func() { tracing.SetDefault(old) })
	tp, rec := tracingtest.NewProvider()
	tracing.SetDefault(tp)
	ctx, tr := tracing.StartTrace(context.Background(), "global")
	_, s := tracing.CustomSpan(ctx, "c", map[string]any{"k": 1})
	s.End()
	_, h := tracing.HandoffSpan(ctx, "a", "b")
	h.End()
	tr.End()
	extra := tracingtest.NewRecorder()
	tracing.AddTraceProcessor(extra)
	tracing.SetDisabled(true)
	if _, tr := tracing.StartTrace(context.Background(), "off"); tr != nil {
		t.Fatal("SetDisabled(true) must disable the default provider")
	}
	tracing.SetDisabled(false)
	if err := tracing.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := &node{Kind: "trace", Name: "global", Children: []*node{{Kind: "custom", Name: "c"}, {Kind: "handoff", Name: "a -> b"}}}
	if diff := cmp.Diff(want, rec.Tree(tr.ID())); diff != "" {
		t.Fatalf("tree (-want +got):\n%s", diff)
	}
	tracing.SetTraceProcessors(extra)
	if err := tracing.Shutdown(context.Background()); err != nil || extra.Shutdowns() != 1 || rec.Shutdowns() != 0 {
		t.Fatalf("Shutdown: err=%v extra=%d rec=%d", err, extra.Shutdowns(), rec.Shutdowns())
	}
	tracing.SetDefault(nil)
	if tracing.Default().Enabled() {
		t.Fatal("SetDefault(nil) must install a disabled provider")
	}
}

func TestTypedNilDataDoesNotPanic(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, s := tracing.StartSpan(ctx, (*spans.Agent)(nil))
	s.End()
	tr.End()
	if d := rec.Spans()[0].Data(); d == nil || d.Kind() != spans.KindAgent {
		t.Fatalf("typed nil data ended as %#v", d)
	}
}

func TestContextHelpers(t *testing.T) {
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, s := tracing.StartSpan(ctx, &spans.Custom{})
	moved := tracing.ContextWithSpan(context.Background(), s)
	if tracing.SpanFromContext(moved) != s || tracing.TraceFromContext(moved) != tr {
		t.Fatal("ContextWithSpan")
	}
	if tracing.TraceFromContext(tracing.ContextWithTrace(context.Background(), tr)) != tr {
		t.Fatal("ContextWithTrace")
	}
	bg := context.Background()
	if tracing.ContextWithSpan(bg, nil) != bg || tracing.ContextWithTrace(bg, nil) != bg {
		t.Fatal("nil values must leave the context unchanged")
	}
	// Cancellation and values pass through the span's context.
	type key struct{}
	cctx, cancel := context.WithCancel(context.WithValue(ctx, key{}, "v"))
	sctx, s2 := tracing.StartSpan(cctx, &spans.Custom{})
	cancel()
	<-sctx.Done()
	if sctx.Value(key{}) != "v" || !errors.Is(sctx.Err(), context.Canceled) {
		t.Fatal("span context must pass values and cancellation through")
	}
	s2.End()
	s.End()
	tr.End()
}
