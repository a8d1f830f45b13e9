package otlpexport

import (
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// request is the spans of one request, with the encoded size of each
// (sizeSpan).
type request struct {
	spans []*tracepb.Span
	sizes []int
}

// overhead is the size of a request without its spans, with room for the
// length prefixes of the two enclosing messages to grow up to 5 bytes each
// when the spans are added.
func overhead(res *resourcepb.Resource, scope *commonpb.InstrumentationScope) int {
	n := 0
	if res != nil {
		n += msgFieldSize(1, sizeResource(res))
	}
	if scope != nil {
		n += msgFieldSize(1, msgFieldSize(1, sizeScope(scope)))
	}
	return n + 16
}

// split groups spans into requests whose encoded size stays within limit,
// measuring each span once. A span that alone does not fit is left out and
// counted.
func split(spans []*tracepb.Span, limit, overhead int) (reqs []request, tooLarge int) {
	sizes := make([]int, len(spans))
	kept := make([]*tracepb.Span, 0, len(spans))
	start, size := 0, overhead
	cur := request{}
	for _, s := range spans {
		body := sizeSpan(s)
		n := msgFieldSize(2, body)
		if overhead+n > limit {
			tooLarge++
			continue
		}
		if size+n > limit && len(cur.spans) > 0 {
			reqs = append(reqs, cur)
			start, size = len(kept), overhead
		}
		kept = append(kept, s)
		sizes[len(kept)-1] = body
		cur = request{spans: kept[start:len(kept):len(kept)], sizes: sizes[start:len(kept):len(kept)]}
		size += n
	}
	if len(cur.spans) > 0 {
		reqs = append(reqs, cur)
	}
	return reqs, tooLarge
}
