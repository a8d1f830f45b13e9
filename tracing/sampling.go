package tracing

import (
	"encoding/binary"
	"math"

	"go.opentelemetry.io/otel/trace"
)

// samplingBound returns whether every trace is sampled at ratio and, if
// not, the bound below which a trace id is sampled, as OTel's
// TraceIDRatioBased computes it. A ratio of 1 or more, or NaN, samples
// everything; 0 or less, nothing.
func samplingBound(ratio float64) (all bool, bound uint64) {
	if ratio >= 1 || math.IsNaN(ratio) {
		return true, 0
	}
	if ratio <= 0 {
		return false, 0
	}
	return false, uint64(ratio * (1 << 63))
}

// sampled reports whether a trace with no OTel parent and the OTel trace id
// id is recorded. The decision reads bytes 8 to 15 of the id, as OTel's
// TraceIDRatioBased sampler does, so that services sampling at the same
// ratio with either library agree on every trace.
func (p *Provider) sampled(id trace.TraceID) bool {
	if p.sampleAll {
		return true
	}
	return binary.BigEndian.Uint64(id[8:16])>>1 < p.sampleBound
}
