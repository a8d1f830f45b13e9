// Command openai records a simulated customer-service run (a triage agent
// with a guardrail, model calls, two tool calls of which one fails, and a
// handoff to a billing agent), prints the trace as a tree and, when
// OPENAI_API_KEY is set, exports it to the OpenAI Traces dashboard in the
// format the Python Agents SDK uses. Without the key it runs offline.
//
//	OPENAI_API_KEY=sk-... go run ./examples/openai
//
// OPENAI_ORG_ID and OPENAI_PROJECT_ID are honoured as by the Python SDK;
// OPENAI_BASE_URL, as there, does not move the traces endpoint.
// OPENAI_TRACES_ENDPOINT, specific to this example, sends the traces to
// another URL (a local capture server, say).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/demo"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/openaiexport"
	"github.com/agenttrace/agenttrace-go/tracing"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "openai:", err)
		os.Exit(1)
	}
}

// run records the demo, printing the tree and a summary to out, and exports
// it to OpenAI when getenv gives a key.
func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	opts := []tracing.Option{
		tracing.WithDisabled(false), // the example always records its trace
		tracing.WithProcessor(processors.NewSync(processors.NewConsole(out))),
	}
	var exp *openaiexport.Exporter
	var batcher *processors.Batcher
	if key := getenv("OPENAI_API_KEY"); key != "" {
		eopts := []openaiexport.Option{openaiexport.WithAPIKey(key)}
		if ep := getenv("OPENAI_TRACES_ENDPOINT"); ep != "" {
			eopts = append(eopts, openaiexport.WithEndpoint(ep))
		}
		exp = openaiexport.New(eopts...)
		batcher = processors.NewBatcher(exp)
		opts = append(opts, tracing.WithProcessor(batcher))
	} else {
		fmt.Fprintln(out, "OPENAI_API_KEY is not set: the trace is printed, not exported.")
	}
	tp := tracing.NewProvider(opts...)
	defer func() {
		// Flush before exiting: Go has no atexit hook to do it for us.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		serr := tp.Shutdown(ctx)
		if batcher != nil {
			st := batcher.Stats()
			fmt.Fprintf(out, "\nOpenAI traces (%s): events exported: %d, dropped: %d\n",
				exp.Endpoint(), st.Exported, st.DroppedTotal())
		}
		if serr != nil {
			// Tracing never fails the program: report and carry on.
			fmt.Fprintln(out, "warning: tracing shutdown:", serr)
		}
	}()

	tr, answer, err := demo.Run(ctx, tp, demo.Options{
		GroupID: tracing.NewGroupID(),
		Model:   demo.FakeModel{Latency: 20 * time.Millisecond},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nanswer: %s\n", answer)
	if exp != nil && exp.Endpoint() == openaiexport.DefaultEndpoint {
		fmt.Fprintf(out, "view: https://platform.openai.com/traces/trace?trace_id=%s\n", tr.ID())
	}
	return nil
}
