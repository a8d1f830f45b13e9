package otlpexport

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// byParent indexes received spans: roots (no parent) by span id, and the
// children of each parent.
func byParent(got []*tracepb.Span) (roots map[string]*tracepb.Span, children map[string][]*tracepb.Span) {
	roots, children = map[string]*tracepb.Span{}, map[string][]*tracepb.Span{}
	for _, ps := range got {
		if p := hex.EncodeToString(ps.GetParentSpanId()); p != "" {
			children[p] = append(children[p], ps)
			continue
		}
		roots[hex.EncodeToString(ps.GetSpanId())] = ps
	}
	return roots, children
}

// TestShutdownSendsOpenTraceRoots checks that a trace still open at
// Shutdown (a signal mid-run) gets its root span, ending at shutdown and
// marked not ended, so that its spans are not orphans; an ended trace keeps
// its one ordinary root.
func TestShutdownSendsOpenTraceRoots(t *testing.T) {
	for _, coze := range []bool{false, true} {
		name := map[bool]string{false: "generic", true: "Coze Loop"}[coze]
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			s := newSink(t, nil)
			opts := []Option{WithEndpointURL(s.URL + "/v1/traces"), WithoutRetry()}
			if coze {
				opts = []Option{WithCozeLoop("7486", "pat_secret"), WithCozeLoopBaseURL(s.URL), WithoutRetry()}
			}
			exp, err := New(opts...)
			if err != nil {
				t.Fatal(err)
			}
			tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)), tracing.WithDisabled(false),
				tracing.WithIDGenerator(&seqIDs{}), tracing.WithClock(stepClock(t0)))
			ctx, open := tp.StartTrace(context.Background(), "Interrupted run", tracing.WithGroupID("group_7")) // t0
			_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "worker"})                                       // t0+1s
			sp.End()                                                                                            // t0+2s
			_, done := tp.StartTrace(context.Background(), "Finished run")                                      // t0+3s
			done.End()                                                                                          // t0+4s
			if err := tp.Shutdown(context.Background()); err != nil {                                           // root ends at t0+5s
				t.Fatal(err)
			}

			roots, children := byParent(s.spans())
			if len(roots) != 2 {
				t.Fatalf("received %d root spans, want 2 (one per trace)", len(roots))
			}
			var openRoot *tracepb.Span
			for _, r := range roots {
				if r.GetName() == "Interrupted run" {
					openRoot = r
				} else if _, ok := attrMap(r.GetAttributes())["agenttrace.trace.ended"]; ok {
					t.Errorf("ended trace's root carries %s", "agenttrace.trace.ended")
				}
			}
			if openRoot == nil {
				t.Fatal("no root span for the open trace")
			}
			kids := children[hex.EncodeToString(openRoot.GetSpanId())]
			if len(kids) != 1 || kids[0].GetName() != "invoke_agent worker" {
				t.Fatalf("children of the open trace's root = %v", kids)
			}
			a := attrMap(openRoot.GetAttributes())
			if a["agenttrace.trace.ended"] != false || a["agenttrace.trace.id"] != open.ID() || a["session.id"] != "group_7" {
				t.Errorf("open root attributes = %v", a)
			}
			g := toGot(openRoot)
			if !g.Start.Equal(t0) || !g.End.Equal(t0.Add(5*time.Second)) {
				t.Errorf("open root spans %v to %v, want %v to shutdown at %v", g.Start, g.End, t0, t0.Add(5*time.Second))
			}
			if openRoot.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR {
				t.Error("an open trace is not an error")
			}
			if coze {
				if diff := cmp.Diff(cozeView{SpanType: "agent", Thread: "group_7"}, readCoze(openRoot)); diff != "" {
					t.Errorf("Coze Loop view of the open root (-want +got):\n%s", diff)
				}
				checkCozeIDs(t, openRoot)
			}
		})
	}
}

// TestOpenTraceEndedLate checks that a trace whose end never reached the
// exporter but which has ended by Shutdown gets its ordinary root span.
func TestOpenTraceEndedLate(t *testing.T) {
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false), tracing.WithClock(stepClock(t0)))
	_, tr := tp.StartTrace(context.Background(), "w")
	if err := exp.Export(context.Background(), c.items); err != nil { // the start only
		t.Fatal(err)
	}
	tr.End()
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := s.spans()
	if len(got) != 1 {
		t.Fatalf("received %d spans, want the root", len(got))
	}
	if _, ok := attrMap(got[0].GetAttributes())["agenttrace.trace.ended"]; ok || !toGot(got[0]).End.Equal(tr.EndTime()) {
		t.Errorf("root %v ends %v, want the trace's end %v", attrMap(got[0].GetAttributes()), toGot(got[0]).End, tr.EndTime())
	}
}

// TestOpenTracesBounded checks that at most otelmap.MaxOpenTraces open traces are
// remembered, the oldest forgotten first, and that ended ones are
// forgotten.
func TestOpenTracesBounded(t *testing.T) {
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false), tracing.WithIDGenerator(&seqIDs{}))
	const extra = 5
	var traces []*tracing.Trace
	for range otelmap.MaxOpenTraces + extra {
		_, tr := tp.StartTrace(context.Background(), "w")
		traces = append(traces, tr)
	}
	traces[extra+1].End() // among those remembered: forgotten when its end arrives
	if err := exp.Export(context.Background(), c.items); err != nil {
		t.Fatal(err)
	}
	before := len(s.spans()) // the ended trace's root
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := s.spans()[before:]
	if len(got) != otelmap.MaxOpenTraces-1 {
		t.Fatalf("Shutdown sent %d roots, want %d", len(got), otelmap.MaxOpenTraces-1)
	}
	sent := map[string]bool{}
	for _, ps := range got {
		sent[attrMap(ps.GetAttributes())["agenttrace.trace.id"].(string)] = true
	}
	for i, tr := range traces {
		want := i >= extra && i != extra+1
		if sent[tr.ID()] != want {
			t.Errorf("trace %d: root sent at Shutdown %v, want %v", i, sent[tr.ID()], want)
		}
	}
}

// TestShutdownWithOpenTracesHonoursCtx checks that sending the roots of
// open traces is bounded by Shutdown's ctx, and skipped when ctx is done.
func TestShutdownWithOpenTracesHonoursCtx(t *testing.T) {
	release := make(chan struct{})
	s := newSink(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select { // a backend that hangs
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // before the sink closes
	openOne := func() *Exporter {
		exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithTimeout(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		c := &collector{}
		tp := tracing.NewProvider(tracing.WithProcessor(c), tracing.WithDisabled(false))
		tp.StartTrace(context.Background(), "w")
		if err := exp.Export(context.Background(), c.items); err != nil {
			t.Fatal(err)
		}
		return exp
	}

	exp := openOne()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := exp.Shutdown(ctx)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Shutdown took %v with a 200ms deadline", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want the deadline", err)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("requests = %d, want the one that hung", n)
	}

	exp = openOne()
	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if err := exp.Shutdown(done); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown with a done ctx = %v, want context.Canceled", err)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("requests = %d: Shutdown with a done ctx sent", n)
	}
}
