package tracing_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

func Example() {
	console := processors.NewConsole(os.Stdout, processors.WithoutTimings(), processors.WithoutIDs())
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(console)), tracing.WithDisabled(false))
	defer tp.Shutdown(context.Background())

	ctx, tr := tp.StartTrace(context.Background(), "Weather bot")
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: "Forecaster", Tools: []string{"get_weather"}})

	gen := &spans.Generation{Model: "gpt-4.1", Input: []spans.Message{{Role: "user", Content: "Weather in Paris?"}}}
	_, span := tracing.StartSpan(ctx, gen)
	gen.Output = []spans.Message{{Role: "assistant", Content: "Sunny, 21°C."}}
	gen.Usage = &spans.Usage{InputTokens: 12, OutputTokens: 6}
	span.End()

	_, tool := tracing.StartSpan(ctx, &spans.Function{Name: "get_weather", Input: `{"city":"Paris"}`})
	tool.SetError(errors.New("weather service unavailable"))
	tool.End()

	agent.End()
	tr.End()
	// Output:
	// trace "Weather bot"
	// └─ agent "Forecaster"
	//    ├─ generation model=gpt-4.1 tokens=12 in/6 out
	//    └─ function "get_weather" ERROR: weather service unavailable
}

func ExampleStartSpan() {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "workflow")
	defer tr.End()

	ctx, span := tracing.StartSpan(ctx, &spans.Custom{Name: "db_query", Data: map[string]any{"table": "orders"}})
	defer span.End()
	fmt.Println(tracing.SpanFromContext(ctx) == span, span.Kind())
	// Output: true custom
}

func ExampleSpan_SetError() {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "workflow")
	defer tr.End()

	_, span := tracing.StartSpan(ctx, &spans.Function{Name: "refund"})
	span.SetError(&tracing.SpanError{Message: "Error running tool", Data: map[string]any{"tool_name": "refund"}})
	fmt.Println(span.Error().Message, span.Error().Data["tool_name"])
	span.End()
	// Output: Error running tool refund
}

func ExampleWithTraceDisabled() {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	ctx, tr := tp.StartTrace(context.Background(), "private run", tracing.WithTraceDisabled(true))
	defer tr.End() // a nil trace: End does nothing

	_, span := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	defer span.End()
	fmt.Println(tr == nil, span == nil)
	// Output: true true
}

func ExampleProvider_AddTraceProcessor() {
	tp := tracing.NewProvider(tracing.WithDisabled(false))
	tp.AddTraceProcessor(processors.NewSync(processors.NewConsole(os.Stdout, processors.WithoutTimings(), processors.WithoutIDs())))

	ctx, tr := tp.StartTrace(context.Background(), "hooks")
	_, h := tracing.HandoffSpan(ctx, "Triage", "Billing")
	h.End()
	tr.End()
	// Output:
	// trace "hooks"
	// └─ handoff "Triage -> Billing"
}

func ExampleRecording() {
	tp := tracing.NewProvider(tracing.WithDisabled(true))
	ctx, tr := tp.StartTrace(context.Background(), "workflow")
	defer tr.End()

	// On a hot path, build the span data only when it will be recorded.
	var span *tracing.Span
	if tracing.Recording(ctx) {
		ctx, span = tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1"})
	}
	defer span.End() // a nil span is fine
	fmt.Println(tracing.Recording(ctx), span == nil)
	// Output: false true
}
