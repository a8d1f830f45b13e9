package otlpexport

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// randWire builds random OTLP messages with every field of every message
// the exporter encodes, zero values and empty strings included.
type randWire struct{ r *rand.Rand }

func (g randWire) str() string {
	switch g.r.IntN(5) {
	case 0:
		return ""
	case 1:
		return "é中🙂"
	case 2:
		b := make([]byte, 130+g.r.IntN(300)) // a length prefix of two bytes
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		return string(b)
	}
	return "k" + string(rune('a'+g.r.IntN(26)))
}

func (g randWire) bytes() []byte {
	if g.r.IntN(3) == 0 {
		return nil
	}
	b := make([]byte, 8+g.r.IntN(9))
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

func (g randWire) u32() uint32 {
	if g.r.IntN(2) == 0 {
		return 0
	}
	return g.r.Uint32()
}

func (g randWire) u64() uint64 {
	if g.r.IntN(2) == 0 {
		return 0
	}
	return g.r.Uint64()
}

func (g randWire) i32() int32 {
	switch g.r.IntN(3) {
	case 0:
		return 0
	case 1:
		return -int32(g.r.IntN(1000)) - 1
	}
	return int32(g.r.IntN(1 << 20))
}

func (g randWire) anyValue(depth int) *commonpb.AnyValue {
	v := &commonpb.AnyValue{}
	n := 9
	if depth > 2 {
		n = 5
	}
	switch g.r.IntN(n) {
	case 0:
		v.Value = &commonpb.AnyValue_StringValue{StringValue: g.str()}
	case 1:
		v.Value = &commonpb.AnyValue_BoolValue{BoolValue: g.r.IntN(2) == 0}
	case 2:
		v.Value = &commonpb.AnyValue_IntValue{IntValue: int64(g.r.Uint64())}
	case 3:
		v.Value = &commonpb.AnyValue_DoubleValue{DoubleValue: []float64{0, -1.5, math.Inf(1), math.NaN()}[g.r.IntN(4)]}
	case 4:
		// no value set
	case 5:
		a := &commonpb.ArrayValue{}
		for range g.r.IntN(4) {
			a.Values = append(a.Values, g.anyValue(depth+1))
		}
		v.Value = &commonpb.AnyValue_ArrayValue{ArrayValue: a}
	case 6:
		v.Value = &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: g.keyValues(depth + 1)}}
	case 7:
		v.Value = &commonpb.AnyValue_BytesValue{BytesValue: g.bytes()}
	case 8:
		v.Value = &commonpb.AnyValue_StringValueStrindex{StringValueStrindex: g.i32()}
	}
	return v
}

func (g randWire) keyValues(depth int) []*commonpb.KeyValue {
	var kvs []*commonpb.KeyValue
	for range g.r.IntN(5) {
		kv := &commonpb.KeyValue{Key: g.str(), KeyStrindex: g.i32()}
		if g.r.IntN(6) > 0 {
			kv.Value = g.anyValue(depth)
		}
		kvs = append(kvs, kv)
	}
	return kvs
}

func (g randWire) span() *tracepb.Span {
	s := &tracepb.Span{
		TraceId: g.bytes(), SpanId: g.bytes(), TraceState: g.str(), ParentSpanId: g.bytes(), Flags: g.u32(),
		Name: g.str(), Kind: tracepb.Span_SpanKind(g.r.IntN(6)), StartTimeUnixNano: g.u64(), EndTimeUnixNano: g.u64(),
		Attributes: g.keyValues(0), DroppedAttributesCount: g.u32(), DroppedEventsCount: g.u32(), DroppedLinksCount: g.u32(),
	}
	for range g.r.IntN(3) {
		s.Events = append(s.Events, &tracepb.Span_Event{TimeUnixNano: g.u64(), Name: g.str(), Attributes: g.keyValues(0),
			DroppedAttributesCount: g.u32()})
	}
	for range g.r.IntN(3) {
		s.Links = append(s.Links, &tracepb.Span_Link{TraceId: g.bytes(), SpanId: g.bytes(), TraceState: g.str(),
			Attributes: g.keyValues(0), DroppedAttributesCount: g.u32(), Flags: g.u32()})
	}
	if g.r.IntN(3) > 0 {
		s.Status = &tracepb.Status{Message: g.str(), Code: tracepb.Status_StatusCode(g.r.IntN(3))}
	}
	return s
}

func (g randWire) resource() *resourcepb.Resource {
	if g.r.IntN(5) == 0 {
		return nil
	}
	r := &resourcepb.Resource{Attributes: g.keyValues(0), DroppedAttributesCount: g.u32()}
	for range g.r.IntN(2) {
		r.EntityRefs = append(r.EntityRefs, &commonpb.EntityRef{SchemaUrl: g.str(), Type: g.str(),
			IdKeys: []string{g.str(), "id"}, DescriptionKeys: []string{g.str()}})
	}
	return r
}

func (g randWire) scope() *commonpb.InstrumentationScope {
	if g.r.IntN(5) == 0 {
		return nil
	}
	return &commonpb.InstrumentationScope{Name: g.str(), Version: g.str(), Attributes: g.keyValues(0),
		DroppedAttributesCount: g.u32()}
}

// encodeWire encodes a request as the exporter does.
func encodeWire(t *testing.T, res *resourcepb.Resource, scope *commonpb.InstrumentationScope, spans []*tracepb.Span) []byte {
	t.Helper()
	sizes := make([]int, len(spans))
	for i, s := range spans {
		sizes[i] = sizeSpan(s)
	}
	b, err := wireRequest([]byte("prefix"), res, scope, spans, sizes)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("prefix")) {
		t.Fatal("wireRequest did not append")
	}
	return b[len("prefix"):]
}

// TestWireMatchesProtoMarshal checks that the exporter's encoder writes the
// same bytes as proto.Marshal for random requests using every field.
func TestWireMatchesProtoMarshal(t *testing.T) {
	g := randWire{rand.New(rand.NewPCG(1, 2))}
	for i := range 2000 {
		res, scope := g.resource(), g.scope()
		var spans []*tracepb.Span
		for range g.r.IntN(4) {
			spans = append(spans, g.span())
		}
		req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
			Resource: res, ScopeSpans: []*tracepb.ScopeSpans{{Scope: scope, Spans: spans}},
		}}}
		want, err := proto.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		got := encodeWire(t, res, scope, spans)
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d: encoding differs from proto.Marshal\ngot  %x\nwant %x\nrequest %v", i, got, want, req)
		}
		var back coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(got, &back); err != nil || !proto.Equal(&back, req) {
			t.Fatalf("case %d: does not decode to the request (%v)", i, err)
		}
	}
}

// TestWireInvalidUTF8 checks that a string that is not valid UTF-8 fails the
// encoding, as it fails proto.Marshal, wherever it is.
func TestWireInvalidUTF8(t *testing.T) {
	bad := "ok\xffno"
	cases := map[string]*tracepb.Span{
		"name":      {Name: bad},
		"attribute": {Attributes: []*commonpb.KeyValue{{Key: "k", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: bad}}}}},
		"key":       {Attributes: []*commonpb.KeyValue{{Key: bad}}},
		"status":    {Status: &tracepb.Status{Message: bad}},
		"event":     {Events: []*tracepb.Span_Event{{Name: bad}}},
	}
	for name, s := range cases {
		req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
			ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{s}}}}}}
		if _, err := proto.Marshal(req); err == nil {
			t.Fatalf("%s: proto.Marshal accepted invalid UTF-8", name)
		}
		if _, err := wireRequest(nil, nil, nil, []*tracepb.Span{s}, []int{sizeSpan(s)}); err != errInvalidUTF8 {
			t.Errorf("%s: err = %v, want errInvalidUTF8", name, err)
		}
	}
}
