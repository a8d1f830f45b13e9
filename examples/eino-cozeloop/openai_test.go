package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cloudwego/eino/schema"
)

// chatServer is an OpenAI-compatible chat-completions endpoint that answers
// as the offline model would, from the decoded request.
type chatServer struct {
	mu       sync.Mutex
	auth     []string
	models   []string
	toolSeen bool
}

func (s *chatServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role       string `json:"role"`
			Content    string `json:"content"`
			ToolCallID string `json:"tool_call_id"`
		} `json:"messages"`
		Tools []struct {
			Function struct {
				Name string `json:"name"`
			} `json:"function"`
		} `json:"tools"`
	}
	if r.URL.Path != "/api/v3/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) == 0 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	s.models = append(s.models, req.Model)
	s.toolSeen = s.toolSeen || len(req.Tools) == 1 && req.Tools[0].Function.Name == "search_glossary"
	s.mu.Unlock()
	in := make([]*schema.Message, len(req.Messages))
	for i, m := range req.Messages {
		in[i] = &schema.Message{Role: schema.RoleType(m.Role), Content: m.Content, ToolCallID: m.ToolCallID}
	}
	reply := (&fakeModel{}).reply(in)
	msg := map[string]any{"role": "assistant", "content": reply.Content}
	finish := "stop"
	if len(reply.ToolCalls) > 0 {
		msg["tool_calls"] = reply.ToolCalls
		finish = "tool_calls"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1763780000, "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
		"usage":   map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
	})
}

// With the three OPENAI_* variables set, the assistant calls the endpoint
// through eino-ext's OpenAI model, and the trace shows the model's name
// and the usage the endpoint reported.
func TestOpenAICompatibleEndpoint(t *testing.T) {
	clearEnv(t)
	srv := &chatServer{}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	t.Setenv("OPENAI_BASE_URL", hs.URL+"/api/v3")
	t.Setenv("OPENAI_API_KEY", "ark-test-key")
	t.Setenv("OPENAI_MODEL_NAME", "doubao-test")

	got, err := runExample(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(srv.models) != 3 || !srv.toolSeen {
		t.Fatalf("%d requests (models %v), glossary tool offered: %v", len(srv.models), srv.models, srv.toolSeen)
	}
	for i := range srv.models {
		if srv.models[i] != "doubao-test" || srv.auth[i] != "Bearer ark-test-key" {
			t.Errorf("request %d: model %q, Authorization %q", i, srv.models[i], srv.auth[i])
		}
	}
	if n := strings.Count(got, "generation model=doubao-test tokens=100 in/20 out"); n != 3 {
		t.Errorf("%d generations with the model and usage:\n%s", n, got)
	}
	if !strings.Contains(got, `function "execute_code"`) || !strings.HasSuffix(got, "assistant: "+fakeAnswer+"\n") {
		t.Errorf("output:\n%s", got)
	}
	if strings.Contains(got, "ark-test-key") {
		t.Error("the API key leaked into the output")
	}
}
