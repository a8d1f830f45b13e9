package htmlexport_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/htmlexport"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// record runs a small agent trace through exp: an agent, a generation with
// usage, a tool call that fails, and a tool whose name is HTML. It returns
// the trace.
func record(t *testing.T, exp *htmlexport.Exporter, opts ...tracing.Option) *tracing.Trace {
	t.Helper()
	tp := tracing.NewProvider(append([]tracing.Option{
		tracing.WithDisabled(false),
		tracing.WithIDGenerator(&tracingtest.SequentialIDs{}),
		tracing.WithClock(tracingtest.NewStepClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Millisecond).Now),
		tracing.WithProcessor(processors.NewSync(exp)),
	}, opts...)...)
	ctx, tr := tp.Trace(context.Background(), "Support run", tracing.WithGroupID("thread-7"))
	actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "Triage agent", Tools: []string{"lookup_order"}})
	gen := &spans.Generation{Model: "gpt-4.1-mini", Input: []spans.Message{{Role: "user", Content: "Where is order A1?"}}}
	_, g := tracing.StartSpan(actx, gen)
	gen.Output = []spans.Message{{Role: "assistant", Content: "Let me look that up."}}
	gen.Usage = &spans.Usage{InputTokens: 30, OutputTokens: 24}
	g.End()
	_, f := tracing.FunctionSpan(actx, "lookup_order", `{"order_id":"A1"}`)
	f.SetError(errors.New("billing service timed out"))
	f.End()
	_, x := tracing.FunctionSpan(actx, "<script>alert(1)</script>", `not json`)
	x.SetOutput(map[string]any{"shipped": true})
	x.End()
	agent.End()
	tr.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestPageHoldsTheTrace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pages")
	exp, err := htmlexport.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	tr := record(t, exp)
	written := exp.Written()
	want := filepath.Join(dir, tr.ID()+".html")
	if len(written) != 1 || written[0] != want {
		t.Fatalf("Written() = %q, want [%q]", written, want)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, s := range []string{
		"<title>Support run · trace</title>",
		"thread-7",
		`class="kind">agent</span><span class="name">Triage agent</span>`,
		`class="kind">generation</span><span class="name">gpt-4.1-mini</span>`,
		"30 in / 24 out tokens",
		`class="kind">function</span><span class="name">lookup_order</span>`,
		"⚠ billing service timed out",
		"Where is order A1?",               // the generation's input
		"Let me look that up.",             // and output
		"&#34;order_id&#34;: &#34;A1&#34;", // the tool's arguments, indented
		"not json",                         // arguments that are not JSON, as they are
		"&#34;shipped&#34;: true",          // a tool's output as JSON
		"tools: lookup_order",
		`<b id="error-count">1</b>`,
		`<b id="span-count">4</b>`,
		"tokens <b>30 in / 24 out</b>",
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(page, "<script>alert(1)") {
		t.Error("a span name was written into the page as markup")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the HTML span name is missing, escaped")
	}
	for _, s := range []string{"http://", "https://", "<link", "src="} {
		if strings.Contains(page, s) {
			t.Errorf("page refers to something outside itself: %q", s)
		}
	}
	if strings.Contains(page, "not ended") && strings.Contains(page, `class="badge"`) {
		t.Error("an ended trace is marked not ended")
	}
}

// With sensitive data off, the provider drops inputs and outputs, and the
// page shows none of them, while the structure and usage stay.
func TestPageWithoutSensitiveData(t *testing.T) {
	exp, err := htmlexport.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	record(t, exp, tracing.WithSensitiveData(false))
	b, err := os.ReadFile(exp.Written()[0])
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, s := range []string{"Where is order A1?", "Let me look that up.", "order_id", "shipped"} {
		if strings.Contains(page, s) {
			t.Errorf("page holds %q with sensitive data off", s)
		}
	}
	if !strings.Contains(page, "30 in / 24 out tokens") || !strings.Contains(page, "lookup_order") {
		t.Error("page lost the structure or usage with sensitive data off")
	}
}

// A trace still open at Shutdown is written then, marked not ended, with
// the spans that ended.
func TestShutdownWritesOpenTraces(t *testing.T) {
	exp, err := htmlexport.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(processors.NewSync(exp)))
	ctx, tr := tp.Trace(context.Background(), "interrupted")
	_, s := tracing.StartSpan(ctx, &spans.Custom{Name: "step", Data: map[string]any{"n": 1}})
	s.End()
	if got := exp.Written(); len(got) != 0 {
		t.Fatalf("written before the trace ended: %q", got)
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := exp.Written()
	if len(got) != 1 || filepath.Base(got[0]) != tr.ID()+".html" {
		t.Fatalf("Written() after Shutdown = %q", got)
	}
	b, err := os.ReadFile(got[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<span class="badge">not ended</span>`, `class="name">step</span>`, "&#34;n&#34;: 1"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestNewAndNil(t *testing.T) {
	if _, err := htmlexport.New(""); err == nil {
		t.Error("New(\"\") succeeded")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := htmlexport.New(filepath.Join(file, "sub")); err == nil {
		t.Error("New under a regular file succeeded")
	}
	var exp *htmlexport.Exporter
	if err := exp.Export(context.Background(), []processors.Item{{}}); err != nil {
		t.Error(err)
	}
	if err := exp.Shutdown(context.Background()); err != nil || exp.Written() != nil {
		t.Error("nil exporter not a no-op")
	}
}

// A page that cannot be written is an error of Export, which the batcher
// counts; the exporter goes on with the next trace.
func TestUnwritablePageIsAnError(t *testing.T) {
	dir := t.TempDir()
	exp, err := htmlexport.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithIDGenerator(&tracingtest.SequentialIDs{}))
	_, tr := tp.Trace(context.Background(), "blocked")
	tr.End()
	if err := os.Mkdir(filepath.Join(dir, tr.ID()+".html"), 0o755); err != nil { // a directory where the page goes
		t.Fatal(err)
	}
	err = exp.Export(context.Background(), []processors.Item{processors.TraceItem(processors.TraceStarted, tr), processors.TraceItem(processors.TraceEnded, tr)})
	if err == nil || !strings.Contains(err.Error(), "htmlexport") {
		t.Fatalf("Export into a blocked path = %v", err)
	}
	if len(exp.Written()) != 0 {
		t.Errorf("Written() = %q", exp.Written())
	}
}
