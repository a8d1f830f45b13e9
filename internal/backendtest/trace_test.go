package backendtest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeTracesForms checks the decoder on both OTLP/JSON dialects: the
// one the collector's file exporter writes (hex ids, numeric enums, int64
// as strings) and the proto3
// JSON mapping (base64 ids, enum names, int64 as numbers).
func TestDecodeTracesForms(t *testing.T) {
	fileForm := `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
	"scopeSpans":[{"scope":{"name":"lib"},"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708",
	"parentSpanId":"0807060504030201","name":"op","kind":3,"startTimeUnixNano":"1000000000","endTimeUnixNano":"2000000000",
	"attributes":[{"key":"i","value":{"intValue":"7"}},{"key":"d","value":{"doubleValue":0.5}},
	{"key":"kv","value":{"kvlistValue":{"values":[{"key":"x","value":{"boolValue":false}}]}}}],
	"events":[{"timeUnixNano":"1500000000","name":"exception","attributes":[{"key":"exception.message","value":{"stringValue":"boom"}}]}],
	"status":{"code":2,"message":"bad"}}]}]}]}`
	protoForm := `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
	"scopeSpans":[{"scope":{"name":"lib"},"spans":[{"traceId":"AQIDBAUGBwgJCgsMDQ4PEA==","spanId":"AQIDBAUGBwg=",
	"parentSpanId":"CAcGBQQDAgE=","name":"op","kind":"SPAN_KIND_CLIENT","startTimeUnixNano":1000000000,"endTimeUnixNano":2000000000,
	"attributes":[{"key":"i","value":{"intValue":7}},{"key":"d","value":{"doubleValue":"0.5"}},
	{"key":"kv","value":{"kvlistValue":{"values":[{"key":"x","value":{"boolValue":false}}]}}}],
	"events":[{"timeUnixNano":1500000000,"name":"exception","attributes":[{"key":"exception.message","value":{"stringValue":"boom"}}]}],
	"status":{"code":"STATUS_CODE_ERROR","message":"bad"}}]}]}]}`
	want := []Span{{
		TraceID: "0102030405060708090a0b0c0d0e0f10", SpanID: "0102030405060708", ParentSpanID: "0807060504030201",
		Name: "op", Kind: "CLIENT",
		Start: time.Unix(1, 0).UTC(), End: time.Unix(2, 0).UTC(),
		Attributes: map[string]any{"i": int64(7), "d": 0.5, "kv": map[string]any{"x": false}},
		Events:     []Event{{Name: "exception", Time: time.Unix(1, 5e8).UTC(), Attributes: map[string]any{"exception.message": "boom"}}},
		Status:     Status{Code: "ERROR", Message: "bad"},
		Resource:   map[string]any{"service.name": "svc"},
		Scope:      "lib",
	}}
	for name, body := range map[string]string{"file": fileForm, "proto3": protoForm} {
		got, err := decodeTraces([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s form (-want +got):\n%s", name, diff)
		}
	}
}
