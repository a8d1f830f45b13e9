package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"

	"github.com/agenttrace/agenttrace-go/internal/otlptest"
)

// cozeServer stands in for Coze Loop's OTLP ingest: it checks the path and
// headers, decodes the gzip'd protobuf and answers with Coze's JSON.
type cozeServer struct {
	mu      sync.Mutex
	headers []http.Header
	spans   []exportedSpan
}

type exportedSpan struct {
	name  string
	attrs map[string]*commonpb.AnyValue
}

func (s *exportedSpan) str(k string) string { return s.attrs[k].GetStringValue() }

func (s *cozeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/loop/opentelemetry/v1/traces" {
		http.Error(w, "unexpected "+r.URL.Path, http.StatusNotFound)
		return
	}
	req, err := otlptest.ReadRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.headers = append(s.headers, r.Header.Clone())
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				attrs := map[string]*commonpb.AnyValue{}
				for _, kv := range sp.GetAttributes() {
					attrs[kv.GetKey()] = kv.GetValue()
				}
				s.spans = append(s.spans, exportedSpan{sp.GetName(), attrs})
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"code":0,"msg":"success"}`)
}

// With the two variables of Coze Loop's OpenTelemetry guide, unchanged,
// every span of the conversation reaches Coze Loop with the type, input,
// output, model and tokens its UI shows.
func TestExportsToCozeLoop(t *testing.T) {
	clearEnv(t)
	srv := &cozeServer{}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", hs.URL+"/v1/loop/opentelemetry/v1/traces")
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "cozeloop-workspace-id=7300000000000000001,Authorization=Bearer pat_test_token")

	got, err := runExample(t)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, offlineTree) || !strings.Contains(got, "\ntrace exported\n") {
		t.Errorf("output:\n%s", got)
	}
	if len(srv.headers) == 0 {
		t.Fatal("Coze Loop received nothing")
	}
	for _, h := range srv.headers {
		if h.Get("Cozeloop-Workspace-Id") != "7300000000000000001" || h.Get("Authorization") != "Bearer pat_test_token" {
			t.Errorf("headers workspace %q, authorization %q", h.Get("Cozeloop-Workspace-Id"), h.Get("Authorization"))
		}
	}

	// Every span: its Coze Loop type, and an input and an output, custom
	// spans (a lambda, a tools node) too.
	wantTypes := map[string]string{
		workflowName:                   "agent",
		"invoke_agent assistant":       "agent",
		"invoke_agent user_proxy":      "agent",
		"chat fake-chat-model":         "model",
		"execute_tool search_glossary": "tool",
		"execute_tool execute_code":    "tool",
		"Tools":                        "custom",
		"extract_code":                 "custom",
		"executor":                     "custom",
		"report":                       "custom",
	}
	gotTypes := map[string]string{}
	count := map[string]int{}
	for _, sp := range srv.spans {
		gotTypes[sp.name] = sp.str("cozeloop.span_type")
		count[sp.name]++
		if sp.str("cozeloop.input") == "" || sp.str("cozeloop.output") == "" {
			t.Errorf("%s: input %q, output %q", sp.name, sp.str("cozeloop.input"), sp.str("cozeloop.output"))
		}
	}
	if diff := cmp.Diff(wantTypes, gotTypes); diff != "" {
		t.Errorf("span names and cozeloop.span_type (-want +got):\n%s", diff)
	}
	if count["chat fake-chat-model"] != 3 || count["invoke_agent assistant"] != 2 || len(srv.spans) != 13 {
		t.Errorf("span counts %v, %d in all", count, len(srv.spans))
	}

	// Model spans: the model, the tokens, and the chat shapes Coze Loop renders.
	var inputTokens int64
	for _, sp := range srv.spans {
		switch sp.name {
		case "chat fake-chat-model":
			if sp.str("gen_ai.request.model") != fakeModelName || sp.str("gen_ai.system") != "fake" {
				t.Errorf("model %q, system %q", sp.str("gen_ai.request.model"), sp.str("gen_ai.system"))
			}
			in, out := sp.attrs["gen_ai.usage.input_tokens"].GetIntValue(), sp.attrs["gen_ai.usage.output_tokens"].GetIntValue()
			if in <= 0 || out <= 0 {
				t.Errorf("tokens %d in, %d out", in, out)
			}
			inputTokens += in
			if !strings.HasPrefix(sp.str("cozeloop.input"), `{"messages":[{"role":"system"`) || !strings.Contains(sp.str("cozeloop.input"), `"tools":[{"type":"function","function":{"name":"search_glossary"`) {
				t.Errorf("model input %s", sp.str("cozeloop.input"))
			}
			if !strings.HasPrefix(sp.str("cozeloop.output"), `{"choices":[{"index":0,"finish_reason":`) {
				t.Errorf("model output %s", sp.str("cozeloop.output"))
			}
		case "execute_tool execute_code":
			if sp.str("cozeloop.input") != `{"code":"3 * 256\n"}` || sp.str("cozeloop.output") != "exitcode: 0 (execution succeeded)\nCode output: 768" {
				t.Errorf("code execution: %q -> %q", sp.str("cozeloop.input"), sp.str("cozeloop.output"))
			}
		case workflowName:
			if sp.str("cozeloop.input") != task || !strings.Contains(sp.str("cozeloop.output"), "768 tokens") {
				t.Errorf("trace input %q, output %q", sp.str("cozeloop.input"), sp.str("cozeloop.output"))
			}
		}
	}
	if inputTokens != 88+119+147 {
		t.Errorf("input tokens %d in all", inputTokens)
	}
}
