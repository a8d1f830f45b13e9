// Package otlptest reads OTLP/HTTP trace requests as a receiver does, for
// the tests' local servers that stand in for a backend: the body,
// gunzipped when its Content-Encoding is gzip, decoded as protobuf.
package otlptest

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// ReadRequest decodes the OTLP/HTTP protobuf trace request r carries. It
// refuses any Content-Type but application/x-protobuf and any
// Content-Encoding but gzip or none.
func ReadRequest(r *http.Request) (*coltracepb.ExportTraceServiceRequest, error) {
	if ct := r.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		return nil, fmt.Errorf("otlptest: Content-Type %q, want application/x-protobuf", ct)
	}
	var body io.Reader = r.Body
	switch ce := r.Header.Get("Content-Encoding"); ce {
	case "gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, fmt.Errorf("otlptest: gzip: %w", err)
		}
		body = zr
	case "":
	default:
		return nil, fmt.Errorf("otlptest: Content-Encoding %q", ce)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("otlptest: reading the body: %w", err)
	}
	req := new(coltracepb.ExportTraceServiceRequest)
	if err := proto.Unmarshal(raw, req); err != nil {
		return nil, fmt.Errorf("otlptest: %w", err)
	}
	return req, nil
}

// Handler returns a handler that decodes each request with [ReadRequest],
// answers 400 with the error when it fails, and otherwise calls keep and
// answers 200 with an empty protobuf response.
func Handler(keep func(*http.Request, *coltracepb.ExportTraceServiceRequest)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := ReadRequest(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		keep(r, req)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	})
}
