package otlptest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
)

// The OTel SDK's own exporter, with and without gzip, is read back span by
// span; anything that is not OTLP protobuf is refused.
func TestHandlerReadsTheSDKExporter(t *testing.T) {
	for _, c := range []otlptracehttp.Compression{otlptracehttp.NoCompression, otlptracehttp.GzipCompression} {
		var mu sync.Mutex
		var names []string
		srv := httptest.NewServer(Handler(func(_ *http.Request, req *coltracepb.ExportTraceServiceRequest) {
			mu.Lock()
			defer mu.Unlock()
			for _, rs := range req.GetResourceSpans() {
				for _, ss := range rs.GetScopeSpans() {
					for _, s := range ss.GetSpans() {
						names = append(names, s.GetName())
					}
				}
			}
		}))
		exp, err := otlptracehttp.New(context.Background(),
			otlptracehttp.WithEndpointURL(srv.URL+"/v1/traces"), otlptracehttp.WithCompression(c))
		if err != nil {
			t.Fatal(err)
		}
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
		_, s := tp.Tracer("t").Start(context.Background(), "one")
		s.End()
		if err := tp.Shutdown(context.Background()); err != nil {
			t.Fatalf("compression %v: %v", c, err)
		}
		srv.Close()
		if len(names) != 1 || names[0] != "one" {
			t.Errorf("compression %v: spans %q, want [one]", c, names)
		}
	}
}

func TestReadRequestRefuses(t *testing.T) {
	for _, c := range []struct{ ctype, cenc, body, want string }{
		{"application/json", "", "{}", "Content-Type"},
		{"application/x-protobuf", "br", "", "Content-Encoding"},
		{"application/x-protobuf", "gzip", "not gzip", "gzip"},
		{"application/x-protobuf", "", "\xff\xff", "otlptest"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/v1/traces", strings.NewReader(c.body))
		r.Header.Set("Content-Type", c.ctype)
		if c.cenc != "" {
			r.Header.Set("Content-Encoding", c.cenc)
		}
		_, err := ReadRequest(r)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want one naming %s", c, err, c.want)
		}
	}
}
