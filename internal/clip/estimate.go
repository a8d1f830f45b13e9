package clip

import (
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// EstimateSize returns an upper bound of the encoded size of s within a
// ScopeSpans, its tag and length prefix included, without the reflection
// that proto.Size costs. Each field is counted with the largest tag and
// length prefix it can have.
func EstimateSize(s *tracepb.Span) int {
	n := 6 + 18 + 10 + 10 + 18 + 6 + len(s.GetName()) + 2 + 2*9 + 6 + len(s.GetTraceState()) + 6
	n += attrsSize(s.GetAttributes())
	for _, ev := range s.GetEvents() {
		n += 6 + 9 + 6 + len(ev.GetName()) + attrsSize(ev.GetAttributes())
	}
	for _, l := range s.GetLinks() {
		n += 6 + 18 + 10 + 6 + len(l.GetTraceState()) + attrsSize(l.GetAttributes()) + 12
	}
	if st := s.GetStatus(); st != nil {
		n += 6 + 6 + len(st.GetMessage()) + 2
	}
	return n
}

func attrsSize(kvs []*commonpb.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		// KeyValue, key and AnyValue headers, then the value.
		n += 6 + 6 + len(kv.GetKey()) + 6 + valueSize(kv.GetValue())
	}
	return n
}

func valueSize(v *commonpb.AnyValue) int {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return 6 + len(x.StringValue)
	case *commonpb.AnyValue_BytesValue:
		return 6 + len(x.BytesValue)
	case *commonpb.AnyValue_ArrayValue:
		n := 6
		for _, e := range x.ArrayValue.GetValues() {
			n += 6 + valueSize(e)
		}
		return n
	case *commonpb.AnyValue_KvlistValue:
		return 6 + attrsSize(x.KvlistValue.GetValues())
	}
	return 11 // a varint or fixed64 and its tag
}
