package anthropictrace_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestConcurrentCalls makes calls from several goroutines under one agent
// span: each gets its own span, with its own messages.
func TestConcurrentCalls(t *testing.T) {
	const n = 8
	api := newFakeAPI(t, reply{file: "message_text.json"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := client.Messages.New(ctx, anthropic.MessageNewParams{
					Model: "claude-sonnet-4-5", MaxTokens: 64,
					Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(fmt.Sprint("question ", i)))},
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	})
	tree := rec.OnlyTree(t)
	if got := len(tree.Children[0].Children); got != n {
		t.Fatalf("%d spans under the agent, want %d:\n%s", got, n, tree)
	}
	seen := map[string]bool{}
	for _, s := range generations(rec) {
		gen := generationOf(s)
		seen[gen.Input[0].Content] = true
		if gen.Output[0].Content != "It is 18°C and sunny in Paris." || s.Metadata()["attempts"] != 1 {
			t.Errorf("span %s: output %+v, metadata %v", s.ID(), gen.Output, s.Metadata())
		}
	}
	if len(seen) != n {
		t.Errorf("inputs %v, want %d distinct questions", seen, n)
	}
}
