package openaiexport_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/openaiexport"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Export a trace to an ingest server. In production, leave out the endpoint
// and the key (they default to OpenAI and OPENAI_API_KEY) and use
// processors.NewBatcher instead of NewSync.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Data []map[string]any }
		_ = json.NewDecoder(r.Body).Decode(&body)
		for _, it := range body.Data {
			if sd, ok := it["span_data"].(map[string]any); ok {
				fmt.Println(r.Header.Get("OpenAI-Beta"), it["object"], sd["type"], sd["name"])
			} else {
				fmt.Println(r.Header.Get("OpenAI-Beta"), it["object"], it["workflow_name"])
			}
		}
	}))
	defer srv.Close()

	exp := openaiexport.New(openaiexport.WithEndpoint(srv.URL), openaiexport.WithAPIKey("sk-example"))
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(processors.NewSync(exp)))
	defer tp.Shutdown(context.Background())

	ctx, tr := tp.StartTrace(context.Background(), "Support")
	_, span := tracing.StartSpan(ctx, &spans.Agent{Name: "Triage agent"})
	span.End()
	tr.End()
	// Output:
	// traces=v1 trace Support
	// traces=v1 trace.span agent Triage agent
}
