package otelbridge_test

import (
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/interoptest"
	"github.com/agenttrace/agenttrace-go/internal/otlptest"
)

// sink is an OTLP/HTTP receiver on 127.0.0.1 that decodes the protobuf
// requests it gets.
type sink struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*coltracepb.ExportTraceServiceRequest
}

func newSink(t *testing.T) *sink {
	t.Helper()
	s := &sink{}
	s.Server = httptest.NewServer(otlptest.Handler(func(_ *http.Request, req *coltracepb.ExportTraceServiceRequest) {
		s.mu.Lock()
		s.reqs = append(s.reqs, req)
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

// received is one span as decoded, with its scope's name.
type received struct {
	span  *tracepb.Span
	scope string
}

func (s *sink) spans() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []received
	for _, r := range s.reqs {
		for _, rs := range r.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				for _, ps := range ss.GetSpans() {
					out = append(out, received{span: ps, scope: ss.GetScope().GetName()})
				}
			}
		}
	}
	return out
}

// wire is what the comparison of the two paths looks at: everything the
// mapping decides.
type wire struct {
	Name, Kind, Scope         string
	TraceID, SpanID, ParentID string
	Flags                     uint32
	Start, End                time.Time
	Attrs                     map[string]any
	Events                    []wireEvent
	Status                    string
}

type wireEvent struct {
	Name  string
	Time  time.Time
	Attrs map[string]any
}

func toWire(r received) wire {
	ps := r.span
	w := wire{
		Name:     ps.GetName(),
		Kind:     strings.TrimPrefix(ps.GetKind().String(), "SPAN_KIND_"),
		Scope:    r.scope,
		TraceID:  hex.EncodeToString(ps.GetTraceId()),
		SpanID:   hex.EncodeToString(ps.GetSpanId()),
		ParentID: hex.EncodeToString(ps.GetParentSpanId()),
		Flags:    ps.GetFlags(),
		Start:    time.Unix(0, int64(ps.GetStartTimeUnixNano())).UTC(),
		End:      time.Unix(0, int64(ps.GetEndTimeUnixNano())).UTC(),
		Attrs:    attrMap(ps.GetAttributes()),
		Status:   ps.GetStatus().GetCode().String() + " " + ps.GetStatus().GetMessage(),
	}
	for _, ev := range ps.GetEvents() {
		w.Events = append(w.Events, wireEvent{
			Name: ev.GetName(), Time: time.Unix(0, int64(ev.GetTimeUnixNano())).UTC(), Attrs: attrMap(ev.GetAttributes()),
		})
	}
	return w
}

func toInterop(list []received) []interoptest.Span {
	out := make([]interoptest.Span, 0, len(list))
	for _, r := range list {
		w := toWire(r)
		out = append(out, interoptest.Span{Name: w.Name, Kind: w.Kind, TraceID: w.TraceID, SpanID: w.SpanID, ParentID: w.ParentID})
	}
	return out
}

func attrMap(kvs []*commonpb.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[kv.GetKey()] = value(kv.GetValue())
	}
	return m
}

func value(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_ArrayValue:
		var out []any
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, value(e))
		}
		return out
	}
	return v.String()
}
