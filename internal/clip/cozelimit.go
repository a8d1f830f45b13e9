package clip

import (
	"bytes"
	"encoding/json"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// CozeMaxSpanJSON is Coze Loop's limit on one span's JSON form: a span over
// it is rejected after the server has answered success.
const CozeMaxSpanJSON = 10 << 20

// Upper bounds of the JSON that surrounds strings in a span's JSON form
// (protojson's, with room for Coze Loop's own span format).
const (
	// spanJSONOverhead: ids, times, kind, flags, status and field names.
	spanJSONOverhead = 512
	// attrJSONOverhead: {"key":"","value":{"stringValue":""}} and a comma.
	attrJSONOverhead = 64
	// scalarJSONCost: an int (a quoted decimal in protojson), a double or a
	// boolean.
	scalarJSONCost = 32
	// eventJSONOverhead: an event's time, name and field names.
	eventJSONOverhead = 128
)

// FitSpanJSON brings the span's JSON form (as SpanJSONCost estimates it,
// escapes counted) within limit by clipping its content attributes (the
// string values longer than MaxValue: inputs, outputs and their
// twins) further, each twin to the same text. It reports false when the
// span cannot fit (its other attributes alone exceed the limit).
func FitSpanJSON(ps *tracepb.Span, limit int) bool {
	// Every character costs at most 6 bytes of JSON: most spans are far
	// from the limit and need no exact count.
	if 6*EstimateSize(ps)+attrJSONOverhead*countAttrs(ps)+spanJSONOverhead <= limit {
		return true
	}
	for range 4 {
		total := SpanJSONCost(ps)
		if total <= limit {
			return true
		}
		groups := contentGroups(ps)
		fixed := total
		maxCost := 0
		for _, g := range groups {
			fixed -= len(g.vals) * g.cost
			maxCost = max(maxCost, g.cost)
		}
		if len(groups) == 0 || fixed >= limit {
			return false
		}
		// The largest cap c (span JSON bytes per value) that fits.
		fits := func(c int) bool {
			n := fixed
			for _, g := range groups {
				n += len(g.vals) * min(g.cost, c)
			}
			return n <= limit
		}
		lo, hi := 0, maxCost
		for lo < hi {
			mid := lo + (hi-lo+1)/2
			if fits(mid) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		for _, g := range groups {
			if g.cost <= lo {
				continue
			}
			s := clipSpanContent(g.vals[0].StringValue, lo)
			for _, v := range g.vals {
				v.StringValue = s
			}
		}
	}
	return SpanJSONCost(ps) <= limit
}

// contentGroup is one content text and the attribute values that hold it.
type contentGroup struct {
	vals []*commonpb.AnyValue_StringValue
	cost int
}

// contentGroups returns the span's content texts, each with every value
// holding the same text (input.value and cozeloop.input, say).
func contentGroups(ps *tracepb.Span) []contentGroup {
	var groups []contentGroup
	for _, kv := range ps.GetAttributes() {
		sv, ok := kv.GetValue().GetValue().(*commonpb.AnyValue_StringValue)
		if !ok || len(sv.StringValue) <= MaxValue {
			continue
		}
		found := false
		for i := range groups {
			// Twins share their text, so this compares pointers first.
			if groups[i].vals[0].StringValue == sv.StringValue {
				groups[i].vals = append(groups[i].vals, sv)
				found = true
				break
			}
		}
		if !found {
			groups = append(groups, contentGroup{vals: []*commonpb.AnyValue_StringValue{sv}, cost: strCost(sv.StringValue, &spanCost)})
		}
	}
	return groups
}

// clipSpanContent cuts a content text so that it costs at most c bytes in
// the span's JSON: JSON text stays valid JSON (see clipJSONCost), plain text
// is cut on a rune boundary.
func clipSpanContent(s string, c int) string {
	if t := bytes.TrimSpace([]byte(s[:min(len(s), 64)])); len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid([]byte(s)) {
		return clipJSONCost(s, c, &doubleCost)
	}
	return cutCost(s, c, &spanCost)
}

func countAttrs(ps *tracepb.Span) int {
	n := len(ps.GetAttributes())
	for _, ev := range ps.GetEvents() {
		n += 1 + len(ev.GetAttributes())
	}
	for _, l := range ps.GetLinks() {
		n += 1 + len(l.GetAttributes())
	}
	return n
}

// SpanJSONCost returns an upper bound of the size of the span's JSON form,
// its strings' escapes counted as encoding/json with HTML escaping writes
// them (see spanCost).
func SpanJSONCost(ps *tracepb.Span) int {
	n := spanJSONOverhead + strCost(ps.GetName(), &spanCost) + strCost(ps.GetTraceState(), &spanCost) +
		strCost(ps.GetStatus().GetMessage(), &spanCost) + attrsJSONCost(ps.GetAttributes())
	for _, ev := range ps.GetEvents() {
		n += eventJSONOverhead + strCost(ev.GetName(), &spanCost) + attrsJSONCost(ev.GetAttributes())
	}
	for _, l := range ps.GetLinks() {
		n += eventJSONOverhead + strCost(l.GetTraceState(), &spanCost) + attrsJSONCost(l.GetAttributes())
	}
	return n
}

func attrsJSONCost(kvs []*commonpb.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		n += attrJSONOverhead + strCost(kv.GetKey(), &spanCost) + valueJSONCost(kv.GetValue())
	}
	return n
}

func valueJSONCost(v *commonpb.AnyValue) int {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return strCost(x.StringValue, &spanCost)
	case *commonpb.AnyValue_BytesValue:
		return scalarJSONCost + (len(x.BytesValue)+2)/3*4 // base64
	case *commonpb.AnyValue_ArrayValue:
		n := scalarJSONCost
		for _, e := range x.ArrayValue.GetValues() {
			n += scalarJSONCost + valueJSONCost(e)
		}
		return n
	case *commonpb.AnyValue_KvlistValue:
		return scalarJSONCost + attrsJSONCost(x.KvlistValue.GetValues())
	}
	return scalarJSONCost
}
