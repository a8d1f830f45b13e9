package otelmap

import (
	"github.com/agenttrace/agenttrace-go/internal/clip"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// arenaChunk is how many values an arena allocates at once.
const arenaChunk = 256

// arena hands out the attribute messages of one export from chunks, so that
// a span's attributes cost a few allocations instead of three each. Values
// are never moved: a chunk stays alive while any of its values is referenced.
// A nil *arena allocates each value on its own. An arena is not safe for
// concurrent use.
type arena struct {
	// valid is the last string str checked, so that twins (input.value
	// and cozeloop.input share their text) are scanned once.
	valid string
	kvs   []commonpb.KeyValue
	vals  []commonpb.AnyValue
	strs  []commonpb.AnyValue_StringValue
	ints  []commonpb.AnyValue_IntValue
	// esc is the text memo of the message list being written (see memo).
	esc escapes
}

func (ar *arena) keyValue() *commonpb.KeyValue {
	if ar == nil {
		return &commonpb.KeyValue{}
	}
	if len(ar.kvs) == 0 {
		ar.kvs = make([]commonpb.KeyValue, arenaChunk)
	}
	e := &ar.kvs[0]
	ar.kvs = ar.kvs[1:]
	return e
}

func (ar *arena) anyValue() *commonpb.AnyValue {
	if ar == nil {
		return &commonpb.AnyValue{}
	}
	if len(ar.vals) == 0 {
		ar.vals = make([]commonpb.AnyValue, arenaChunk)
	}
	v := &ar.vals[0]
	ar.vals = ar.vals[1:]
	return v
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
	if len(ar.strs) == 0 {
		ar.strs = make([]commonpb.AnyValue_StringValue, arenaChunk)
	}
	w := &ar.strs[0]
	ar.strs = ar.strs[1:]
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
	if len(ar.ints) == 0 {
		ar.ints = make([]commonpb.AnyValue_IntValue, arenaChunk/4)
	}
	w := &ar.ints[0]
	ar.ints = ar.ints[1:]
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
