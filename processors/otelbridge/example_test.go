package otelbridge_test

import (
	"context"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/agenttrace/agenttrace-go/processors/otelbridge"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// ExampleNew wires the bridge into a service instrumented with otelhttp:
// agent traces join the request's trace, and the model client's spans nest
// under the generation spans that made them.
func ExampleNew() {
	ctx := context.Background()
	exporter := tracetest.NewInMemoryExporter() // the program's own exporter
	otp := sdktrace.NewTracerProvider(
		sdktrace.WithIDGenerator(otelbridge.IDGenerator(nil)), // agent spans keep their ids
		sdktrace.WithBatcher(exporter),
	)
	otel.SetTracerProvider(otp)
	tp := tracing.NewProvider(tracing.WithProcessor(otelbridge.New(otp)))
	tracing.SetDefault(tp)
	defer otp.Shutdown(ctx) // second: the agent spans are in it by then
	defer tp.Shutdown(ctx)

	model := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}
	chat := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, tr := tracing.StartTrace(r.Context(), "Support run")
		defer tr.End()
		ctx, span := tracing.StartSpan(ctx, &spans.Generation{Model: "gpt-4.1"})
		defer span.End()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1:0/v1/chat/completions", nil)
		if resp, err := model.Do(req); err == nil {
			resp.Body.Close()
		} else {
			span.SetError(err)
		}
	})
	mux := http.NewServeMux()
	mux.Handle("/chat", otelhttp.NewHandler(chat, "chat"))
	_ = mux // http.ListenAndServe(addr, mux)
}
