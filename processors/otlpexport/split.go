package otlpexport

import (
	"github.com/agenttrace/agenttrace-go/internal/clip"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
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
		n := clip.EstimateSize(s)
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
