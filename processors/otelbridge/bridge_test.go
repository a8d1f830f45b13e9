package otelbridge_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/internal/demo"
	"github.com/agenttrace/agenttrace-go/internal/interoptest"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/otelbridge"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// sdkTo returns an OTel SDK provider keeping the agent ids and exporting
// synchronously through otlptracehttp to s.
func sdkTo(t *testing.T, s *sink, opts ...sdktrace.TracerProviderOption) *sdktrace.TracerProvider {
	t.Helper()
	exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(s.URL+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	base := []sdktrace.TracerProviderOption{sdktrace.WithSyncer(exp), sdktrace.WithIDGenerator(otelbridge.IDGenerator(nil))}
	tp := sdktrace.NewTracerProvider(append(base, opts...)...)
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp
}

// TestSameAsOTLPExport runs the demo workflow (agents, tools, a guardrail,
// a handoff, a failing tool call) into otlpexport and into the bridge at
// once, and compares what each sink decoded: names, kinds, scope, ids,
// parents, flags, times, attributes, events and status must all match.
func TestSameAsOTLPExport(t *testing.T) {
	direct, bridged := newSink(t), newSink(t)
	exp, err := otlpexport.New(otlpexport.WithEndpointURL(direct.URL + "/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	otp := sdkTo(t, bridged)
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithSensitiveData(true),
		tracing.WithClock(tracingtest.NewStepClock(time.Now(), time.Millisecond).Now),
		tracing.WithProcessor(processors.NewSync(exp)),
		tracing.WithProcessor(processors.NewSync(otelbridge.NewExporter(otp))))
	if _, _, err := demo.Run(context.Background(), tp, demo.Options{GroupID: "group_1"}); err != nil {
		t.Fatal(err)
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	want, got := wires(direct.spans()), wires(bridged.spans())
	if len(want) != 10 {
		t.Fatalf("otlpexport sent %d spans, want 10", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bridge vs otlpexport (-otlpexport +bridge):\n%s", diff)
	}
	var errored int
	for _, w := range got {
		if strings.HasPrefix(w.Status, "STATUS_CODE_ERROR") && len(w.Events) == 1 && w.Events[0].Name == "exception" {
			errored++
		}
	}
	if errored != 1 {
		t.Errorf("%d spans with an error status and an exception event, want 1", errored)
	}
}

func wires(list []received) []wire {
	out := make([]wire, 0, len(list))
	for _, r := range list {
		out = append(out, toWire(r))
	}
	slices.SortFunc(out, func(a, b wire) int { return strings.Compare(a.SpanID, b.SpanID) })
	return out
}

// TestInterop: the otelhttp scenario with the application's SDK provider
// receiving both its own spans and, through the bridge, the agent's: one
// trace, the client span under the generation span, as decoded OTLP.
func TestInterop(t *testing.T) {
	s := newSink(t)
	otp := sdkTo(t, s)
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(otelbridge.New(otp)))
	run := interoptest.Serve(t, otp, tp)
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := s.spans()
	interoptest.Check(t, run, toInterop(got))
	for _, r := range got {
		if r.span.GetName() == interoptest.Workflow && r.scope != "github.com/agenttrace/agenttrace-go" {
			t.Errorf("agent spans under scope %q", r.scope)
		}
	}
}

// TestWarnsWithoutIDGenerator: a provider left with its own ids still
// receives the spans, and the bridge says once what to configure.
func TestWarnsWithoutIDGenerator(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)
	mem := tracetest.NewInMemoryExporter()
	otp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(mem))
	defer otp.Shutdown(context.Background())
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(processors.NewSync(otelbridge.NewExporter(otp))))
	for range 3 {
		ctx, tr := tp.StartTrace(context.Background(), "w")
		_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
		sp.End()
		tr.End()
	}
	_ = tp.Shutdown(context.Background())
	if n := len(mem.GetSpans()); n != 6 {
		t.Errorf("%d spans delivered, want 6", n)
	}
	if n := strings.Count(logs.String(), "otelbridge.IDGenerator"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, logs.String())
	}
}

func TestOpenTraceAtShutdown(t *testing.T) {
	mem := tracetest.NewInMemoryExporter()
	otp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(mem), sdktrace.WithIDGenerator(otelbridge.IDGenerator(nil)))
	defer otp.Shutdown(context.Background())
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(processors.NewSync(otelbridge.NewExporter(otp))))
	ctx, tr := tp.StartTrace(context.Background(), "still running")
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	sp.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := mem.GetSpans()
	if len(got) != 2 {
		t.Fatalf("%d spans, want the span and its trace's root", len(got))
	}
	root := got[1]
	if root.Name != "still running" || root.SpanContext.SpanID() != tr.SpanContext().SpanID() || got[0].Parent.SpanID() != root.SpanContext.SpanID() {
		t.Fatalf("root %q %v, span parent %v", root.Name, root.SpanContext.SpanID(), got[0].Parent.SpanID())
	}
	ended := true
	for _, kv := range root.Attributes {
		if kv.Key == "agenttrace.trace.ended" {
			ended = kv.Value.AsBool()
		}
	}
	if ended {
		t.Error("the root of a trace open at shutdown lacks agenttrace.trace.ended=false")
	}
}

func TestNilAndShutDownExporters(t *testing.T) {
	items := []processors.Item{{Event: processors.TraceStarted}}
	var pe *processors.PartialError
	var nilExp *otelbridge.Exporter
	if err := nilExp.Export(context.Background(), items); !errorAs(err, &pe) || pe.Reason != processors.DropAfterShutdown {
		t.Errorf("nil exporter: %v", err)
	}
	if err := nilExp.Shutdown(context.Background()); err != nil {
		t.Errorf("nil Shutdown: %v", err)
	}
	exp := otelbridge.NewExporter(nil) // the global provider
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := exp.Export(context.Background(), items); !errorAs(err, &pe) || pe.Dropped != 1 || pe.Reason != processors.DropAfterShutdown {
		t.Errorf("after Shutdown: %v", err)
	}
}

// TestIDGeneratorLeavesOtherSpansToBase: the program's own spans get the
// base generator's ids.
func TestIDGeneratorLeavesOtherSpansToBase(t *testing.T) {
	base := &countingIDs{}
	otp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(otelbridge.IDGenerator(base)))
	defer otp.Shutdown(context.Background())
	ctx, root := otp.Tracer("app").Start(context.Background(), "root")
	_, child := otp.Tracer("app").Start(ctx, "child")
	child.End()
	root.End()
	if base.ids != 1 || base.spans != 1 {
		t.Errorf("base generator asked %d root and %d child ids, want 1 and 1", base.ids, base.spans)
	}
	if root.SpanContext().TraceID() != (trace.TraceID{15}) || child.SpanContext().SpanID() != (trace.SpanID{7}) {
		t.Errorf("ids %v / %v are not the base generator's", root.SpanContext(), child.SpanContext())
	}
}

type countingIDs struct{ ids, spans int }

func (c *countingIDs) NewIDs(context.Context) (trace.TraceID, trace.SpanID) {
	c.ids++
	return trace.TraceID{15}, trace.SpanID{5}
}

func (c *countingIDs) NewSpanID(context.Context, trace.TraceID) trace.SpanID {
	c.spans++
	return trace.SpanID{7}
}
