package anthropictrace_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// ended is a processor that reports every span end on a channel, for
// tests that wait for a span ended off the caller's goroutine.
type ended struct{ ch chan *tracing.Span }

func newEnded() *ended { return &ended{ch: make(chan *tracing.Span, 64)} }

func (e *ended) OnTraceStart(*tracing.Trace)          {}
func (e *ended) OnTraceEnd(*tracing.Trace)            {}
func (e *ended) OnSpanStart(*tracing.Span)            {}
func (e *ended) OnSpanEnd(s *tracing.Span)            { e.ch <- s }
func (e *ended) ForceFlush(ctx context.Context) error { return nil }
func (e *ended) Shutdown(ctx context.Context) error   { return nil }

// inAgent runs f in a trace "weather run" under an agent span "Weather
// agent", as an agent loop would call the model.
func inAgent(tp *tracing.Provider, f func(ctx context.Context)) {
	ctx, tr := tp.StartTrace(context.Background(), "weather run")
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "Weather agent"})
	f(ctx)
	agent.End()
	tr.End()
}

// agentTree is the golden tree of n generation spans of model under the
// agent span of inAgent, the i-th with errs[i] as its error.
func agentTree(model string, errs ...string) *tracingtest.Node {
	agent := &tracingtest.Node{Kind: "agent", Name: "Weather agent"}
	for _, e := range errs {
		agent.Children = append(agent.Children, &tracingtest.Node{Kind: "generation", Name: model, Error: e})
	}
	return &tracingtest.Node{Kind: "trace", Name: "weather run", Children: []*tracingtest.Node{agent}}
}

// generations returns the generation spans recorded, in end order.
func generations(rec *tracingtest.Recorder) []*tracing.Span {
	var out []*tracing.Span
	for _, s := range rec.Spans() {
		if s.Kind() == spans.KindGeneration {
			out = append(out, s)
		}
	}
	return out
}

// onlyGeneration returns the one generation span recorded.
func onlyGeneration(t *testing.T, rec *tracingtest.Recorder) (*tracing.Span, *spans.Generation) {
	t.Helper()
	gens := generations(rec)
	if len(gens) != 1 {
		t.Fatalf("%d generation spans recorded, want 1", len(gens))
	}
	return gens[0], gens[0].Data().(*spans.Generation)
}

// assertNoSecret fails t when any recorded span mentions the API key.
func assertNoSecret(t *testing.T, rec *tracingtest.Recorder) {
	t.Helper()
	for _, s := range rec.Spans() {
		b, err := json.Marshal(map[string]any{"data": s.Data(), "error": s.Error(), "metadata": s.Metadata()})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), testKey) || strings.Contains(string(b), "Bearer") {
			t.Errorf("span %s records the API key: %s", s.Name(), b)
		}
	}
}

func generationOf(s *tracing.Span) *spans.Generation { return s.Data().(*spans.Generation) }
