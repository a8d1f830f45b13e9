package anthropictrace_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestSensitiveDataOff checks that no message content reaches a span when
// the provider drops sensitive data, while the rest stays.
func TestSensitiveDataOff(t *testing.T) {
	api := newFakeAPI(t,
		reply{file: "message_tool_use.json"},
		reply{file: "stream_tool_use.sse"},
		reply{status: 400, file: "error_invalid_request.json"},
	)
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider(tracing.WithSensitiveData(false))
	inAgent(tp, func(ctx context.Context) {
		if _, err := client.Messages.New(ctx, weatherParams()); err != nil {
			t.Fatal(err)
		}
		stream := client.Messages.NewStreaming(ctx, weatherParams())
		readStream(t, stream, nil)
		_ = stream.Close()
		if _, err := client.Messages.New(ctx, weatherParams()); err == nil {
			t.Fatal("the third call should fail")
		}
	})
	gens := generations(rec)
	if len(gens) != 3 {
		t.Fatalf("%d generation spans, want 3", len(gens))
	}
	for _, s := range gens {
		b, err := json.Marshal(map[string]any{"data": s.Data(), "error": s.Error(), "metadata": s.Metadata()})
		if err != nil {
			t.Fatal(err)
		}
		for _, content := range []string{
			"weather assistant", "Paris", "iVBORw0KGgo", "JVBERi0xLjQ", "tool call", "sunny",
			"San Francisco", "Okay, let's check", "The user",
		} {
			if strings.Contains(string(b), content) {
				t.Errorf("span %s records %q: %s", s.Name(), content, b)
			}
		}
	}
	gen := generationOf(gens[0])
	if gen.Model != "claude-sonnet-4-5-20250929" || gen.Usage.InputTokens != 1233 || gen.FinishReason != "tool_use" ||
		len(gen.Tools) != 1 || gen.ModelConfig["max_tokens"] != int64(1024) {
		t.Errorf("with sensitive data off, the span lost what is not content: %+v", gen)
	}
	if s := generationOf(gens[1]); !s.Stream || s.Usage.OutputTokens != 89 || s.FirstTokenAt.IsZero() {
		t.Errorf("streamed span lost what is not content: %+v", s)
	}
	// A model call's error may quote its input: it is recorded, as a notice.
	if e := gens[2].Error(); e == nil || e.Message != tracing.ModelErrorRedacted || e.Data != nil {
		t.Errorf("error %+v, want the redaction notice", e)
	}
}
