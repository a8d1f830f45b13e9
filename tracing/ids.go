package tracing

import (
	"encoding/hex"
	"math/rand/v2"
)

// IDGenerator makes the ids of traces and spans. Implementations must be safe
// for concurrent use. Provide one with [WithIDGenerator] to get deterministic
// ids in tests. The OTel ids of its ids follow [OTelTraceID] and
// [OTelSpanID]: its span ids are hashed whole.
type IDGenerator interface {
	// NewTraceID returns a trace id, conventionally "trace_" + 32 lowercase hex digits.
	NewTraceID() string
	// NewSpanID returns a span id, conventionally "span_" + 24 lowercase hex digits.
	NewSpanID() string
}

// Id prefixes and lengths used by the default generator and [NewGroupID].
const (
	TraceIDPrefix = "trace_"
	SpanIDPrefix  = "span_"
	GroupIDPrefix = "group_"
)

// NoOpID is the id the Python SDK gives disabled traces and spans, which its
// exporters never send. A trace or span given it with [WithTraceID] or
// [WithSpanID] is disabled, as with [WithTraceDisabled] or
// [WithSpanDisabled], and so is everything started inside it.
const NoOpID = "no-op"

// randomIDs is the default IDGenerator. Its ids come from the runtime's
// per-thread ChaCha8 generator, which costs a few nanoseconds and takes no
// lock (see BenchmarkSpanID in ids_test.go). Trace ids are 16 random bytes in
// hex: the Python SDK sends version-4 UUIDs, whose fixed variant bits would
// skew ratio sampling by trace id (OTel's reads bytes 8 to 15); the backends
// accept any 32 hex digits. Span ids carry their OTel span id in their last
// 16 digits (see [OTelSpanID]).
type randomIDs struct{}

func (randomIDs) NewTraceID() string { return traceIDString(newTraceID()) }

func (randomIDs) NewSpanID() string {
	id, _ := newSpanID()
	return id
}

// randomHexID returns prefix followed by 24 random lowercase hex digits.
func randomHexID(prefix string) string {
	var raw [12]byte
	a, c := rand.Uint64(), rand.Uint32()
	for i := range 8 {
		raw[i] = byte(a >> (8 * i))
	}
	for i := range 4 {
		raw[8+i] = byte(c >> (8 * i))
	}
	return hexID(prefix, raw)
}

// hexID returns prefix (at most 6 bytes) followed by raw in lowercase hex.
func hexID(prefix string, raw [12]byte) string {
	var b [6 + 24]byte
	n := copy(b[:], prefix)
	hex.Encode(b[n:], raw[:])
	return string(b[:n+24])
}

// NewTraceID returns a new random trace id, "trace_" + 32 lowercase hex
// digits, as the default generator makes (the Python SDK's gen_trace_id),
// for [WithTraceID]. Its OTel trace id is those 32 digits.
func NewTraceID() string { return randomIDs{}.NewTraceID() }

// NewSpanID returns a new random span id, "span_" + 24 lowercase hex digits,
// as the default generator makes (the Python SDK's gen_span_id), for
// [WithSpanID]. Its OTel span id is its last 16 digits (see [OTelSpanID]).
func NewSpanID() string { return randomIDs{}.NewSpanID() }

// NewGroupID returns a new random group id, "group_" + 24 lowercase hex digits,
// for linking the traces of one conversation (see [WithGroupID]).
func NewGroupID() string { return randomHexID(GroupIDPrefix) }
