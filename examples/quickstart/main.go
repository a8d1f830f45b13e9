// Command quickstart records a simulated customer-service run (a triage agent
// with a guardrail, model calls, two tool calls of which one fails, and a
// handoff to a billing agent) and prints the trace as a tree. It needs no
// network and no keys:
//
//	go run ./examples/quickstart
//
// When an OTLP destination is configured in the environment it also exports
// the trace there, for example to Coze Loop:
//
//	COZELOOP_WORKSPACE_ID=123... COZELOOP_API_TOKEN=pat_... go run ./examples/quickstart
//	OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 go run ./examples/quickstart
//
// With -html it also writes the trace as a self-contained HTML page (a
// waterfall of the spans, each opening to its input and output) and prints
// the page's path, to open in a browser:
//
//	go run ./examples/quickstart -html traces
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/demo"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/htmlexport"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/tracing"
)

func main() {
	htmlDir := flag.String("html", "", "also write the trace as an HTML page into `dir`")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, 40*time.Millisecond, *htmlDir); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run records the demo with model calls taking latency each, prints the
// trace to out, writes it as an HTML page into htmlDir unless that is empty,
// and exports it when the environment names a destination.
func run(ctx context.Context, out io.Writer, latency time.Duration, htmlDir string, opts ...processors.ConsoleOption) error {
	// The console in any case, an HTML page when asked for, and batched OTLP
	// export when configured.
	local := []tracing.Option{tracing.WithProcessor(processors.NewSync(processors.NewConsole(out, opts...)))}
	var pages *htmlexport.Exporter
	if htmlDir != "" {
		var err error
		if pages, err = htmlexport.New(htmlDir); err != nil {
			return err
		}
		local = append(local, tracing.WithProcessor(processors.NewSync(pages)))
	}
	tp, err := otlpexport.InstallFromEnv(
		otlpexport.WithServiceName("agenttrace-quickstart"),
		otlpexport.WithProviderOptions(local...),
	)
	exporting := err == nil
	switch {
	case errors.Is(err, otlpexport.ErrNotConfigured): // nothing installed: a provider of our own
		tp = tracing.NewProvider(local...)
	case err != nil:
		return err
	}
	// Go has no exit hook: flush before returning, or queued spans are lost.
	// A failed export is reported; it never fails the program.
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "quickstart: warning: traces not exported:", err)
		}
	}()

	_, answer, err := demo.Run(ctx, tp, demo.Options{
		GroupID: tracing.NewGroupID(),
		Model:   demo.FakeModel{Latency: latency},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nanswer: %s\n", answer)
	for _, path := range pages.Written() {
		fmt.Fprintf(out, "trace page: %s\n", path)
	}
	if exporting {
		fmt.Fprintln(out, "exported over OTLP")
	}
	return nil
}
