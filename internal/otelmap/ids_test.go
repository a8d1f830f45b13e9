package otelmap

import (
	"encoding/hex"
	"testing"
)

func TestIDMapping(t *testing.T) {
	tid := TraceID("trace_0af7651916cd43dd8448eb211c80319c")
	if got := hex.EncodeToString(tid); got != "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("trace id = %s", got)
	}
	sid := SpanID("span_00f067aa0ba902b7c0ffee11")
	if got := hex.EncodeToString(sid); got != "0ba902b7c0ffee11" {
		t.Errorf("span id = %s, want the last 8 bytes", got)
	}
	// Custom and malformed ids hash stably, never to zero, to the right size.
	for _, id := range []string{"run-42", "", "trace_" + "00000000000000000000000000000000", "trace_XYZ"} {
		a, b := TraceID(id), TraceID(id)
		if len(a) != 16 || allZero(a) || hex.EncodeToString(a) != hex.EncodeToString(b) {
			t.Errorf("TraceID(%q) = %x, %x", id, a, b)
		}
	}
	for _, id := range []string{"step-1", "", "span_000000000000000000000000", "span_short"} {
		a, b := SpanID(id), SpanID(id)
		if len(a) != 8 || allZero(a) || hex.EncodeToString(a) != hex.EncodeToString(b) {
			t.Errorf("SpanID(%q) = %x, %x", id, a, b)
		}
	}
	if hex.EncodeToString(SpanID("a")) == hex.EncodeToString(SpanID("b")) {
		t.Error("different custom ids map to the same span id")
	}
	r := RootSpanID("trace_0af7651916cd43dd8448eb211c80319c")
	if len(r) != 8 || allZero(r) || hex.EncodeToString(r) != hex.EncodeToString(RootSpanID("trace_0af7651916cd43dd8448eb211c80319c")) {
		t.Errorf("root span id = %x", r)
	}
}
