package jaegertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Span is one span as Jaeger's query API returns it, decoded from OTLP/JSON.
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

// Trace fetches the trace with the given id (32 hex digits) from
// /api/v3/traces/{id}, polling until it holds at least minSpans spans or ctx
// is done; without a deadline on ctx, it gives up after
// [DefaultTraceTimeout]. On timeout it returns the spans seen last with an
// error that says what was last seen.
func (j *Jaeger) Trace(ctx context.Context, traceID string, minSpans int) ([]Span, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTraceTimeout)
		defer cancel()
	}
	url := j.QueryURL() + "/api/v3/traces/" + traceID
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last []Span
	var lastErr error
	for {
		got, err := j.fetch(ctx, url)
		if err == nil && len(got) >= minSpans {
			return got, nil
		}
		switch {
		case err == nil:
			last, lastErr = got, fmt.Errorf("%d spans, want at least %d", len(got), minSpans)
		case ctx.Err() == nil || lastErr == nil:
			lastErr = err // keep what the last complete answer said
		}
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("jaegertest: trace %s: %w (last: %v)", traceID, ctx.Err(), lastErr)
		case <-tick.C:
		}
	}
}

// errNotFound is returned by fetch while Jaeger has not stored the trace yet.
type errNotFound struct{ body string }

func (e errNotFound) Error() string { return "not found: " + e.body }

func (j *Jaeger) fetch(ctx context.Context, url string) ([]Span, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := j.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, errNotFound{strings.TrimSpace(string(body))}
	default:
		return nil, fmt.Errorf("GET %s: %s: %s", url, resp.Status, bytes.TrimSpace(body))
	}
	return decodeTraces(body)
}

// The OTLP/JSON shape of Jaeger's api_v3 answers: {"result": TracesData}.
// Jaeger writes it with gogo jsonpb, so int64 values are strings and enums
// are numbers; both forms are accepted.
type (
	apiResponse struct {
		Result struct {
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
		} `json:"result"`
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
	var r apiResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decoding api_v3 trace: %w", err)
	}
	var out []Span
	for _, rs := range r.Result.ResourceSpans {
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
