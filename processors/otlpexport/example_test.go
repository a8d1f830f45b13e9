package otlpexport_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/processors/otlpexport"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// cozeLoopStandIn is a local server standing in for Coze Loop: it decodes
// the OTLP request and keeps the spans' names and Coze Loop attributes.
func cozeLoopStandIn() (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var lines []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, _ := gzip.NewReader(bytes.NewReader(body))
			body, _ = io.ReadAll(zr)
		}
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, s := range ss.GetSpans() {
					a := map[string]string{}
					for _, kv := range s.GetAttributes() {
						a[kv.GetKey()] = kv.GetValue().GetStringValue()
					}
					lines = append(lines, fmt.Sprintf("%s (%s) workspace=%s input=%s",
						s.GetName(), a["cozeloop.span_type"], r.Header.Get("cozeloop-workspace-id"), a["cozeloop.input"]))
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"code":0,"msg":""}`)
	}))
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		sort.Strings(lines)
		return lines
	}
}

func Example() {
	srv, received := cozeLoopStandIn()
	defer srv.Close()

	// For the real service, leave out WithCozeLoopBaseURL (the China site)
	// or pass otlpexport.CozeLoopCOM.
	exp, err := otlpexport.New(
		otlpexport.WithCozeLoop("7486", "pat_example"),
		otlpexport.WithCozeLoopBaseURL(srv.URL),
		otlpexport.WithServiceName("support-bot"),
	)
	if err != nil {
		panic(err)
	}
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)))

	ctx, tr := tp.StartTrace(context.Background(), "Customer service")
	_, span := tracing.StartSpan(ctx, &spans.Function{Name: "lookup_order", Input: `{"order_id":"A1"}`, Output: "shipped"})
	span.End()
	tr.End()

	// Shutdown sends what is queued.
	if err := tp.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	for _, line := range received() {
		fmt.Println(line)
	}
	// Output:
	// Customer service (agent) workspace=7486 input=
	// execute_tool lookup_order (tool) workspace=7486 input={"order_id":"A1"}
}
