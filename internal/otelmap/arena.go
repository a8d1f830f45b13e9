package otelmap

import (
	"github.com/agenttrace/agenttrace-go/internal/clip"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// arenaChunk is how many values an arena allocates at once.
const arenaChunk = 256

// maxKeptChunks bounds the chunks of each kind an arena keeps for reuse
// (see reset): enough for a batch of 512 spans of a few dozen attributes,
// without holding on to what an occasional huge batch needed.
const maxKeptChunks = 64

// arena hands out the attribute messages of one export from chunks, so that
// a span's attributes cost a few allocations instead of three each. Values
// are never moved: a chunk stays alive while any of its values is referenced.
// After reset, which the exporter calls once an export's requests are sent,
// the same chunks serve the next export. A nil *arena allocates each value
// on its own. An arena is not safe for concurrent use.
type arena struct {
	// valid is the last string str checked, so that twins (input.value
	// and cozeloop.input share their text) are scanned once.
	valid string
	kvs   slab[commonpb.KeyValue]
	vals  slab[commonpb.AnyValue]
	strs  slab[commonpb.AnyValue_StringValue]
	ints  slab[commonpb.AnyValue_IntValue]
	// esc is the text memo of the message list being written (see memo).
	esc escapes
}

// slab hands out zero values of T from chunks of size values, which reset
// zeroes and hands out again.
type slab[T any] struct {
	chunks [][]T
	cur    int // the chunk values are handed out from
	next   int // the next value of chunks[cur]
}

func (s *slab[T]) get(size int) *T {
	for s.cur < len(s.chunks) {
		if c := s.chunks[s.cur]; s.next < len(c) {
			s.next++
			return &c[s.next-1]
		}
		s.cur, s.next = s.cur+1, 0
	}
	s.chunks = append(s.chunks, make([]T, size))
	s.next = 1
	return &s.chunks[s.cur][0]
}

// reset zeroes the values handed out, so that they reference nothing, and
// makes them available again.
func (s *slab[T]) reset() {
	for i := 0; i < len(s.chunks) && i <= s.cur; i++ {
		c := s.chunks[i]
		if i == s.cur {
			c = c[:s.next]
		}
		clear(c)
	}
	if len(s.chunks) > maxKeptChunks {
		clear(s.chunks[maxKeptChunks:])
		s.chunks = s.chunks[:maxKeptChunks]
	}
	s.cur, s.next = 0, 0
}

// reset makes every value the arena handed out available again. Nothing
// may reference them any more: the spans they were part of have been
// encoded.
func (ar *arena) reset() {
	ar.kvs.reset()
	ar.vals.reset()
	ar.strs.reset()
	ar.ints.reset()
	ar.valid = ""
}

func (ar *arena) keyValue() *commonpb.KeyValue {
	if ar == nil {
		return &commonpb.KeyValue{}
	}
	return ar.kvs.get(arenaChunk)
}

func (ar *arena) anyValue() *commonpb.AnyValue {
	if ar == nil {
		return &commonpb.AnyValue{}
	}
	return ar.vals.get(arenaChunk)
}

// str returns a string value, made valid UTF-8 (see clip.ValidUTF8): every
// attribute value goes through here, the resource's and events' included.
func (ar *arena) str(s string) *commonpb.AnyValue {
	if ar == nil {
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: clip.ValidUTF8(s)}}
	}
	if s != ar.valid { // equal lengths and addresses compare in constant time
		s = clip.ValidUTF8(s)
		ar.valid = s
	}
	v := ar.anyValue()
	w := ar.strs.get(arenaChunk)
	w.StringValue = s
	v.Value = w
	return v
}

// int returns an integer value.
func (ar *arena) int(i int64) *commonpb.AnyValue {
	v := ar.anyValue()
	if ar == nil {
		v.Value = &commonpb.AnyValue_IntValue{IntValue: i}
		return v
	}
	w := ar.ints.get(arenaChunk / 4)
	w.IntValue = i
	v.Value = w
	return v
}

// memo returns the escapes of the message list about to be written, empty,
// when the GenAI shape will copy texts from the chat shape (messages has
// GenAI); otherwise nil. Without an arena it is nil too: the texts are
// escaped twice.
func (a *attrs) memo(messages Profile) *escapes {
	if a.ar == nil || messages&GenAI == 0 {
		return nil
	}
	a.ar.esc.reset()
	return &a.ar.esc
}
