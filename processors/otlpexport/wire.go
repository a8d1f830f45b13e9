package otlpexport

import (
	"errors"
	"math"
	"unicode/utf8"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protowire"
)

// The exporter encodes its requests with the functions of this file rather
// than proto.Marshal: they produce the same bytes (fields in number order,
// proto3 zero values left out, oneof members always written; the tests
// compare both on every kind of span), in one sizing and one writing pass
// over plain Go values instead of the reflection-driven marshaller's, into
// a buffer reused from request to request. Like proto.Marshal they refuse a
// string that is not valid UTF-8. The messages they encode are those the
// exporter builds, which carry no unknown fields.

// errInvalidUTF8 is returned for a string field that is not valid UTF-8.
var errInvalidUTF8 = errors.New("string field contains invalid UTF-8")

// wireRequest appends to b the encoding of an ExportTraceServiceRequest
// holding one ResourceSpans (res) with one ScopeSpans (scope and spans).
// sizes[i] must be sizeSpan(spans[i]).
func wireRequest(b []byte, res *resourcepb.Resource, scope *commonpb.InstrumentationScope, spans []*tracepb.Span, sizes []int) ([]byte, error) {
	ss := 0
	if scope != nil {
		ss += msgFieldSize(1, sizeScope(scope))
	}
	for _, n := range sizes {
		ss += msgFieldSize(2, n)
	}
	rs := msgFieldSize(2, ss)
	if res != nil {
		rs += msgFieldSize(1, sizeResource(res))
	}
	w := wire{b: b}
	w.msgHeader(1, rs) // ExportTraceServiceRequest.resource_spans
	if res != nil {
		w.msgHeader(1, sizeResource(res)) // ResourceSpans.resource
		w.resource(res)
	}
	w.msgHeader(2, ss) // ResourceSpans.scope_spans
	if scope != nil {
		w.msgHeader(1, sizeScope(scope)) // ScopeSpans.scope
		w.scope(scope)
	}
	for i, s := range spans {
		w.msgHeader(2, sizes[i]) // ScopeSpans.spans
		w.span(s)
	}
	return w.b, w.err
}

// wire appends encoded fields to b, remembering the first invalid string.
type wire struct {
	b   []byte
	err error
}

func (w *wire) msgHeader(num protowire.Number, size int) {
	w.b = protowire.AppendTag(w.b, num, protowire.BytesType)
	w.b = protowire.AppendVarint(w.b, uint64(size))
}

// str writes a string field unless it is empty.
func (w *wire) str(num protowire.Number, s string) {
	if s != "" {
		w.strAlways(num, s)
	}
}

// strAlways writes a string field even when empty (a oneof member).
func (w *wire) strAlways(num protowire.Number, s string) {
	if w.err == nil && !utf8.ValidString(s) {
		w.err = errInvalidUTF8
	}
	w.b = protowire.AppendTag(w.b, num, protowire.BytesType)
	w.b = protowire.AppendString(w.b, s)
}

func (w *wire) bytes(num protowire.Number, v []byte) {
	if len(v) > 0 {
		w.b = protowire.AppendTag(w.b, num, protowire.BytesType)
		w.b = protowire.AppendBytes(w.b, v)
	}
}

func (w *wire) varint(num protowire.Number, v uint64) {
	if v != 0 {
		w.b = protowire.AppendTag(w.b, num, protowire.VarintType)
		w.b = protowire.AppendVarint(w.b, v)
	}
}

func (w *wire) fixed64(num protowire.Number, v uint64) {
	if v != 0 {
		w.b = protowire.AppendTag(w.b, num, protowire.Fixed64Type)
		w.b = protowire.AppendFixed64(w.b, v)
	}
}

func (w *wire) fixed32(num protowire.Number, v uint32) {
	if v != 0 {
		w.b = protowire.AppendTag(w.b, num, protowire.Fixed32Type)
		w.b = protowire.AppendFixed32(w.b, v)
	}
}

func (w *wire) keyValues(num protowire.Number, kvs []*commonpb.KeyValue) {
	for _, kv := range kvs {
		w.msgHeader(num, sizeKeyValue(kv))
		w.keyValue(kv)
	}
}

func (w *wire) resource(r *resourcepb.Resource) {
	w.keyValues(1, r.Attributes)
	w.varint(2, uint64(r.DroppedAttributesCount))
	for _, e := range r.EntityRefs {
		w.msgHeader(3, sizeEntityRef(e))
		w.entityRef(e)
	}
}

func (w *wire) entityRef(e *commonpb.EntityRef) {
	if e == nil {
		return
	}
	w.str(1, e.SchemaUrl)
	w.str(2, e.Type)
	for _, k := range e.IdKeys {
		w.strAlways(3, k)
	}
	for _, k := range e.DescriptionKeys {
		w.strAlways(4, k)
	}
}

func (w *wire) scope(s *commonpb.InstrumentationScope) {
	w.str(1, s.Name)
	w.str(2, s.Version)
	w.keyValues(3, s.Attributes)
	w.varint(4, uint64(s.DroppedAttributesCount))
}

func (w *wire) span(s *tracepb.Span) {
	if s == nil {
		return
	}
	w.bytes(1, s.TraceId)
	w.bytes(2, s.SpanId)
	w.str(3, s.TraceState)
	w.bytes(4, s.ParentSpanId)
	w.str(5, s.Name)
	w.varint(6, uint64(int64(s.Kind)))
	w.fixed64(7, s.StartTimeUnixNano)
	w.fixed64(8, s.EndTimeUnixNano)
	w.keyValues(9, s.Attributes)
	w.varint(10, uint64(s.DroppedAttributesCount))
	for _, ev := range s.Events {
		w.msgHeader(11, sizeEvent(ev))
		w.event(ev)
	}
	w.varint(12, uint64(s.DroppedEventsCount))
	for _, l := range s.Links {
		w.msgHeader(13, sizeLink(l))
		w.link(l)
	}
	w.varint(14, uint64(s.DroppedLinksCount))
	if s.Status != nil {
		w.msgHeader(15, sizeStatus(s.Status))
		w.str(2, s.Status.Message)
		w.varint(3, uint64(int64(s.Status.Code)))
	}
	w.fixed32(16, s.Flags)
}

func (w *wire) event(e *tracepb.Span_Event) {
	if e == nil {
		return
	}
	w.fixed64(1, e.TimeUnixNano)
	w.str(2, e.Name)
	w.keyValues(3, e.Attributes)
	w.varint(4, uint64(e.DroppedAttributesCount))
}

func (w *wire) link(l *tracepb.Span_Link) {
	if l == nil {
		return
	}
	w.bytes(1, l.TraceId)
	w.bytes(2, l.SpanId)
	w.str(3, l.TraceState)
	w.keyValues(4, l.Attributes)
	w.varint(5, uint64(l.DroppedAttributesCount))
	w.fixed32(6, l.Flags)
}

func (w *wire) keyValue(kv *commonpb.KeyValue) {
	if kv == nil {
		return
	}
	w.str(1, kv.Key)
	if kv.Value != nil {
		w.msgHeader(2, sizeAnyValue(kv.Value))
		w.anyValue(kv.Value)
	}
	w.varint(3, uint64(int64(kv.KeyStrindex)))
}

func (w *wire) anyValue(v *commonpb.AnyValue) {
	if v == nil {
		return
	}
	switch x := v.Value.(type) {
	case *commonpb.AnyValue_StringValue:
		w.strAlways(1, x.StringValue)
	case *commonpb.AnyValue_BoolValue:
		w.b = protowire.AppendTag(w.b, 2, protowire.VarintType)
		w.b = protowire.AppendVarint(w.b, protowire.EncodeBool(x.BoolValue))
	case *commonpb.AnyValue_IntValue:
		w.b = protowire.AppendTag(w.b, 3, protowire.VarintType)
		w.b = protowire.AppendVarint(w.b, uint64(x.IntValue))
	case *commonpb.AnyValue_DoubleValue:
		w.b = protowire.AppendTag(w.b, 4, protowire.Fixed64Type)
		w.b = protowire.AppendFixed64(w.b, math.Float64bits(x.DoubleValue))
	case *commonpb.AnyValue_ArrayValue:
		w.msgHeader(5, sizeArray(x.ArrayValue))
		if x.ArrayValue != nil {
			for _, e := range x.ArrayValue.Values {
				w.msgHeader(1, sizeAnyValue(e))
				w.anyValue(e)
			}
		}
	case *commonpb.AnyValue_KvlistValue:
		w.msgHeader(6, sizeKvlist(x.KvlistValue))
		if x.KvlistValue != nil {
			w.keyValues(1, x.KvlistValue.Values)
		}
	case *commonpb.AnyValue_BytesValue:
		w.b = protowire.AppendTag(w.b, 7, protowire.BytesType)
		w.b = protowire.AppendBytes(w.b, x.BytesValue)
	case *commonpb.AnyValue_StringValueStrindex:
		w.b = protowire.AppendTag(w.b, 8, protowire.VarintType)
		w.b = protowire.AppendVarint(w.b, uint64(int64(x.StringValueStrindex)))
	}
}

// The sizes of the messages' bodies, without their own tag and length.

// msgFieldSize is the size of a message field of body size n.
func msgFieldSize(num protowire.Number, n int) int {
	return protowire.SizeTag(num) + protowire.SizeBytes(n)
}

func strSize(num protowire.Number, s string) int {
	if s == "" {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeBytes(len(s))
}

func bytesSize(num protowire.Number, b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeBytes(len(b))
}

func varintSize(num protowire.Number, v uint64) int {
	if v == 0 {
		return 0
	}
	return protowire.SizeTag(num) + protowire.SizeVarint(v)
}

func fixedSize(num protowire.Number, nonzero bool, width int) int {
	if !nonzero {
		return 0
	}
	return protowire.SizeTag(num) + width
}

func keyValuesSize(num protowire.Number, kvs []*commonpb.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		n += msgFieldSize(num, sizeKeyValue(kv))
	}
	return n
}

func sizeResource(r *resourcepb.Resource) int {
	n := keyValuesSize(1, r.Attributes) + varintSize(2, uint64(r.DroppedAttributesCount))
	for _, e := range r.EntityRefs {
		n += msgFieldSize(3, sizeEntityRef(e))
	}
	return n
}

func sizeEntityRef(e *commonpb.EntityRef) int {
	if e == nil {
		return 0
	}
	n := strSize(1, e.SchemaUrl) + strSize(2, e.Type)
	for _, k := range e.IdKeys {
		n += protowire.SizeTag(3) + protowire.SizeBytes(len(k))
	}
	for _, k := range e.DescriptionKeys {
		n += protowire.SizeTag(4) + protowire.SizeBytes(len(k))
	}
	return n
}

func sizeScope(s *commonpb.InstrumentationScope) int {
	return strSize(1, s.Name) + strSize(2, s.Version) + keyValuesSize(3, s.Attributes) +
		varintSize(4, uint64(s.DroppedAttributesCount))
}

func sizeSpan(s *tracepb.Span) int {
	if s == nil {
		return 0
	}
	n := bytesSize(1, s.TraceId) + bytesSize(2, s.SpanId) + strSize(3, s.TraceState) + bytesSize(4, s.ParentSpanId) +
		strSize(5, s.Name) + varintSize(6, uint64(int64(s.Kind))) +
		fixedSize(7, s.StartTimeUnixNano != 0, 8) + fixedSize(8, s.EndTimeUnixNano != 0, 8) +
		keyValuesSize(9, s.Attributes) + varintSize(10, uint64(s.DroppedAttributesCount)) +
		varintSize(12, uint64(s.DroppedEventsCount)) + varintSize(14, uint64(s.DroppedLinksCount)) +
		fixedSize(16, s.Flags != 0, 4)
	for _, e := range s.Events {
		n += msgFieldSize(11, sizeEvent(e))
	}
	for _, l := range s.Links {
		n += msgFieldSize(13, sizeLink(l))
	}
	if s.Status != nil {
		n += msgFieldSize(15, sizeStatus(s.Status))
	}
	return n
}

func sizeStatus(s *tracepb.Status) int {
	return strSize(2, s.Message) + varintSize(3, uint64(int64(s.Code)))
}

func sizeEvent(e *tracepb.Span_Event) int {
	if e == nil {
		return 0
	}
	return fixedSize(1, e.TimeUnixNano != 0, 8) + strSize(2, e.Name) + keyValuesSize(3, e.Attributes) +
		varintSize(4, uint64(e.DroppedAttributesCount))
}

func sizeLink(l *tracepb.Span_Link) int {
	if l == nil {
		return 0
	}
	return bytesSize(1, l.TraceId) + bytesSize(2, l.SpanId) + strSize(3, l.TraceState) +
		keyValuesSize(4, l.Attributes) + varintSize(5, uint64(l.DroppedAttributesCount)) + fixedSize(6, l.Flags != 0, 4)
}

func sizeKeyValue(kv *commonpb.KeyValue) int {
	if kv == nil {
		return 0
	}
	n := strSize(1, kv.Key) + varintSize(3, uint64(int64(kv.KeyStrindex)))
	if kv.Value != nil {
		n += msgFieldSize(2, sizeAnyValue(kv.Value))
	}
	return n
}

func sizeAnyValue(v *commonpb.AnyValue) int {
	if v == nil {
		return 0
	}
	switch x := v.Value.(type) {
	case *commonpb.AnyValue_StringValue:
		return 1 + protowire.SizeBytes(len(x.StringValue))
	case *commonpb.AnyValue_BoolValue:
		return 2
	case *commonpb.AnyValue_IntValue:
		return 1 + protowire.SizeVarint(uint64(x.IntValue))
	case *commonpb.AnyValue_DoubleValue:
		return 1 + 8
	case *commonpb.AnyValue_ArrayValue:
		return msgFieldSize(5, sizeArray(x.ArrayValue))
	case *commonpb.AnyValue_KvlistValue:
		return msgFieldSize(6, sizeKvlist(x.KvlistValue))
	case *commonpb.AnyValue_BytesValue:
		return 1 + protowire.SizeBytes(len(x.BytesValue))
	case *commonpb.AnyValue_StringValueStrindex:
		return 1 + protowire.SizeVarint(uint64(int64(x.StringValueStrindex)))
	}
	return 0
}

func sizeArray(a *commonpb.ArrayValue) int {
	if a == nil {
		return 0
	}
	n := 0
	for _, e := range a.Values {
		n += msgFieldSize(1, sizeAnyValue(e))
	}
	return n
}

func sizeKvlist(l *commonpb.KeyValueList) int {
	if l == nil {
		return 0
	}
	return keyValuesSize(1, l.Values)
}
