package tracing

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// checkDigits returns the 8 check digits (as a number) of a span id made by
// this package whose OTel span id is x: the high half of a 64-bit mix of x.
// A custom id passes the check only by a 1 in 2^32 chance, and then maps to
// its last 16 digits, which no other id that passes can share.
func checkDigits(x uint64) uint32 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return uint32(x >> 32)
}

// newOTelSpanID returns a random, non-zero OTel span id.
func newOTelSpanID() (trace.SpanID, uint64) {
	x := rand.Uint64()
	for x == 0 {
		x = rand.Uint64()
	}
	var id trace.SpanID
	binary.BigEndian.PutUint64(id[:], x)
	return id, x
}

// spanIDLen is the length of a span id of this package's form.
const spanIDLen = len(SpanIDPrefix) + 24

// newSpanID returns a new span id of this package's form and its OTel span id.
func newSpanID() (string, trace.SpanID) {
	var buf [spanIDLen]byte
	id := newSpanIDInto(&buf)
	return string(buf[:]), id
}

// newSpanIDInto writes a new span id of this package's form into buf and
// returns its OTel span id.
func newSpanIDInto(buf *[spanIDLen]byte) trace.SpanID {
	id, x := newOTelSpanID()
	var raw [12]byte
	binary.BigEndian.PutUint32(raw[:4], checkDigits(x))
	copy(raw[4:], id[:])
	copy(buf[:], SpanIDPrefix)
	hex.Encode(buf[len(SpanIDPrefix):], raw[:])
	return id
}

// newTraceID returns a random, non-zero OTel trace id. All 16 bytes are
// random (unlike a version-4 UUID's), so that OTel's TraceIDRatioBased
// sampler, which reads bytes 8 to 15, and [WithSamplingRatio] work on it.
func newTraceID() trace.TraceID {
	var id trace.TraceID
	for !id.IsValid() {
		binary.BigEndian.PutUint64(id[:8], rand.Uint64())
		binary.BigEndian.PutUint64(id[8:], rand.Uint64())
	}
	return id
}

// traceIDString returns the agent trace id of an OTel trace id.
func traceIDString(id trace.TraceID) string {
	var b [len(TraceIDPrefix) + 32]byte
	copy(b[:], TraceIDPrefix)
	hex.Encode(b[len(TraceIDPrefix):], id[:])
	return string(b[:])
}

// OTelTraceID returns the OTel trace id of the agent trace id id: the 16
// bytes of an id of the form "trace_" + 32 hex digits (the default
// generator's, and those of traces that joined an OTel parent), and for any
// other id the first 16 bytes of SHA-256("trace:" + id). It is never all
// zero, and it is what [Trace.SpanContext] holds for a trace of that id.
func OTelTraceID(id string) trace.TraceID {
	var out trace.TraceID
	if h, ok := strings.CutPrefix(id, TraceIDPrefix); ok && len(h) == 32 {
		if _, err := hex.Decode(out[:], []byte(h)); err == nil && out.IsValid() {
			return out
		}
	}
	hashID(out[:], "trace:", id)
	return out
}

// OTelSpanID returns the OTel span id of the agent span id id. A span id made
// by this package ([NewSpanID], the default generator) is "span_" + 8 check
// digits + 16 hex digits, and those 16 digits are its OTel span id. Every
// other id, a custom [IDGenerator]'s or one given to [WithSpanID], maps to
// the first 8 bytes of SHA-256("span:" + id): the whole id counts, so ids
// that differ anywhere, in their first digits too, get different OTel ids.
// It is never all zero, and it is what [Span.SpanContext] holds for a span
// of that id.
func OTelSpanID(id string) trace.SpanID {
	var out trace.SpanID
	if h, ok := strings.CutPrefix(id, SpanIDPrefix); ok && len(h) == 24 {
		var raw [12]byte
		if _, err := hex.Decode(raw[:], []byte(h)); err == nil {
			x := binary.BigEndian.Uint64(raw[4:])
			if x != 0 && binary.BigEndian.Uint32(raw[:4]) == checkDigits(x) {
				copy(out[:], raw[4:])
				return out
			}
		}
	}
	hashID(out[:], "span:", id)
	return out
}

// rootSpanID returns the OTel span id of the span standing for a trace of
// the given id: when the provider's own (custom) generator made the id, the
// first 8 bytes of SHA-256("root:" + id), so that tests with deterministic
// ids get deterministic roots; otherwise (the default generator, an id given
// with WithTraceID, a joined OTel trace) random, so that traces sharing a
// trace id never share a root span id.
func rootSpanID(id string, generated bool) trace.SpanID {
	if generated {
		var out trace.SpanID
		hashID(out[:], "root:", id)
		return out
	}
	out, _ := newOTelSpanID()
	return out
}

// hashID fills out with the first bytes of SHA-256(salt + id), never all
// zero. Ids of up to 100 bytes are hashed without allocating.
func hashID(out []byte, salt, id string) {
	var buf [128]byte
	b := append(append(buf[:0], salt...), id...)
	h := sha256.Sum256(b)
	copy(out, h[:])
	for _, c := range out {
		if c != 0 {
			return
		}
	}
	out[len(out)-1] = 1
}
