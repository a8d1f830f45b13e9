package otelmap

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// TraceID maps an agent trace id to a 16-byte OTel trace id. An id of
// the form "trace_" + 32 hex digits is those 16 bytes; any other id is hashed,
// so that custom ids map stably too. The result is never all zero.
func TraceID(id string) []byte {
	if hexID, ok := strings.CutPrefix(id, "trace_"); ok && len(hexID) == 32 {
		b := make([]byte, 16)
		if _, err := hex.Decode(b, []byte(hexID)); err == nil && !allZero(b) {
			return b
		}
	}
	return hashID("trace:", id, 16)
}

// SpanID maps an agent span id to an 8-byte OTel span id. An id of the
// form "span_" + 24 hex digits keeps its last 8 bytes (16 digits); any other
// id is hashed. The result is never all zero.
func SpanID(id string) []byte {
	if hexID, ok := strings.CutPrefix(id, "span_"); ok && len(hexID) == 24 {
		b := make([]byte, 8)
		if _, err := hex.Decode(b, []byte(hexID[8:])); err == nil && !allZero(b) {
			return b
		}
	}
	return hashID("span:", id, 8)
}

// RootSpanID returns the span id of the OTel span that stands for the trace
// itself. It is derived from the trace id alone, so that spans exported
// before their trace ends can name it as their parent.
func RootSpanID(traceID string) []byte { return hashID("root:", traceID, 8) }

// hashID returns the first n bytes of SHA-256(salt+id), never all zero.
func hashID(salt, id string, n int) []byte {
	h := sha256.Sum256([]byte(salt + id))
	b := h[:n:n]
	if allZero(b) {
		b[n-1] = 1
	}
	return b
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
