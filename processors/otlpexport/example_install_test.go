package otlpexport_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// InstallFromEnv in main: export when the environment names a destination,
// run untraced-to-OTLP when it names none, stop when it is unusable.
func ExampleInstallFromEnv() {
	tp, err := otlpexport.InstallFromEnv(otlpexport.WithServiceName("support-bot"))
	switch {
	case errors.Is(err, otlpexport.ErrNotConfigured):
		log.Print("no OTLP destination configured: traces are not exported")
	case err != nil:
		log.Fatal(err) // configured, but unusable
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil { // nil-safe
			log.Print("traces not exported: ", err)
		}
	}()

	ctx, tr := tracing.StartTrace(context.Background(), "Customer service")
	defer tr.End()
	_, span := tracing.StartSpan(ctx, &spans.Function{Name: "lookup_order", Input: `{"order_id":"A1"}`})
	span.End()
}

// NewFromEnv adds OTLP export, when configured, to a provider that prints
// to the console in any case. The console is an exporter: NewSync makes it a
// processor.
func ExampleNewFromEnv() {
	procs := []tracing.Option{tracing.WithProcessor(processors.NewSync(processors.NewConsole(os.Stdout)))}
	exp, err := otlpexport.NewFromEnv()
	switch {
	case err == nil:
		procs = append(procs, tracing.WithProcessor(processors.NewBatcher(exp)))
	case !errors.Is(err, otlpexport.ErrNotConfigured):
		log.Fatal(err) // configured, but unusable
	}
	tp := tracing.NewProvider(procs...)
	defer tp.Shutdown(context.Background())
}

// Provider and Batcher options go through InstallFromEnv; BatcherOf gives
// the Batcher, whose Stats say what was delivered.
func ExampleBatcherOf() {
	srv, _ := cozeLoopStandIn()
	defer srv.Close()
	prev := tracing.Default()
	defer tracing.SetDefault(prev)

	tp, err := otlpexport.InstallFromEnv(
		otlpexport.WithEndpointURL(srv.URL+"/v1/traces"),
		otlpexport.WithProviderOptions(tracing.WithSensitiveData(false)),
		otlpexport.WithBatcherOptions(processors.WithScheduleDelay(time.Second)),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx, tr := tracing.StartTrace(context.Background(), "Customer service")
	_, span := tracing.StartSpan(ctx, &spans.Function{Name: "lookup_order"})
	span.End()
	tr.End()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := tp.Shutdown(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(otlpexport.BatcherOf(tp).Stats())
	// Output:
	// received=3 exported=3 pending=0 dropped=0
}

// The Coze Loop preset with credentials read by the program: an empty
// workspace id or token (an unset variable, say) is an error at New.
func ExampleWithCozeLoop() {
	exp, err := otlpexport.New(otlpexport.WithCozeLoop(os.Getenv("MY_COZE_WORKSPACE"), os.Getenv("MY_COZE_TOKEN")))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer exp.Shutdown(context.Background())
	// Output:
	// otlpexport: WithCozeLoop: the workspace id and the token are empty
}
