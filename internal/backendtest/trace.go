package backendtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Span is one span as the collector stored it, decoded from OTLP/JSON.
// Ids are lowercase hex; attribute values are string, bool, int64, float64,
// []any or map[string]any.
type Span struct {
	TraceID      string
	SpanID       string
	ParentSpanID string // empty for a root span
	Name         string
	Kind         string // "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER" or "UNSPECIFIED"
	Start, End   time.Time
	Attributes   map[string]any
	Events       []Event
	Status       Status
	Resource     map[string]any // attributes of the span's resource
	Scope        string         // instrumentation scope name
}

// Event is a span event.
type Event struct {
	Name       string
	Time       time.Time
	Attributes map[string]any
}

// Status is a span status; Code is "UNSET", "OK" or "ERROR".
type Status struct {
	Code    string
	Message string
}

// Trace reads the spans of the trace with the given id (32 hex digits) from
// what the collector stored, polling until it holds at least minSpans spans
// or ctx is done; without a deadline on ctx, it gives up after
// [DefaultTraceTimeout]. Spans come in the order the collector received
// them. On timeout it returns the spans seen last with an error that says
// what was last seen.
func (b *Backend) Trace(ctx context.Context, traceID string, minSpans int) ([]Span, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTraceTimeout)
		defer cancel()
	}
	traceID = strings.ToLower(traceID)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last []Span
	var lastErr error
	for {
		got, total, err := b.read(traceID)
		switch {
		case err != nil:
			lastErr = err
		case len(got) >= minSpans:
			return got, nil
		case len(got) == 0:
			last, lastErr = nil, fmt.Errorf("not found: no span of it among %d received", total)
		default:
			last, lastErr = got, fmt.Errorf("%d spans, want at least %d", len(got), minSpans)
		}
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("backendtest: trace %s: %w (last: %v)", traceID, ctx.Err(), lastErr)
		case <-tick.C:
		}
	}
}

// read returns the spans of traceID in the data file and how many spans the
// file holds in all. A missing file holds none; a last line not yet complete
// is left for the next read.
func (b *Backend) read(traceID string) ([]Span, int, error) {
	data, err := os.ReadFile(b.dataPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	} else {
		data = nil
	}
	var out []Span
	total := 0
	for n, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		list, err := decodeTraces(line)
		if err != nil {
			return nil, 0, fmt.Errorf("%s line %d: %w", b.dataPath, n+1, err)
		}
		total += len(list)
		for _, s := range list {
			if s.TraceID == traceID {
				out = append(out, s)
			}
		}
	}
	return out, total, nil
}

// The OTLP/JSON shape of a TracesData message, as the collector's file
// exporter writes it (hex ids, numeric enums, int64 values as strings); the
// proto3 JSON mapping (base64 ids, enum names, int64 as numbers) is accepted
// too.
type (
	tracesData struct {
		ResourceSpans []struct {
			Resource struct {
				Attributes []keyValue `json:"attributes"`
			} `json:"resource"`
			ScopeSpans []struct {
				Scope struct {
					Name string `json:"name"`
				} `json:"scope"`
				Spans []jsonSpan `json:"spans"`
			} `json:"scopeSpans"`
		} `json:"resourceSpans"`
	}
	jsonSpan struct {
		TraceID           string          `json:"traceId"`
		SpanID            string          `json:"spanId"`
		ParentSpanID      string          `json:"parentSpanId"`
		Name              string          `json:"name"`
		Kind              json.RawMessage `json:"kind"`
		StartTimeUnixNano json.RawMessage `json:"startTimeUnixNano"`
		EndTimeUnixNano   json.RawMessage `json:"endTimeUnixNano"`
		Attributes        []keyValue      `json:"attributes"`
		Events            []struct {
			TimeUnixNano json.RawMessage `json:"timeUnixNano"`
			Name         string          `json:"name"`
			Attributes   []keyValue      `json:"attributes"`
		} `json:"events"`
		Status struct {
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
		} `json:"status"`
	}
	keyValue struct {
		Key   string   `json:"key"`
		Value anyValue `json:"value"`
	}
	anyValue struct {
		StringValue *string         `json:"stringValue"`
		BoolValue   *bool           `json:"boolValue"`
		IntValue    json.RawMessage `json:"intValue"`
		DoubleValue json.RawMessage `json:"doubleValue"`
		BytesValue  *string         `json:"bytesValue"`
		ArrayValue  *struct {
			Values []anyValue `json:"values"`
		} `json:"arrayValue"`
		KvlistValue *struct {
			Values []keyValue `json:"values"`
		} `json:"kvlistValue"`
	}
)

func decodeTraces(body []byte) ([]Span, error) {
	var r tracesData
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decoding OTLP/JSON traces: %w", err)
	}
	var out []Span
	for _, rs := range r.ResourceSpans {
		res := attrMap(rs.Resource.Attributes)
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				sp := Span{
					TraceID:      normID(s.TraceID),
					SpanID:       normID(s.SpanID),
					ParentSpanID: normID(s.ParentSpanID),
					Name:         s.Name,
					Kind:         enumName(s.Kind, "SPAN_KIND_", spanKinds),
					Start:        unixNano(s.StartTimeUnixNano),
					End:          unixNano(s.EndTimeUnixNano),
					Attributes:   attrMap(s.Attributes),
					Status:       Status{Code: enumName(s.Status.Code, "STATUS_CODE_", statusCodes), Message: s.Status.Message},
					Resource:     res,
					Scope:        ss.Scope.Name,
				}
				for _, e := range s.Events {
					sp.Events = append(sp.Events, Event{Name: e.Name, Time: unixNano(e.TimeUnixNano), Attributes: attrMap(e.Attributes)})
				}
				out = append(out, sp)
			}
		}
	}
	return out, nil
}

var (
	spanKinds   = []string{"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"}
	statusCodes = []string{"UNSET", "OK", "ERROR"}
)

// enumName turns an OTLP/JSON enum, a number or a prefixed name, into its
// short name; a missing value is the zero value.
func enumName(raw json.RawMessage, prefix string, names []string) string {
	if len(raw) == 0 || string(raw) == "null" {
		return names[0]
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimPrefix(s, prefix)
	}
	var n int
	if json.Unmarshal(raw, &n) == nil && n >= 0 && n < len(names) {
		return names[n]
	}
	return string(raw)
}

// normID returns an id as lowercase hex, accepting hex or base64 input.
func normID(s string) string {
	if s == "" {
		return ""
	}
	if _, err := hex.DecodeString(s); err == nil && (len(s) == 16 || len(s) == 32) {
		return strings.ToLower(s)
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return hex.EncodeToString(b)
	}
	return s
}

// jsonInt decodes an int64 written as a JSON number or string.
func jsonInt(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func unixNano(raw json.RawMessage) time.Time {
	n, ok := jsonInt(raw)
	if !ok || n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func attrMap(kvs []keyValue) map[string]any {
	if len(kvs) == 0 {
		return nil
	}
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value.value()
	}
	return m
}

func (v anyValue) value() any {
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.BoolValue != nil:
		return *v.BoolValue
	case len(v.IntValue) > 0:
		n, _ := jsonInt(v.IntValue)
		return n
	case len(v.DoubleValue) > 0:
		f, _ := strconv.ParseFloat(strings.Trim(string(v.DoubleValue), `"`), 64)
		return f
	case v.BytesValue != nil:
		b, _ := base64.StdEncoding.DecodeString(*v.BytesValue)
		return b
	case v.ArrayValue != nil:
		out := make([]any, len(v.ArrayValue.Values))
		for i, e := range v.ArrayValue.Values {
			out[i] = e.value()
		}
		return out
	case v.KvlistValue != nil:
		m := attrMap(v.KvlistValue.Values)
		if m == nil {
			m = map[string]any{}
		}
		return m
	}
	return nil
}
