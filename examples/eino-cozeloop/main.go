// Command eino-cozeloop is the scenario of Coze Loop's AutoGen walkthrough
// built with eino: two agents in conversation, an assistant (a ReAct agent
// that answers with a glossary tool or writes code) and a user proxy (a
// graph that runs the assistant's code and replies) until the task is
// done. Every eino run is traced by the einotrace handler, printed to the
// console, and sent to Coze Loop (or any OTLP/HTTP backend) when its
// variables are set. The tracing setup is two lines:
//
//	tp, err := otlpexport.InstallFromEnv()
//	callbacks.AppendGlobalHandlers(einotrace.NewHandler())
//
// With no variables set it runs offline, with a deterministic fake model:
//
//	go run .   # from examples/eino-cozeloop
//
// Model calls go to any OpenAI-compatible chat-completions endpoint when all
// three of these are set (Volcengine Ark here):
//
//	OPENAI_BASE_URL=https://ark.cn-beijing.volces.com/api/v3
//	OPENAI_API_KEY=...
//	OPENAI_MODEL_NAME=doubao-seed-1-6-250615
//
// Traces go to Coze Loop with the two variables of its OpenTelemetry guide:
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
	"time"

	"github.com/cloudwego/eino-ext/components/model/openai"
	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/components/model"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// shutdownTimeout bounds the final export at exit.
const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// Every eino run of the program is traced, into the default provider.
	callbacks.AppendGlobalHandlers(einotrace.NewHandler())
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "eino-cozeloop:", err)
		stop()
		os.Exit(1)
	}
}

// run sets up tracing, holds the conversation, and prints the trace and
// the answer to out.
func run(ctx context.Context, out io.Writer, consoleOpts ...processors.ConsoleOption) error {
	// One call sets up batched OTLP export from the environment and makes
	// the provider the default; without a destination there, the example
	// still traces, to the console only.
	var opts []otlpexport.Option
	if os.Getenv(otlpexport.EnvServiceName) == "" {
		opts = append(opts, otlpexport.WithServiceName("eino-cozeloop-example"))
	}
	tp, err := otlpexport.InstallFromEnv(opts...)
	exporting := err == nil
	switch {
	case errors.Is(err, otlpexport.ErrNotConfigured):
		tp = tracing.NewProvider()
		tracing.SetDefault(tp)
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
			fmt.Fprintf(out, "\nwarning: the trace was not exported: %v\n", serr)
		} else if exporting {
			fmt.Fprintln(out, "\ntrace exported")
		}
	}()

	m, err := modelFromEnv(ctx)
	if err != nil {
		return err
	}
	assistant, err := newAssistant(ctx, m)
	if err != nil {
		return err
	}
	userProxy, err := newUserProxy(ctx)
	if err != nil {
		return err
	}
	answer, err := converse(ctx, chat{assistant: assistant, userProxy: userProxy})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s: %s\n", assistantName, answer)
	return nil
}

// modelFromEnv returns eino-ext's OpenAI-compatible chat model when
// OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL_NAME are all set, else
// the offline fake model.
func modelFromEnv(ctx context.Context) (model.ToolCallingChatModel, error) {
	base, key, name := os.Getenv("OPENAI_BASE_URL"), os.Getenv("OPENAI_API_KEY"), os.Getenv("OPENAI_MODEL_NAME")
	if base == "" || key == "" || name == "" {
		return &fakeModel{}, nil
	}
	zero := float32(0)
	return openai.NewChatModel(ctx, &openai.ChatModelConfig{
		BaseURL: base, APIKey: key, Model: name, Temperature: &zero, Timeout: time.Minute,
	})
}
