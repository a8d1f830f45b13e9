package tracing

import (
	"encoding/hex"
	"math/rand/v2"

	"github.com/google/uuid"
)

// IDGenerator makes the ids of traces and spans. Implementations must be safe
// for concurrent use. Provide one with [WithIDGenerator] to get deterministic
// ids in tests.
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

// randomIDs is the default IDGenerator. Trace ids are version-4 UUIDs in hex
// (what the Python Agents SDK sends); span ids, made on the hot path, come from
// the runtime's per-thread ChaCha8 generator, which costs a few nanoseconds and
// takes no lock (see BenchmarkSpanID in ids_test.go).
type randomIDs struct{}

func (randomIDs) NewTraceID() string {
	u := uuid.New()
	var b [len(TraceIDPrefix) + 32]byte
	copy(b[:], TraceIDPrefix)
	hex.Encode(b[len(TraceIDPrefix):], u[:])
	return string(b[:])
}

func (randomIDs) NewSpanID() string { return randomHexID(SpanIDPrefix) }

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
// for [WithTraceID].
func NewTraceID() string { return randomIDs{}.NewTraceID() }

// NewSpanID returns a new random span id, "span_" + 24 lowercase hex digits,
// as the default generator makes (the Python SDK's gen_span_id), for
// [WithSpanID].
func NewSpanID() string { return randomIDs{}.NewSpanID() }

// NewGroupID returns a new random group id, "group_" + 24 lowercase hex digits,
// for linking the traces of one conversation (see [WithGroupID]).
func NewGroupID() string { return randomHexID(GroupIDPrefix) }
