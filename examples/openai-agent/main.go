// Command openai-agent is a two-step support agent on openai-go, traced by
// the openaitrace middleware: the model asks for two tools, the tools run
// (one fails), the model answers from their results in a stream. The model
// calls are recorded by the middleware alone; the program records only its
// agent span and its tools (tracing.FunctionSpan).
//
// The model is a fake chat-completions server started on 127.0.0.1, which
// speaks the API's wire format, so the example runs offline with no key:
//
//	cd examples/openai-agent && go run .
//
// The trace is printed as a tree, followed by what the middleware recorded
// of each model call. It is also sent to Coze Loop when Coze Loop's SDK
// variables are set:
//
//	COZELOOP_WORKSPACE_ID=7xxxxxxxxxxxxxxxxxx COZELOOP_API_TOKEN=pat_... go run .
//
// or to any OTLP/HTTP backend (Coze Loop's OpenTelemetry guide, Jaeger,
// Phoenix, Langfuse, ...):
//
//	OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://api.coze.cn/v1/loop/opentelemetry/v1/traces \
//	OTEL_EXPORTER_OTLP_HEADERS="cozeloop-workspace-id=7xxx,Authorization=Bearer pat_..." go run .
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/agenttrace/agenttrace-go/instrumentation/openaitrace"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/tracing"
)

const (
	model    = "gpt-4.1-mini"
	question = "Where is my order A1, and has my refund for it gone through?"
	// shutdownTimeout bounds the final export at exit.
	shutdownTimeout = 10 * time.Second
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "openai-agent:", err)
		stop()
		os.Exit(1)
	}
}

// run answers the question with the agent, printing the trace, what was
// recorded of the model calls, and the answer to out.
func run(ctx context.Context, out io.Writer, consoleOpts ...processors.ConsoleOption) error {
	server := httptest.NewServer(fakeModel{})
	defer server.Close()

	// Export to Coze Loop or an OTLP backend when the environment names one;
	// trace to the console in any case.
	var opts []otlpexport.Option
	if os.Getenv(otlpexport.EnvServiceName) == "" {
		opts = append(opts, otlpexport.WithServiceName("openai-agent-example"))
	}
	tp, err := otlpexport.InstallFromEnv(opts...)
	exporting := err == nil
	switch {
	case errors.Is(err, otlpexport.ErrNotConfigured):
		tp = tracing.NewProvider()
	case err != nil:
		return err
	}
	calls := &transcript{}
	tp.AddTraceProcessor(processors.NewSync(processors.NewConsole(out, consoleOpts...)))
	tp.AddTraceProcessor(calls)
	defer func() { // Go has no exit hook: flush before returning
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		if serr := tp.Shutdown(sctx); serr != nil {
			fmt.Fprintf(out, "\nwarning: the trace was not exported: %v\n", serr) // tracing never fails the run
		} else if exporting {
			fmt.Fprintln(out, "\ntrace exported")
		}
	}()

	// The one line that traces every model call of the client.
	client := openai.NewClient(
		option.WithBaseURL(server.URL+"/v1/"),
		option.WithAPIKey("sk-fake-key-for-the-local-model"),
		option.WithMiddleware(openaitrace.Middleware()),
	)

	ctx, tr := tp.StartTrace(ctx, "Order support")
	tr.SetInput(question)
	answer, err := runAgent(ctx, &client, model, question)
	tr.SetOutput(answer)
	tr.End()
	if err != nil {
		return err
	}
	calls.print(out)
	fmt.Fprintf(out, "\n%s: %s\n", agentName, answer)
	return nil
}
