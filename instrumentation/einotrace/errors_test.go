package einotrace_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent"
	"github.com/cloudwego/eino/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// errorsOf returns the error messages of a tree, by span kind and name.
func errorsOf(n *tracingtest.Node) map[string]string {
	out := map[string]string{}
	var walk func(*tracingtest.Node)
	walk = func(n *tracingtest.Node) {
		if n.Error != "" {
			out[n.Kind+" "+n.Name] = n.Error
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(n)
	return out
}

func TestToolErrorOnEveryLevel(t *testing.T) {
	tp, rec, w := newProvider()
	ag := newReAct(t, &scriptModel{replies: []*schema.Message{toolCall("call_1", "Paris")}}, weatherTool{err: errBoom})
	_, err := ag.Generate(context.Background(), question, agent.WithComposeOptions(compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp)))))
	if !errors.Is(err, errBoom) {
		t.Fatalf("err %v", err)
	}
	w.wait(t, 1)
	tree := rec.OnlyTree(t)
	got := errorsOf(tree)
	for _, k := range []string{"function get_weather", "custom Tools", "agent ReActAgent"} {
		if !strings.Contains(got[k], "boom") {
			t.Errorf("%s: error %q, want it to mention boom (all: %v)", k, got[k], got)
		}
	}
	if _, ok := got["generation "]; ok {
		t.Errorf("the model call succeeded, yet has an error: %v", got)
	}
}

func TestModelErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stream bool
		model  *scriptModel
	}{
		{"generate", false, &scriptModel{err: errBoom}},
		{"stream fails to start", true, &scriptModel{err: errBoom}},
		{"stream fails midway", true, &scriptModel{replies: []*schema.Message{answer("It is sunny in Paris.")}, midErr: errBoom}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, self := range []bool{false, true} {
				tp, rec, w := newProvider()
				m := tc.model
				m.next = 0
				var ag = newReAct(t, m)
				if self {
					ag = newReAct(t, &selfModel{name: "m", script: m})
				}
				opt := agent.WithComposeOptions(compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp))))
				var err error
				if tc.stream {
					var sr *schema.StreamReader[*schema.Message]
					sr, err = ag.Stream(context.Background(), question, opt)
					for err == nil {
						_, err = sr.Recv()
					}
					if sr != nil {
						sr.Close()
					}
				} else {
					_, err = ag.Generate(context.Background(), question, opt)
				}
				if !errors.Is(err, errBoom) && !strings.Contains(err.Error(), "boom") {
					t.Fatalf("self %v: err %v", self, err)
				}
				w.wait(t, 1)
				gens := spansOf(rec, spans.KindGeneration)
				if len(gens) != 1 || gens[0].Error() == nil || !strings.Contains(gens[0].Error().Message, "boom") {
					t.Fatalf("self %v: generation spans %d, error %v\n%s", self, len(gens), gens[0].Error(), rec.OnlyTree(t))
				}
				if err == io.EOF {
					t.Fatal("stream ended cleanly")
				}
			}
		})
	}
}

// TestInterruptAndResume checks that an interrupt ends every span it
// stops, without an error, and that the resumed run is a trace of its own.
func TestInterruptAndResume(t *testing.T) {
	tp, rec, w := newProvider()
	g := compose.NewGraph[string, string]()
	_ = g.AddLambdaNode("prepare", compose.InvokableLambda(func(_ context.Context, in string) (string, error) {
		return in + " prepared", nil
	}))
	_ = g.AddLambdaNode("approve", compose.InvokableLambda(func(ctx context.Context, in string) (string, error) {
		if was, _, _ := compose.GetInterruptState[any](ctx); !was {
			return "", compose.Interrupt(ctx, "needs approval")
		}
		_, _, ok := compose.GetResumeContext[string](ctx)
		return in + " approved=" + ok, nil
	}))
	_ = g.AddEdge(compose.START, "prepare")
	_ = g.AddEdge("prepare", "approve")
	_ = g.AddEdge("approve", compose.END)
	r, err := g.Compile(context.Background(), compose.WithGraphName("approval"), compose.WithCheckPointStore(newStore()))
	if err != nil {
		t.Fatal(err)
	}
	h := compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp)))
	_, err = r.Invoke(context.Background(), "order", compose.WithCheckPointID("c1"), h)
	info, ok := compose.ExtractInterruptInfo(err)
	if !ok || len(info.InterruptContexts) == 0 {
		t.Fatalf("not interrupted: %v", err)
	}
	w.wait(t, 1)
	want := &tracingtest.Node{Kind: "trace", Name: "approval", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "approval", Children: []*tracingtest.Node{
			{Kind: "custom", Name: "prepare"},
			{Kind: "custom", Name: "approve"},
		}},
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("interrupted tree (-want +got):\n%s", diff)
	}
	if started, ended := len(rec.StartedSpans()), len(rec.Spans()); started != ended {
		t.Errorf("%d spans started, %d ended", started, ended)
	}
	for _, s := range rec.Spans() {
		interrupted := s.Name() == "approve" || s.Name() == "approval"
		if got := s.Metadata()["eino.interrupted"] == true; got != interrupted {
			t.Errorf("%s: interrupted metadata %v, want %v", s.Name(), s.Metadata(), interrupted)
		}
	}

	rec.Reset()
	ctx := compose.ResumeWithData(context.Background(), info.InterruptContexts[0].ID, "yes")
	out, err := r.Invoke(ctx, "order", compose.WithCheckPointID("c1"), h)
	if err != nil || !strings.HasSuffix(out, "approved=yes") {
		t.Fatalf("resume: %q, %v", out, err)
	}
	w.wait(t, 1)
	want.Children[0].Children = want.Children[0].Children[1:] // only the interrupted node runs again
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("resumed tree (-want +got):\n%s", diff)
	}
}

type store struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newStore() *store { return &store{m: map[string][]byte{}} }

func (s *store) Get(_ context.Context, id string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[id]
	return b, ok, nil
}

func (s *store) Set(_ context.Context, id string, b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = b
	return nil
}

var _ tool.InvokableTool = weatherTool{}
