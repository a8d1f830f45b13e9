package anthropictrace_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

func ExampleMiddleware() {
	// A local stand-in for the Messages API.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := os.ReadFile("testdata/message_text.json")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	client := anthropic.NewClient(
		option.WithAPIKey("sk-ant-..."), option.WithBaseURL(srv.URL),
		option.WithMiddleware(anthropictrace.Middleware()),
	)

	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "weather run")
	_, err := client.Messages.New(ctx, anthropic.MessageNewParams{
		Model:     "claude-sonnet-4-5",
		MaxTokens: 256,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Weather in Paris?"))},
	})
	tr.End()
	if err != nil {
		fmt.Println(err)
		return
	}

	span := rec.Spans()[0]
	gen := span.Data().(*spans.Generation)
	fmt.Println(span.Kind(), gen.Model, gen.Provider, gen.FinishReason)
	fmt.Println("in:", gen.Input[0].Role, gen.Input[0].Content)
	fmt.Println("out:", gen.Output[0].Content)
	fmt.Println("tokens:", gen.Usage.InputTokens, gen.Usage.OutputTokens)
	// Output:
	// generation claude-sonnet-4-5-20250929 anthropic end_turn
	// in: user Weather in Paris?
	// out: It is 18°C and sunny in Paris.
	// tokens: 1290 14
}

func ExampleGeneration() {
	params := anthropic.MessageNewParams{
		Model:     "claude-sonnet-4-5",
		MaxTokens: 256,
		System:    []anthropic.TextBlockParam{{Text: "Be brief."}},
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Weather in Paris?"))},
	}
	gen := anthropictrace.Generation(params)
	// ctx, span := tracing.StartSpan(ctx, gen); msg, err := client.Messages.New(ctx, params)
	// anthropictrace.SetMessage(gen, msg); span.SetError(err); span.End()
	for _, m := range gen.Input {
		fmt.Println(m.Role+":", m.Content)
	}
	fmt.Println(gen.Model, gen.ModelConfig["max_tokens"])
	// Output:
	// system: Be brief.
	// user: Weather in Paris?
	// claude-sonnet-4-5 256
}
