package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/internal/otlptest"
	"github.com/agenttrace/agenttrace-go/processors"
)

// clearEnv unsets every variable the example reads, so the tests run the
// same on a machine with real keys.
func clearEnv(t *testing.T) {
	for _, k := range []string{
		"OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL_NAME",
		"COZELOOP_WORKSPACE_ID", "COZELOOP_API_TOKEN", "COZELOOP_API_BASE_URL",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_SERVICE_NAME",
		"OPENAI_AGENTS_DISABLE_TRACING", "OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA",
	} {
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)  // unset, not empty: an empty sensitive-data variable excludes content
	}
}

func runExample(t *testing.T) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(t.Context(), &out, processors.WithoutTimings(), processors.WithoutIDs())
	return out.String(), err
}

// With no variables the example runs offline on the fake model and prints
// the two-agent tree under the custom root span, then the answer.
func TestOfflineRun(t *testing.T) {
	clearEnv(t)
	got, err := runExample(t)
	if err != nil {
		t.Fatal(err)
	}
	want := `trace "Two-agent chat"
└─ custom "autogen_root_span"
   ├─ agent "user_proxy"
   │  └─ handoff "user_proxy -> assistant"
   └─ agent "assistant"
      └─ generation model=fake-chat-model tokens=26 in/63 out

assistant: ` + fakeAnswer + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("output (-want +got):\n%s", diff)
	}
}

// chatServer is an OpenAI-compatible endpoint that records the decoded
// requests and answers with reply and status.
type chatServer struct {
	status int
	reply  string

	mu       sync.Mutex
	requests []recordedChat
}

type recordedChat struct {
	Method, Path, Auth, ContentType string
	Body                            struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
		Temperature *float64 `json:"temperature"`
	}
}

func (s *chatServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := recordedChat{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type")}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec.Body); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(s.status)
	io.WriteString(w, s.reply)
}

const chatReply = `{
  "id": "chatcmpl-Bx1",
  "object": "chat.completion",
  "created": 1763780000,
  "model": "test-model-2025",
  "choices": [{
    "index": 0,
    "message": {"role": "assistant", "content": "RAG retrieves relevant documents and feeds them to a generator. The generator answers grounded in them.", "refusal": null},
    "logprobs": null,
    "finish_reason": "stop"
  }],
  "usage": {"prompt_tokens": 41, "completion_tokens": 19, "total_tokens": 60}
}`

// With the three OPENAI_* variables set, the assistant calls the endpoint
// with a real chat-completions request and records the reply and usage.
func TestOpenAICompatibleEndpoint(t *testing.T) {
	clearEnv(t)
	srv := &chatServer{status: http.StatusOK, reply: chatReply}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv("OPENAI_BASE_URL", hs.URL+"/v1/")
	t.Setenv("OPENAI_API_KEY", "sk-test-key")
	t.Setenv("OPENAI_MODEL_NAME", "test-model")

	got, err := runExample(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(srv.requests) != 1 {
		t.Fatalf("%d requests, want 1", len(srv.requests))
	}
	req := srv.requests[0]
	if req.Method != http.MethodPost || req.Path != "/v1/chat/completions" || req.Auth != "Bearer sk-test-key" || req.ContentType != "application/json" {
		t.Errorf("request %s %s, Authorization %q, Content-Type %q", req.Method, req.Path, req.Auth, req.ContentType)
	}
	if req.Body.Model != "test-model" || req.Body.Temperature == nil || *req.Body.Temperature != 0 {
		t.Errorf("request body model %q temperature %v", req.Body.Model, req.Body.Temperature)
	}
	roles := make([]string, len(req.Body.Messages))
	for i, m := range req.Body.Messages {
		roles[i] = m.Role
	}
	if !slices.Equal(roles, []string{"system", "user"}) || req.Body.Messages[1].Content != question {
		t.Errorf("request messages = %+v; want the system prompt and the question", req.Body.Messages)
	}
	for _, want := range []string{
		"generation model=test-model tokens=41 in/19 out",
		"assistant: RAG retrieves relevant documents and feeds them to a generator. The generator answers grounded in them.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// A refused request fails the run, marks the generation and the assistant
// failed in the trace, and never repeats the API key.
func TestOpenAICompatibleEndpointError(t *testing.T) {
	clearEnv(t)
	srv := &chatServer{status: http.StatusUnauthorized, reply: `{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}`}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv("OPENAI_BASE_URL", hs.URL+"/v1")
	t.Setenv("OPENAI_API_KEY", "sk-secret-key")
	t.Setenv("OPENAI_MODEL_NAME", "test-model")

	got, err := runExample(t)
	if err == nil || !strings.Contains(err.Error(), "401 Unauthorized") || !strings.Contains(err.Error(), "Incorrect API key provided") {
		t.Fatalf("run error = %v; want the 401 and the server's message", err)
	}
	if strings.Contains(err.Error(), "sk-secret-key") || strings.Contains(got, "sk-secret-key") {
		t.Fatalf("the API key leaked: %v\n%s", err, got)
	}
	for _, want := range []string{`agent "assistant" ERROR: chat completions: 401`, "generation model=test-model ERROR: chat completions: 401"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// cozeServer stands in for Coze Loop's OTLP ingest: it checks the path and
// headers, decodes the gzip'd protobuf and answers with Coze's JSON.
type cozeServer struct {
	reply string

	mu      sync.Mutex
	headers []http.Header
	spans   map[string]map[string]string // span name -> string attributes
}

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
				attrs := map[string]string{}
				for _, kv := range sp.GetAttributes() {
					attrs[kv.GetKey()] = kv.GetValue().GetStringValue()
				}
				s.spans[sp.GetName()] = attrs
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, s.reply)
}

// With COZELOOP_* set, or the OTEL_* form of Coze Loop's OpenTelemetry
// guide, the trace also goes to Coze Loop, with the workspace and token
// headers, every span typed for Coze Loop.
func TestExportsToCozeLoop(t *testing.T) {
	for name, env := range map[string]func(url string) map[string]string{
		"cozeloop": func(url string) map[string]string {
			return map[string]string{
				"COZELOOP_API_BASE_URL": url,
				"COZELOOP_WORKSPACE_ID": "7300000000000000001",
				"COZELOOP_API_TOKEN":    "pat_test_token",
			}
		},
		"otel": func(url string) map[string]string {
			return map[string]string{
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": url + "/v1/loop/opentelemetry/v1/traces",
				"OTEL_EXPORTER_OTLP_HEADERS":         "cozeloop-workspace-id=7300000000000000001,Authorization=Bearer pat_test_token",
			}
		},
	} {
		t.Run(name, func(t *testing.T) { testExportsToCozeLoop(t, env) })
	}
}

func testExportsToCozeLoop(t *testing.T, env func(url string) map[string]string) {
	clearEnv(t)
	srv := &cozeServer{reply: `{"code":0,"msg":"success"}`, spans: map[string]map[string]string{}}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for k, v := range env(hs.URL) {
		t.Setenv(k, v)
	}

	got, err := runExample(t)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "\ntrace sent to ") {
		t.Errorf("output does not report the export:\n%s", got)
	}
	if len(srv.headers) == 0 {
		t.Fatal("Coze Loop received nothing")
	}
	for _, h := range srv.headers {
		if h.Get("Cozeloop-Workspace-Id") != "7300000000000000001" || h.Get("Authorization") != "Bearer pat_test_token" {
			t.Errorf("headers workspace %q, authorization %q", h.Get("Cozeloop-Workspace-Id"), h.Get("Authorization"))
		}
	}
	wantTypes := map[string]string{
		workflowName:                  "agent",
		rootSpanName:                  "custom",
		"invoke_agent user_proxy":     "agent",
		"invoke_agent assistant":      "agent",
		"chat fake-chat-model":        "model",
		"handoff to " + assistantName: "",
	}
	gotTypes := map[string]string{}
	for name, attrs := range srv.spans {
		gotTypes[name] = attrs["cozeloop.span_type"]
	}
	// The handoff's Coze type is the exporter's choice; only its presence matters.
	if _, ok := gotTypes["handoff to "+assistantName]; ok {
		gotTypes["handoff to "+assistantName] = ""
	}
	if diff := cmp.Diff(wantTypes, gotTypes); diff != "" {
		t.Errorf("span names and cozeloop.span_type (-want +got):\n%s", diff)
	}
	gen := srv.spans["chat fake-chat-model"]
	if !strings.Contains(gen["cozeloop.input"], "Retrieval-Augmented Generation") || !strings.Contains(gen["cozeloop.output"], "retriever") {
		t.Errorf("generation input/output not exported: %v", gen)
	}
}

// A Coze Loop error reply (HTTP 200 with a non-zero code) is reported with
// the server's message, without the token, and does not fail the run.
func TestCozeLoopErrorReply(t *testing.T) {
	clearEnv(t)
	srv := &cozeServer{reply: `{"code":600904002,"msg":"invalid workspace_id"}`, spans: map[string]map[string]string{}}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv("COZELOOP_API_BASE_URL", hs.URL)
	t.Setenv("COZELOOP_WORKSPACE_ID", "1")
	t.Setenv("COZELOOP_API_TOKEN", "pat_secret_token")

	got, err := runExample(t)
	if err != nil {
		t.Fatalf("a failed export failed the run: %v", err)
	}
	if strings.Contains(got, "pat_secret_token") {
		t.Fatalf("the token leaked:\n%s", got)
	}
	if !strings.Contains(got, "warning: the trace was not sent to Coze Loop: ") || !strings.Contains(got, "600904002") ||
		strings.Contains(got, "trace sent") {
		t.Errorf("the failed export is not reported with Coze Loop's code:\n%s", got)
	}
	if !strings.Contains(got, assistantName+": ") {
		t.Errorf("the answer is missing:\n%s", got)
	}
}
