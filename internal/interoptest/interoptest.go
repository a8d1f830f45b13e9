// Package interoptest runs the OpenTelemetry interop scenario that the
// tests of otlpexport, otelbridge and the Jaeger end-to-end test check from
// what their backend received: a service instrumented with otelhttp serves
// one request, the handler runs an agent trace with no call beyond
// StartTrace and StartSpan, and its generation span calls a model server
// through otelhttp's Transport, with no option but the propagator, as a
// user's service would. It is for tests only.
package interoptest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Names of the scenario's spans.
const (
	Operation = "chat-service" // the otelhttp handler's operation
	Workflow  = "Support run"
	AgentName = "Planner"
	Model     = "gpt-4.1"
)

// WantTree is the tree a backend must show for the scenario, as [Tree]
// renders it: the request span, the agent trace under it, and the HTTP
// client span under the generation span that made it.
// otelhttp names the request span after its method.
const WantTree = `GET [SERVER]
  ` + Workflow + ` [INTERNAL]
    invoke_agent ` + AgentName + ` [INTERNAL]
      chat ` + Model + ` [CLIENT]
        HTTP POST [CLIENT]
`

// Run is what one run of the scenario did.
type Run struct {
	Trace      *tracing.Trace
	Agent      *tracing.Span
	Generation *tracing.Span
	// Traceparent is the header the model server received.
	Traceparent string
}

// Serve runs the scenario: the otelhttp handler records its span with otp,
// the agent trace is one of tp. It returns once the request is served and
// every agent span has ended.
func Serve(t testing.TB, otp trace.TracerProvider, tp *tracing.Provider) Run {
	t.Helper()
	prop := propagation.TraceContext{}
	var mu sync.Mutex
	var run Run
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		run.Traceparent = r.Header.Get("traceparent")
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"choices":[{"message":{"role":"assistant","content":"hello"}}]}`)
	}))
	defer model.Close()
	client := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithPropagators(prop))}
	defer client.CloseIdleConnections()

	handler := otelhttp.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, tr := tp.StartTrace(r.Context(), Workflow)
		defer tr.End()
		actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: AgentName})
		defer agent.End()
		gen := &spans.Generation{Model: Model, Input: []spans.Message{{Role: "user", Content: "hi"}}}
		gctx, span := tracing.StartSpan(actx, gen)
		defer span.End()
		mu.Lock()
		run.Trace, run.Agent, run.Generation = tr, agent, span
		mu.Unlock()
		req, err := http.NewRequestWithContext(gctx, http.MethodPost, model.URL+"/v1/chat/completions", strings.NewReader(`{}`))
		if err != nil {
			span.SetError(err)
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			span.SetError(err)
			http.Error(w, "model call failed", http.StatusBadGateway)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		gen.Output = []spans.Message{{Role: "assistant", Content: "hello"}}
		_, _ = io.WriteString(w, "hello")
	}), Operation, otelhttp.WithTracerProvider(otp), otelhttp.WithPropagators(prop))
	front := httptest.NewServer(handler)
	defer front.Close()
	resp, err := http.Get(front.URL + "/chat")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("service answered %s", resp.Status)
	}
	mu.Lock()
	defer mu.Unlock()
	if run.Trace == nil || run.Generation == nil {
		t.Fatal("the handler recorded no agent trace")
	}
	return run
}

// Span is what a backend holds of a span: ids in lowercase hex, the kind as
// "SERVER", "CLIENT", "INTERNAL", ...
type Span struct {
	Name, Kind                string
	TraceID, SpanID, ParentID string
}

// Tree renders spans as an indented tree ("name [KIND]", children by name),
// failing t when a parent is missing or there is not exactly one root.
func Tree(t testing.TB, list []Span) string {
	t.Helper()
	ids := map[string]bool{}
	for _, s := range list {
		ids[s.SpanID] = true
	}
	children := map[string][]Span{}
	for _, s := range list {
		if s.ParentID != "" && !ids[s.ParentID] {
			t.Errorf("span %q: parent %s is not in the trace", s.Name, s.ParentID)
		}
		children[s.ParentID] = append(children[s.ParentID], s)
	}
	if n := len(children[""]); n != 1 {
		t.Errorf("%d root spans, want 1", n)
	}
	var b strings.Builder
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		kids := children[parent]
		slices.SortFunc(kids, func(a, b Span) int { return strings.Compare(a.Name, b.Name) })
		for _, s := range kids {
			fmt.Fprintf(&b, "%s%s [%s]\n", indent, s.Name, s.Kind)
			walk(s.SpanID, indent+"  ")
		}
	}
	walk("", "")
	return b.String()
}

// Check asserts what a backend received for run: one trace id, the tree
// [WantTree], the agent spans with exactly the ids their contexts carried,
// and the traceparent the model server received naming the client span.
func Check(t testing.TB, run Run, list []Span) {
	t.Helper()
	if got := Tree(t, list); got != WantTree {
		t.Errorf("span tree:\n%s\nwant:\n%s", got, WantTree)
	}
	tid := run.Trace.SpanContext().TraceID().String()
	byName := map[string]Span{}
	for _, s := range list {
		if s.TraceID != tid {
			t.Errorf("span %q: trace id %s, want %s", s.Name, s.TraceID, tid)
		}
		byName[s.Name] = s
	}
	for name, sc := range map[string]trace.SpanContext{
		Workflow:                    run.Trace.SpanContext(),
		"invoke_agent " + AgentName: run.Agent.SpanContext(),
		"chat " + Model:             run.Generation.SpanContext(),
	} {
		if got := byName[name].SpanID; got != sc.SpanID().String() {
			t.Errorf("span %q: id %s, want the id its context carried, %s", name, got, sc.SpanID())
		}
	}
	client := byName["HTTP POST"]
	if want := "00-" + tid + "-" + client.SpanID + "-01"; run.Traceparent != want {
		t.Errorf("model server received traceparent %q, want %q", run.Traceparent, want)
	}
}
