package tracing

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
	"unsafe"

	"github.com/google/uuid"
)

// The id benchmarks decide the hot-path id source: span and trace ids come
// from the runtime's ChaCha8 generator (BenchmarkSpanIDRuntimeRand,
// BenchmarkSpanID with the check digits and OTel id, BenchmarkTraceID), not
// from uuid or crypto/rand.
//
//	go test -run '^$' -bench ID -benchmem -count=6 ./tracing/

var sink string

func BenchmarkSpanIDRuntimeRand(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = randomHexID(SpanIDPrefix)
	}
}

func BenchmarkSpanIDUUID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u := uuid.New()
		sink = hexID(SpanIDPrefix, [12]byte(u[:12]))
	}
}

func BenchmarkSpanIDCryptoRand(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var raw [12]byte
		_, _ = rand.Read(raw[:])
		sink = hexID(SpanIDPrefix, raw)
	}
}

func BenchmarkSpanID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = newSpanID()
	}
}

func BenchmarkTraceID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = randomIDs{}.NewTraceID()
	}
}

func BenchmarkTraceIDUUID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u := uuid.New()
		var raw [len(TraceIDPrefix) + 32]byte
		copy(raw[:], TraceIDPrefix)
		hex.Encode(raw[len(TraceIDPrefix):], u[:])
		sink = string(raw[:])
	}
}

func TestDefaultIDsAreWellFormed(t *testing.T) {
	tr, sp := randomIDs{}.NewTraceID(), randomIDs{}.NewSpanID()
	if len(tr) != len(TraceIDPrefix)+32 || tr[:len(TraceIDPrefix)] != TraceIDPrefix {
		t.Fatalf("trace id %q", tr)
	}
	if len(sp) != len(SpanIDPrefix)+24 || sp[:len(SpanIDPrefix)] != SpanIDPrefix {
		t.Fatalf("span id %q", sp)
	}
	if _, err := hex.DecodeString(tr[len(TraceIDPrefix):]); err != nil {
		t.Fatal(err)
	}
	if _, err := hex.DecodeString(sp[len(SpanIDPrefix):]); err != nil {
		t.Fatal(err)
	}
}

// TestSpanSize pins the span in the 176-byte size class: one more field
// moves every span to the next class (see the idBuf comment).
func TestSpanSize(t *testing.T) {
	if n := unsafe.Sizeof(Span{}); n > 176 {
		t.Errorf("Span is %d bytes, want at most 176", n)
	}
}
