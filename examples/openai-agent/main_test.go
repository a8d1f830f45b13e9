package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/internal/otlptest"
	"github.com/agenttrace/agenttrace-go/processors"
)

// clearEnv unsets every variable the example reads, so the tests run the
// same on a machine with real keys and endpoints.
func clearEnv(t *testing.T) {
	for _, k := range []string{
		"OPENAI_BASE_URL", "OPENAI_API_KEY",
		"COZELOOP_WORKSPACE_ID", "COZELOOP_API_TOKEN", "COZELOOP_API_BASE_URL",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_SERVICE_NAME",
		"OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
		"OPENAI_AGENTS_DISABLE_TRACING", "OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA",
	} {
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)  // unset, not empty: an empty sensitive-data variable excludes content
	}
}

func runExample(t *testing.T) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(t.Context(), &out, processors.WithoutTimings(), processors.WithoutIDs()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// Offline, the tree shows the agent, both model calls (recorded by the
// middleware) and both tools, one failed; then what was recorded of each
// model call: messages, tools offered, tool calls, usage.
func TestOfflineRun(t *testing.T) {
	clearEnv(t)
	want := `trace "Order support"
└─ agent "Support agent"
   ├─ generation model=gpt-4.1-mini tokens=49 in/24 out
   ├─ function "lookup_order"
   ├─ function "refund_status" ERROR: billing service timed out
   └─ generation model=gpt-4.1-mini tokens=70 in/23 out

model call 1: gpt-4.1-mini (openai), attempts 1
  tools offered: lookup_order, refund_status
  in   system     You are a support agent for an online shop. Use the tools to answer questions about ...
  in   user       Where is my order A1, and has my refund for it gone through?
  out  assistant  calls lookup_order({"order_id":"A1"}), refund_status({"order_id":"A1"})
  usage: 49 tokens in (9 cached), 24 out; finish reason tool_calls

model call 2: gpt-4.1-mini (openai), attempts 1, streamed
  tools offered: lookup_order, refund_status
  in   system     You are a support agent for an online shop. Use the tools to answer questions about ...
  in   user       Where is my order A1, and has my refund for it gone through?
  in   assistant  calls lookup_order({"order_id":"A1"}), refund_status({"order_id":"A1"})
  in   tool       (call_lookup_1) {"delivered_at":"2026-11-28","order_id":"A1","status":"delivered"}
  in   tool       (call_refund_1) error: billing service timed out
  out  assistant  Order A1 was delivered on 2026-11-28. I could not check the refund (billing service ...
  usage: 70 tokens in (14 cached), 23 out; finish reason stop

Support agent: Order A1 was delivered on 2026-11-28. I could not check the refund (billing service timed out); please ask again in a few minutes.
`
	if diff := cmp.Diff(want, runExample(t)); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

// otlpSpan is one exported span, reduced to its name and attributes.
type otlpSpan struct {
	name   string
	attrs  map[string]string
	errors int // exception events
}

// collector is an OTLP/HTTP server decoding the protobuf it receives.
type collector struct {
	mu      sync.Mutex
	headers []http.Header
	spans   []otlpSpan
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := otlptest.ReadRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.headers = append(c.headers, r.Header.Clone())
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				s := otlpSpan{name: sp.GetName(), attrs: map[string]string{}}
				for _, kv := range sp.GetAttributes() {
					s.attrs[kv.GetKey()] = kv.GetValue().GetStringValue()
				}
				for _, ev := range sp.GetEvents() {
					if ev.GetName() == "exception" {
						s.errors++
					}
				}
				c.spans = append(c.spans, s)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"code":0,"msg":"success"}`)
}

// byName returns the exported spans named name.
func (c *collector) byName(name string) []otlpSpan {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []otlpSpan
	for _, s := range c.spans {
		if s.name == name {
			out = append(out, s)
		}
	}
	return out
}

// With Coze Loop's SDK variables, or the OTLP form of its OpenTelemetry
// guide, the trace goes there too: both model calls as model spans with
// their messages and tools, both tools, the failure.
func TestExportsToCozeLoop(t *testing.T) {
	for name, env := range map[string]func(url string) map[string]string{
		"cozeloop": func(url string) map[string]string {
			return map[string]string{"COZELOOP_API_BASE_URL": url, "COZELOOP_WORKSPACE_ID": "7300000000000000001", "COZELOOP_API_TOKEN": "pat_test"}
		},
		"otlp": func(url string) map[string]string {
			return map[string]string{
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": url + "/v1/loop/opentelemetry/v1/traces",
				"OTEL_EXPORTER_OTLP_HEADERS":         "cozeloop-workspace-id=7300000000000000001,Authorization=Bearer pat_test",
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			c := &collector{}
			srv := httptest.NewServer(c)
			defer srv.Close()
			for k, v := range env(srv.URL) {
				t.Setenv(k, v)
			}
			if got := runExample(t); !strings.HasSuffix(got, "\ntrace exported\n") {
				t.Errorf("the output does not report the export:\n%s", got)
			}
			gens := c.byName("chat gpt-4.1-mini")
			if len(gens) != 2 {
				t.Fatalf("%d model spans exported, want 2", len(gens))
			}
			for _, g := range gens {
				if g.attrs["cozeloop.span_type"] != "model" || g.attrs["gen_ai.request.model"] != "gpt-4.1-mini" {
					t.Errorf("model span attributes %v", g.attrs)
				}
				if !strings.Contains(g.attrs["cozeloop.input"], "Where is my order A1") {
					t.Errorf("model span input %q lacks the question", g.attrs["cozeloop.input"])
				}
			}
			if !strings.Contains(gens[0].attrs["cozeloop.output"], "refund_status") {
				t.Errorf("the first call's output %q lacks its tool calls", gens[0].attrs["cozeloop.output"])
			}
			if !strings.Contains(gens[1].attrs["cozeloop.output"], "delivered on 2026-11-28") {
				t.Errorf("the streamed answer %q is not exported", gens[1].attrs["cozeloop.output"])
			}
			if f := c.byName("execute_tool refund_status"); len(f) != 1 || f[0].errors != 1 {
				t.Errorf("refund_status spans %+v, want one with its error", f)
			}
			if f := c.byName("execute_tool lookup_order"); len(f) != 1 || !strings.Contains(f[0].attrs["cozeloop.output"], "delivered") {
				t.Errorf("lookup_order spans %+v, want one with its result", f)
			}
			for _, h := range c.headers {
				if h.Get("Cozeloop-Workspace-Id") != "7300000000000000001" || h.Get("Authorization") != "Bearer pat_test" {
					t.Errorf("headers %v", h)
				}
			}
		})
	}
}

// With sensitive data off, neither the console nor the backend gets a
// message.
func TestSensitiveDataOff(t *testing.T) {
	clearEnv(t)
	c := &collector{}
	srv := httptest.NewServer(c)
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", srv.URL+"/v1/traces")
	t.Setenv("OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA", "false")
	got := runExample(t)
	if !strings.Contains(got, "(messages not recorded: sensitive data is off)") {
		t.Errorf("the transcript shows messages:\n%s", got)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.spans) == 0 {
		t.Fatal("nothing exported")
	}
	for _, s := range c.spans {
		for k, v := range s.attrs {
			for _, content := range []string{"Where is my order", "delivered", "billing service timed out\"", "online shop"} {
				if strings.Contains(v, content) {
					t.Errorf("%s: %s holds content %q", s.name, k, content)
				}
			}
		}
	}
}
