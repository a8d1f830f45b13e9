package processors_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// A Batcher in front of an exporter, with the deferred Shutdown that exports
// what is still queued when main returns.
func ExampleNewBatcher() {
	exp := processors.NewConsole(os.Stdout, processors.WithoutTimings(), processors.WithoutIDs())
	tp := tracing.NewProvider(
		tracing.WithDisabled(false),
		tracing.WithProcessor(processors.NewBatcher(exp)),
	)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = tp.Shutdown(ctx)
	}()

	ctx, tr := tp.StartTrace(context.Background(), "Customer service")
	_, span := tracing.StartSpan(ctx, &spans.Agent{Name: "Triage"})
	span.End()
	tr.End()
	// Nothing is printed yet: the trace waits in the queue for the schedule
	// delay or, here, for the deferred Shutdown.

	// Output:
	// trace "Customer service"
	// └─ agent "Triage"
}

// Stats accounts for every item: exported, dropped by reason, or pending.
func ExampleBatcher_Stats() {
	b := processors.NewBatcher(processors.NewConsole(os.Stdout, processors.WithoutTimings(), processors.WithoutIDs()))
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(b))

	ctx, tr := tp.StartTrace(context.Background(), "Customer service")
	_, span := tracing.StartSpan(ctx, &spans.Agent{Name: "Triage"})
	span.End()
	tr.End()

	if err := tp.Shutdown(context.Background()); err != nil {
		fmt.Println("shutdown:", err)
	}
	b.OnSpanEnd(span) // too late: counted, not lost silently
	s := b.Stats()
	fmt.Printf("received %d, exported %d, dropped %v, pending %d\n", s.Received, s.Exported, s.Dropped, s.Pending)
	// Output:
	// trace "Customer service"
	// └─ agent "Triage"
	// received 4, exported 3, dropped map[after_shutdown:1], pending 0
}

// A program that may be stopped by Ctrl-C or a container stop installs the
// signal helper next to its deferred Shutdown.
func ExampleShutdownOnSignal() {
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(processors.NewConsole(os.Stderr))))
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = tp.Shutdown(ctx)
	}()
	// On SIGINT or SIGTERM: export within 5 s, then let the signal take
	// its usual course.
	stop := processors.ShutdownOnSignal(tp, 5*time.Second)
	defer stop()

	// ... the program's work ...
}
