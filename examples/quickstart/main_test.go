package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/otlptest"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The quickstart prints every kind it uses, the failing tool's error and the
// final answer.
func TestQuickstartPrintsTheTree(t *testing.T) {
	for _, v := range []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT", "COZELOOP_WORKSPACE_ID", "COZELOOP_API_TOKEN", "OPENAI_AGENTS_DISABLE_TRACING"} {
		t.Setenv(v, "")
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, 0, "", processors.WithoutTimings(), processors.WithoutIDs()); err != nil {
		t.Fatal(err)
	}
	want := `trace "Customer service"
├─ agent "Triage agent"
│  ├─ guardrail "on_topic" triggered=false
│  ├─ generation model=gpt-4.1-mini tokens=30 in/24 out
│  ├─ function "lookup_order"
│  ├─ function "refund_status" ERROR: Error running tool error=refund_status: billing service timed out tool_name=refund_status
│  ├─ generation model=gpt-4.1-mini tokens=48 in/35 out
│  └─ handoff "Triage agent -> Billing agent"
└─ agent "Billing agent"
   └─ generation model=gpt-4.1-mini tokens=83 in/19 out

answer: Your refund for order A1 was approved today; expect it within 5 business days.
`
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// With an OTLP endpoint in the environment, the quickstart also exports the
// trace there: a local server decodes the protobuf it receives.
func TestQuickstartExportsWhenConfigured(t *testing.T) {
	var mu sync.Mutex
	var names []string
	srv := httptest.NewServer(otlptest.Handler(func(_ *http.Request, req *coltracepb.ExportTraceServiceRequest) {
		mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					names = append(names, s.Name)
				}
			}
		}
		mu.Unlock()
	}))
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", srv.URL+"/v1/traces")
	old := tracing.Default()
	t.Cleanup(func() { tracing.SetDefault(old) })

	var out bytes.Buffer
	if err := run(context.Background(), &out, 0, "", processors.WithoutTimings(), processors.WithoutIDs()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "exported over OTLP\n") {
		t.Fatalf("output:\n%s", out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(names)
	want := []string{"Customer service", "chat gpt-4.1-mini", "chat gpt-4.1-mini", "chat gpt-4.1-mini",
		"execute_tool lookup_order", "execute_tool refund_status", "guardrail on_topic",
		"handoff to Billing agent", "invoke_agent Billing agent", "invoke_agent Triage agent"}
	if !slices.Equal(names, want) {
		t.Fatalf("spans received:\n%q\nwant:\n%q", names, want)
	}
}

// With an HTML directory, the quickstart writes the trace's page there and
// prints its path.
func TestQuickstartWritesThePage(t *testing.T) {
	for _, v := range []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT", "COZELOOP_WORKSPACE_ID", "COZELOOP_API_TOKEN", "OPENAI_AGENTS_DISABLE_TRACING"} {
		t.Setenv(v, "")
	}
	dir := filepath.Join(t.TempDir(), "traces")
	var out bytes.Buffer
	if err := run(context.Background(), &out, 0, dir, processors.WithoutTimings()); err != nil {
		t.Fatal(err)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "trace_*.html"))
	if err != nil || len(pages) != 1 {
		t.Fatalf("pages in %s: %q, %v", dir, pages, err)
	}
	if !strings.HasSuffix(out.String(), "trace page: "+pages[0]+"\n") {
		t.Fatalf("output does not end with the page's path:\n%s", out.String())
	}
	b, err := os.ReadFile(pages[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Customer service", "refund_status", "Error running tool", "Billing agent"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
