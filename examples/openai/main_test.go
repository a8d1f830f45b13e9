package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRunsOffline(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, env(nil)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"not set", `trace "Customer service"`, `handoff "Triage agent -> Billing agent"`, "answer: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "OpenAI traces") {
		t.Errorf("reported an export without a key")
	}
}

// TestExports points the example at a local ingest server and checks what
// arrived.
func TestExports(t *testing.T) {
	for _, k := range []string{"OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"} {
		t.Setenv(k, "")
	}
	var mu sync.Mutex
	var auth []string
	var items []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body struct{ Data []map[string]any }
		if err := json.Unmarshal(b, &body); err != nil {
			t.Errorf("body: %v", err)
		}
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		items = append(items, body.Data...)
		mu.Unlock()
	}))
	defer srv.Close()

	var out bytes.Buffer
	err := run(context.Background(), &out, env(map[string]string{
		"OPENAI_API_KEY":         "sk-example",
		"OPENAI_TRACES_ENDPOINT": srv.URL + "/v1/traces/ingest",
	}))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) == 0 || auth[0] != "Bearer sk-example" || len(items) != 10 {
		t.Fatalf("requests with Authorization %v, %d items (want the trace start and 9 spans)", auth, len(items))
	}
	types := map[string]int{}
	for _, it := range items {
		switch it["object"] {
		case "trace":
			types["trace"]++
			if it["workflow_name"] != "Customer service" {
				t.Errorf("trace %v", it)
			}
		case "trace.span":
			types[it["span_data"].(map[string]any)["type"].(string)]++
		}
	}
	want := map[string]int{"trace": 1, "agent": 2, "guardrail": 1, "generation": 3, "function": 2, "handoff": 1}
	for k, n := range want {
		if types[k] != n {
			t.Errorf("%d %s items, want %d (all: %v)", types[k], k, n, types)
		}
	}
	if !strings.Contains(out.String(), "events exported: 11, dropped: 0") {
		t.Errorf("summary missing:\n%s", out.String())
	}
	if strings.Contains(out.String(), "platform.openai.com") {
		t.Errorf("dashboard link printed for a custom endpoint")
	}
}
