package otlpexport

import (
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// overhead is the size of a request without its spans.
func (e *Exporter) overhead() int {
	req := &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource:   e.resource,
		ScopeSpans: []*tracepb.ScopeSpans{{Scope: e.scope}},
	}}}
	// Room for the length prefixes of the two enclosing messages to grow
	// up to 5 bytes each when the spans are added.
	return proto.Size(req) + 16
}

// split groups spans into requests whose encoded size stays within limit.
// A span that alone does not fit is left out and counted.
func split(spans []*tracepb.Span, limit, overhead int) (chunks [][]*tracepb.Span, tooLarge int) {
	size := overhead
	var cur []*tracepb.Span
	for _, s := range spans {
		// An upper bound, cheap to compute, is enough unless it says the
		// span is too large alone: then measure it exactly.
		n := estimateSize(s)
		if overhead+n > limit {
			n = proto.Size(s)
			n += 1 + varintLen(n) // field tag and length prefix
			if overhead+n > limit {
				tooLarge++
				continue
			}
		}
		if size+n > limit && len(cur) > 0 {
			chunks = append(chunks, cur)
			cur, size = nil, overhead
		}
		cur = append(cur, s)
		size += n
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks, tooLarge
}

func varintLen(n int) int {
	l := 1
	for n >= 0x80 {
		n >>= 7
		l++
	}
	return l
}

// estimateSize returns an upper bound of the encoded size of s within a
// ScopeSpans, its tag and length prefix included, without the reflection
// that proto.Size costs. Each field is counted with the largest tag and
// length prefix it can have.
func estimateSize(s *tracepb.Span) int {
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
