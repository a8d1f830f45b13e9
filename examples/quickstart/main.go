// Command quickstart records a simulated customer-service run (a triage agent
// with a guardrail, model calls, two tool calls of which one fails, and a
// handoff to a billing agent) and prints the trace as a tree. It needs no
// network and no keys.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/demo"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

func main() {
	if err := run(context.Background(), os.Stdout, 40*time.Millisecond); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run records the demo with model calls taking latency each and prints the
// trace to out.
func run(ctx context.Context, out io.Writer, latency time.Duration, opts ...processors.ConsoleOption) error {
	tp := tracing.NewProvider(
		tracing.WithDisabled(false), // the quickstart always shows its trace
		tracing.WithProcessor(processors.NewSync(processors.NewConsole(out, opts...))),
	)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = tp.Shutdown(ctx)
	}()

	_, answer, err := demo.Run(ctx, tp, demo.Options{
		GroupID: tracing.NewGroupID(),
		Model:   demo.FakeModel{Latency: latency},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nanswer: %s\n", answer)
	return nil
}
