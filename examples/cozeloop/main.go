// Command cozeloop is Coze Loop's AutoGen walkthrough in Go: two agents, a
// user proxy and an assistant, answer "Explain the concept of
// 'Retrieval-Augmented Generation' in 2 sentences." under a custom root span.
// The trace is always printed to the console, and sent to Coze Loop (or any
// OTLP/HTTP backend) when its variables are set.
//
// With no variables set it runs offline, with a deterministic fake model:
//
//	go run ./examples/cozeloop
//
// Model calls go to any OpenAI-compatible chat-completions endpoint when all
// three of these are set:
//
//	OPENAI_BASE_URL=https://api.openai.com/v1   # or Ark, DeepSeek, Ollama, ...
//	OPENAI_API_KEY=sk-...
//	OPENAI_MODEL_NAME=gpt-4.1-mini
//
// Traces go to Coze Loop when its SDK variables are set (the China site by
// default; COZELOOP_API_BASE_URL=https://api.coze.com for the international
// one):
//
//	COZELOOP_WORKSPACE_ID=123...
//	COZELOOP_API_TOKEN=pat_...
//
// or, as Coze Loop's OpenTelemetry guide writes it, to any OTLP/HTTP endpoint:
//
//	OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://api.coze.cn/v1/loop/opentelemetry/v1/traces
//	OTEL_EXPORTER_OTLP_HEADERS=cozeloop-workspace-id=123...,Authorization=Bearer pat_...
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// shutdownTimeout bounds the final export at exit.
const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cozeloop:", err)
		stop()
		os.Exit(1)
	}
}

// run records the two-agent chat, printing the trace and answer to out.
func run(ctx context.Context, out io.Writer, consoleOpts ...processors.ConsoleOption) error {
	model := modelFromEnv()

	// One call sets up batched OTLP export from the environment; without a
	// destination there, the example still traces, to the console only.
	var opts []otlpexport.Option
	if os.Getenv(otlpexport.EnvServiceName) == "" {
		opts = append(opts, otlpexport.WithServiceName("cozeloop-example"))
	}
	tp, err := otlpexport.InstallFromEnv(opts...)
	exporting := err == nil
	switch {
	case errors.Is(err, otlpexport.ErrNotConfigured):
		tp = tracing.NewProvider()
	case err != nil:
		return err
	}
	tp.AddTraceProcessor(processors.NewSync(processors.NewConsole(out, consoleOpts...)))
	// Go has no exit hook: flush before returning, or queued spans are lost.
	// A failed export is reported; tracing never fails the program.
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		if serr := tp.Shutdown(sctx); serr != nil {
			fmt.Fprintf(out, "\nwarning: the trace was not sent to %s: %v\n", destination(), serr)
		} else if exporting {
			fmt.Fprintf(out, "\ntrace sent to %s\n", destination())
		}
	}()

	ctx, tr := tp.StartTrace(ctx, workflowName, tracing.WithMetadata(map[string]any{
		"model_name": model.Name(),
		"scenario":   "autogen-two-agent",
	}))
	answer, err := converse(ctx, model)
	tr.End()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s: %s\n", assistantName, answer)
	return nil
}

// modelFromEnv returns the OpenAI-compatible client when OPENAI_BASE_URL,
// OPENAI_API_KEY and OPENAI_MODEL_NAME are all set, else the fake model.
func modelFromEnv() chatModel {
	base, key, name := os.Getenv("OPENAI_BASE_URL"), os.Getenv("OPENAI_API_KEY"), os.Getenv("OPENAI_MODEL_NAME")
	if base == "" || key == "" || name == "" {
		return fakeModel{}
	}
	return newOpenAIChat(base, key, name)
}

// destination names where InstallFromEnv sends traces, for messages; it
// never includes credentials.
func destination() string {
	if strings.TrimSpace(os.Getenv(otlpexport.EnvTracesEndpoint)+os.Getenv(otlpexport.EnvEndpoint)) != "" {
		return "the OTLP endpoint"
	}
	return "Coze Loop"
}
