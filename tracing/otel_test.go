package tracing_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// sdkProvider returns an OTel SDK provider that records every span in memory.
func sdkProvider(t *testing.T) (*sdktrace.TracerProvider, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp, exp
}

func traceparent(ctx context.Context) string {
	c := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(ctx, c)
	return c["traceparent"]
}

func wantTraceparent(sc trace.SpanContext) string {
	flags := "00"
	if sc.IsSampled() {
		flags = "01"
	}
	return "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-" + flags
}

func TestTraceJoinsTheOTelSpanInContext(t *testing.T) {
	otp, _ := sdkProvider(t)
	octx, req := otp.Tracer("server").Start(context.Background(), "GET /chat")
	defer req.End()
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(octx, "Support run")
	rsc := req.SpanContext()
	if got := tr.SpanContext(); got.TraceID() != rsc.TraceID() || !got.IsSampled() || got.SpanID() == rsc.SpanID() || !got.SpanID().IsValid() {
		t.Fatalf("trace span context %v, want trace id %v, sampled, a span id of its own", got, rsc.TraceID())
	}
	if got := tr.ParentSpanContext(); !got.Equal(rsc) {
		t.Fatalf("parent %v, want the request span %v", got, rsc)
	}
	if want := "trace_" + rsc.TraceID().String(); tr.ID() != want {
		t.Fatalf("agent trace id %q, want %q", tr.ID(), want)
	}
	if got := trace.SpanFromContext(ctx).TracerProvider(); got != otp {
		t.Fatalf("the trace's OTel span reports provider %T, want the request span's", got)
	}
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	sp.End()
	tr.End()
	if sp.SpanContext().TraceID() != rsc.TraceID() || !sp.ParentSpanContext().Equal(tr.SpanContext()) {
		t.Fatalf("span %v parent %v, want a child of the trace %v", sp.SpanContext(), sp.ParentSpanContext(), tr.SpanContext())
	}
	if n := len(rec.Spans()); n != 1 {
		t.Fatalf("%d spans recorded, want 1", n)
	}
}

func TestSpanIsTheOTelParent(t *testing.T) {
	otp, oexp := sdkProvider(t)
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	gctx, gen := tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1"})
	cur := trace.SpanFromContext(gctx)
	if cur.IsRecording() || !cur.SpanContext().Equal(gen.SpanContext()) {
		t.Fatalf("SpanFromContext: recording %v, context %v, want non-recording %v", cur.IsRecording(), cur.SpanContext(), gen.SpanContext())
	}
	cur.AddEvent("harmless")
	cur.SetAttributes()
	cur.End()
	if cur.TracerProvider() != otel.GetTracerProvider() {
		t.Fatalf("provider %T, want the global one when the trace joined no OTel span", cur.TracerProvider())
	}
	if got, want := traceparent(gctx), wantTraceparent(gen.SpanContext()); got != want {
		t.Fatalf("traceparent %q, want %q", got, want)
	}
	_, child := otp.Tracer("db").Start(gctx, "SELECT")
	child.End()
	gen.End()
	got := oexp.GetSpans()
	if len(got) != 1 || got[0].Parent.SpanID() != gen.SpanContext().SpanID() || got[0].SpanContext.TraceID() != tr.SpanContext().TraceID() {
		t.Fatalf("OTel child %+v, want a child of the generation span %v", got, gen.SpanContext())
	}
	// The trace itself is the OTel parent of what is started outside spans.
	if got, want := traceparent(ctx), wantTraceparent(tr.SpanContext()); got != want {
		t.Fatalf("trace context traceparent %q, want %q", got, want)
	}
}

func TestOTelSpanBetweenAgentSpansIsTheWireParent(t *testing.T) {
	otp, _ := sdkProvider(t)
	tp, _ := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	defer tr.End()
	actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	defer agent.End()
	mctx, mw := otp.Tracer("mw").Start(actx, "middleware")
	defer mw.End()
	_, fn := tracing.StartSpan(mctx, &spans.Function{Name: "f"})
	fn.End()
	if fn.ParentID() != agent.ID() {
		t.Fatalf("agent parent %q, want %q", fn.ParentID(), agent.ID())
	}
	if got := fn.ParentSpanContext().SpanID(); got != mw.SpanContext().SpanID() {
		t.Fatalf("wire parent %v, want the OTel span %v", got, mw.SpanContext().SpanID())
	}
	// An explicit parent is taken as given.
	_, ex := tracing.StartSpan(mctx, &spans.Custom{Name: "x"}, tracing.WithParent(agent))
	ex.End()
	if got := ex.ParentSpanContext().SpanID(); got != agent.SpanContext().SpanID() {
		t.Fatalf("explicit parent on the wire %v, want the agent %v", got, agent.SpanContext().SpanID())
	}
}

func TestRemoteTraceparentJoinsWithDistinctRoots(t *testing.T) {
	const upstream = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	prop := propagation.TraceContext{}
	tp, _ := tracingtest.NewProvider()
	var roots []trace.SpanContext
	for range 2 { // two requests of one upstream trace
		rctx := prop.Extract(context.Background(), propagation.MapCarrier{"traceparent": upstream})
		ctx, tr := tp.StartTrace(rctx, "w")
		if tr.ID() != "trace_0af7651916cd43dd8448eb211c80319c" || !tr.ParentSpanContext().IsRemote() ||
			tr.ParentSpanContext().SpanID().String() != "b7ad6b7169203331" {
			t.Fatalf("trace %q parent %v, want the upstream trace id and remote parent", tr.ID(), tr.ParentSpanContext())
		}
		if tr.SpanContext().IsRemote() {
			t.Fatal("the trace's own span context must be local")
		}
		if trace.SpanFromContext(ctx).TracerProvider() != otel.GetTracerProvider() {
			t.Fatal("under a remote parent, OTel spans must use the global provider")
		}
		roots = append(roots, tr.SpanContext())
		tr.End()
	}
	if roots[0].SpanID() == roots[1].SpanID() {
		t.Fatalf("two traces joining one upstream span share the root span id %v", roots[0].SpanID())
	}
}

func TestTraceParentOptions(t *testing.T) {
	otp, _ := sdkProvider(t)
	octx, req := otp.Tracer("s").Start(context.Background(), "req")
	defer req.End()
	tp, _ := tracingtest.NewProvider()

	_, tr := tp.StartTrace(octx, "w", tracing.WithNewRoot())
	if tr.SpanContext().TraceID() == req.SpanContext().TraceID() || tr.ParentSpanContext().IsValid() {
		t.Errorf("WithNewRoot joined %v", tr.ParentSpanContext())
	}
	tr.End()

	other := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5, 6}, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	_, tr = tp.StartTrace(octx, "w", tracing.WithParentSpanContext(other))
	if !tr.ParentSpanContext().Equal(other) || tr.SpanContext().TraceID() != other.TraceID() {
		t.Errorf("WithParentSpanContext: parent %v, want %v", tr.ParentSpanContext(), other)
	}
	tr.End()

	_, tr = tp.StartTrace(octx, "w", tracing.WithParentSpanContext(trace.SpanContext{}))
	if tr.ParentSpanContext().IsValid() {
		t.Errorf("an invalid explicit parent joined %v", tr.ParentSpanContext())
	}
	tr.End()

	// An explicit trace id of another trace starts a new one; the same id joins.
	_, tr = tp.StartTrace(octx, "w", tracing.WithTraceID("trace_0000000000000000000000000000abcd"))
	if tr.ParentSpanContext().IsValid() || tr.SpanContext().TraceID().String() != "0000000000000000000000000000abcd" {
		t.Errorf("WithTraceID of another trace: parent %v, trace %v", tr.ParentSpanContext(), tr.SpanContext().TraceID())
	}
	tr.End()
	_, tr = tp.StartTrace(octx, "w", tracing.WithTraceID("trace_"+req.SpanContext().TraceID().String()))
	if !tr.ParentSpanContext().Equal(req.SpanContext()) {
		t.Errorf("WithTraceID of the same trace did not join: %v", tr.ParentSpanContext())
	}
	tr.End()
}

func TestTraceInsideAnAgentSpanJoinsIt(t *testing.T) {
	tp, _ := tracingtest.NewProvider()
	ctx, outer := tp.StartTrace(context.Background(), "outer")
	defer outer.End()
	sctx, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	defer sp.End()
	_, inner := tp.StartTrace(sctx, "inner")
	defer inner.End()
	if inner.ID() != outer.ID() || !inner.ParentSpanContext().Equal(sp.SpanContext()) {
		t.Fatalf("inner trace %q parent %v, want %q under %v", inner.ID(), inner.ParentSpanContext(), outer.ID(), sp.SpanContext())
	}
}

// TestOTelHTTPNestsUnderTheGenerationSpan runs an agent inside an otelhttp
// handler and calls a model through otelhttp's Transport: the request, the
// trace, the generation and the client span form one OTel trace, and the
// model server receives a traceparent naming the client span.
func TestOTelHTTPNestsUnderTheGenerationSpan(t *testing.T) {
	otp, oexp := sdkProvider(t)
	var mu sync.Mutex
	var got []string
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("traceparent"))
		mu.Unlock()
		_, _ = w.Write([]byte(`{"choices":[]}`))
	}))
	defer model.Close()
	client := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport,
		otelhttp.WithPropagators(propagation.TraceContext{}))}

	tp, _ := tracingtest.NewProvider()
	var tr *tracing.Trace
	var gen *tracing.Span
	app := otelhttp.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, run := tp.StartTrace(r.Context(), "Support run")
		defer run.End()
		tr = run
		gctx, g := tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1"})
		defer g.End()
		gen = g
		req, _ := http.NewRequestWithContext(gctx, http.MethodPost, model.URL, strings.NewReader("{}"))
		resp, err := client.Do(req)
		if err != nil {
			g.SetError(err)
			return
		}
		resp.Body.Close()
	}), "chat", otelhttp.WithTracerProvider(otp), otelhttp.WithPropagators(propagation.TraceContext{}))
	front := httptest.NewServer(app)
	defer front.Close()
	resp, err := http.Get(front.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_ = otp.ForceFlush(context.Background())

	stubs := oexp.GetSpans()
	var server, clientSpan *tracetest.SpanStub
	for i := range stubs {
		switch stubs[i].SpanKind {
		case trace.SpanKindServer:
			server = &stubs[i]
		case trace.SpanKindClient:
			clientSpan = &stubs[i]
		}
	}
	if server == nil || clientSpan == nil {
		t.Fatalf("OTel spans %d, want a server and a client span", len(stubs))
	}
	tid := server.SpanContext.TraceID()
	if tr.SpanContext().TraceID() != tid || clientSpan.SpanContext.TraceID() != tid {
		t.Fatalf("trace ids: server %v, agent %v, client %v", tid, tr.SpanContext().TraceID(), clientSpan.SpanContext.TraceID())
	}
	if tr.ParentSpanContext().SpanID() != server.SpanContext.SpanID() {
		t.Errorf("the trace's parent %v, want the server span %v", tr.ParentSpanContext().SpanID(), server.SpanContext.SpanID())
	}
	if gen.ParentSpanContext().SpanID() != tr.SpanContext().SpanID() {
		t.Errorf("the generation's parent %v, want the trace's root %v", gen.ParentSpanContext().SpanID(), tr.SpanContext().SpanID())
	}
	if clientSpan.Parent.SpanID() != gen.SpanContext().SpanID() {
		t.Errorf("the client span's parent %v, want the generation %v", clientSpan.Parent.SpanID(), gen.SpanContext().SpanID())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != wantTraceparent(clientSpan.SpanContext) {
		t.Errorf("model server got traceparent %q, want %q", got, wantTraceparent(clientSpan.SpanContext))
	}
}
