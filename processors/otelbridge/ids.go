package otelbridge

import (
	"context"
	"encoding/binary"
	"math/rand/v2"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// idsKey is the context key under which the bridge passes the ids of the
// span it is starting to the generator.
type idsKey struct{}

type agentIDs struct {
	trace trace.TraceID
	span  trace.SpanID
}

// IDGenerator returns an sdktrace.IDGenerator that gives the spans the
// bridge starts the OTel ids of their agent trace or span, and asks base for
// the ids of every other span. A nil base makes random ids, as the SDK's
// default generator does. Configure an SDK provider with it
// (sdktrace.WithIDGenerator) to keep the agent ids; see the package
// documentation.
func IDGenerator(base sdktrace.IDGenerator) sdktrace.IDGenerator {
	return &generator{base: base}
}

type generator struct{ base sdktrace.IDGenerator }

var _ sdktrace.IDGenerator = (*generator)(nil)

// NewIDs returns the agent ids in ctx, or new ones.
func (g *generator) NewIDs(ctx context.Context) (trace.TraceID, trace.SpanID) {
	if ids, ok := ctx.Value(idsKey{}).(agentIDs); ok {
		return ids.trace, ids.span
	}
	if g.base != nil {
		return g.base.NewIDs(ctx)
	}
	var tid trace.TraceID
	for !tid.IsValid() {
		binary.BigEndian.PutUint64(tid[:8], rand.Uint64())
		binary.BigEndian.PutUint64(tid[8:], rand.Uint64())
	}
	return tid, randomSpanID()
}

// NewSpanID returns the agent span id in ctx, when it belongs to traceID,
// or a new one.
func (g *generator) NewSpanID(ctx context.Context, traceID trace.TraceID) trace.SpanID {
	if ids, ok := ctx.Value(idsKey{}).(agentIDs); ok && ids.trace == traceID {
		return ids.span
	}
	if g.base != nil {
		return g.base.NewSpanID(ctx, traceID)
	}
	return randomSpanID()
}

func randomSpanID() trace.SpanID {
	var sid trace.SpanID
	for !sid.IsValid() {
		binary.BigEndian.PutUint64(sid[:], rand.Uint64())
	}
	return sid
}
