package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// offlineTree is the conversation on the fake model: the assistant looks
// RAG up and writes code, the user proxy runs it, the assistant answers.
const offlineTree = `trace "Two-agent chat"
├─ agent "assistant"
│  ├─ generation model=fake-chat-model tokens=88 in/8 out
│  ├─ custom "Tools"
│  │  └─ function "search_glossary"
│  └─ generation model=fake-chat-model tokens=119 in/50 out
├─ agent "user_proxy"
│  ├─ custom "extract_code"
│  ├─ custom "executor"
│  │  └─ function "execute_code"
│  └─ custom "report"
└─ agent "assistant"
   └─ generation model=fake-chat-model tokens=147 in/54 out
`

// With no variables the example runs offline on the fake model and prints
// the conversation's tree, then the answer.
func TestOfflineRun(t *testing.T) {
	clearEnv(t)
	got, err := runExample(t)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(offlineTree+"\nassistant: "+fakeAnswer+"\n", got); diff != "" {
		t.Fatalf("output (-want +got):\n%s", diff)
	}
}

func TestEvalProgram(t *testing.T) {
	for code, want := range map[string]string{
		"3 * 256":                "768",
		"1 + 2 * 3\n(1 + 2) * 3": "7\n9",
		"# tokens\n-2 + 10 / 4":  "0.5",
	} {
		if got, err := evalProgram(code); err != nil || got != want {
			t.Errorf("evalProgram(%q) = %q, %v; want %q", code, got, err, want)
		}
	}
	for _, code := range []string{"1 / 0", "import os", "2 +", "(1"} {
		if _, err := evalProgram(code); err == nil {
			t.Errorf("evalProgram(%q) succeeded", code)
		}
	}
	if !strings.Contains(autoReply, terminate) {
		t.Error("the auto reply does not tell the assistant how to end")
	}
}
