package openaitrace_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/agenttrace/agenttrace-go/instrumentation/openaitrace"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The middleware records every model call made with a traced context.
func ExampleMiddleware() {
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4.1-mini",
		  "choices":[{"index":0,"message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}],
		  "usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}`)
	}))
	defer model.Close()

	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(
		processors.NewSync(processors.NewConsole(os.Stdout, processors.WithoutTimings(), processors.WithoutIDs()))))
	defer tp.Shutdown(context.Background())

	client := openai.NewClient(
		option.WithBaseURL(model.URL+"/v1/"), // or OPENAI_BASE_URL
		option.WithAPIKey("sk-example"),
		option.WithMiddleware(openaitrace.Middleware()),
	)
	ctx, tr := tp.StartTrace(context.Background(), "Geography")
	completion, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    "gpt-4.1-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Capital of France?")},
	})
	tr.End()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(completion.Choices[0].Message.Content)
	// Output:
	// trace "Geography"
	// └─ generation model=gpt-4.1-mini tokens=12 in/2 out
	// Paris.
}
