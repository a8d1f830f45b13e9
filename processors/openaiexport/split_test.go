package openaiexport

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// itemCounts returns how many items each request carried.
func itemCounts(t *testing.T, reqs []request) []int {
	t.Helper()
	var n []int
	for _, r := range reqs {
		n = append(n, len(data(t, r.Body)))
	}
	return n
}

// TestBatcherFillsRequests runs the exporter behind a default Batcher: 100
// traces of one span each queue 300 items, of which 200 are sent (trace
// ends are not). Only what is sent counts toward the 128 items of a
// request, as in the Python SDK, which never queues trace ends.
func TestBatcherFillsRequests(t *testing.T) {
	srv := newCapture(t)
	b := processors.NewBatcher(New(WithEndpoint(srv.URL()), WithAPIKey("k")), processors.WithScheduleDelay(time.Hour))
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(b))
	for range 100 {
		ctx, tr := tp.StartTrace(context.Background(), "w")
		_, sp := tracing.StartSpan(ctx, &spans.Custom{Name: "c"})
		sp.End()
		tr.End()
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := itemCounts(t, srv.requests()); !cmp.Equal(got, []int{128, 72}) {
		t.Errorf("items per request %v, want [128 72]", got)
	}
	if st := b.Stats(); st.Exported != 300 || st.DroppedTotal() != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestRequestsHoldAtMost128Items exports one batch of 301 items to send, as
// a processor with a larger batch gives: it goes out in requests of 128, in
// order.
func TestRequestsHoldAtMost128Items(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	for range 300 {
		_, sp := tracing.StartSpan(ctx, &spans.Custom{Name: "c"})
		sp.End()
	}
	tr.End()
	if err := exp.Export(context.Background(), rec.Items()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if got := itemCounts(t, reqs); !cmp.Equal(got, []int{128, 128, 45}) {
		t.Errorf("items per request %v, want [128 128 45]", got)
	}
	if got := ids(t, reqs[2].Body); got[len(got)-1] != fmt.Sprintf("span_%024x", 300) {
		t.Errorf("last item %s, want the last span", got[len(got)-1])
	}
}

// TestRequestSizeSplit sets a small request size: the batch is split into
// requests within it, none lost, and an item that alone exceeds it is
// dropped as too_large with the others delivered.
func TestRequestSizeSplit(t *testing.T) {
	const limit = 64 << 10
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"), WithMaxRequestSize(limit))
	defer exp.Shutdown(context.Background())
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	for range 10 {
		_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "f", Input: strings.Repeat("x", 20<<10)})
		sp.End()
	}
	_, big := tracing.StartSpan(ctx, &spans.Function{Name: "big", Input: strings.Repeat("y", limit)})
	big.End()
	tr.End()
	items := rec.Items()
	err := exp.Export(context.Background(), items)
	if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropTooLarge: 1}) {
		t.Errorf("Dropped = %v (err %v), want 1 too_large", got, err)
	}
	sent := 0
	for _, r := range srv.requests() {
		if len(r.Body) > limit {
			t.Errorf("a request of %d bytes, over %d", len(r.Body), limit)
		}
		sent += len(data(t, r.Body))
	}
	if n := len(srv.requests()); sent != 11 || n < 4 {
		t.Errorf("%d items in %d requests, want the trace and 10 spans in at least 4", sent, n)
	}
}

// TestEveryFieldClamped fills the fields the payload rules do not bound
// (agent and tool names, custom data, metadata, error message and data,
// model config, lists of names), and inputs and outputs, with over a limit
// each, to the OpenAI endpoint: each field arrives within its limit, and the
// request is the sum of the limits at most, not the sum of the fields.
// TestCustomEndpointFieldsClamped checks the other endpoint's limit.
func TestEveryFieldClamped(t *testing.T) {
	for _, tc := range []struct {
		rules bool
		field int
	}{{true, maxFieldBytes}} {
		big := strings.Repeat("long é\"value ", tc.field/13) // 1.15 times the field limit
		srv := newCapture(t)
		exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"), WithPayloadRules(tc.rules))
		tp, rec := newProvider()
		ctx, tr := tp.StartTrace(context.Background(), big, tracing.WithGroupID(big),
			tracing.WithMetadata(map[string]any{"k": big}))
		many := make([]string, tc.field/500) // names within their limit, a list over the field's
		for i := range many {
			many[i] = fmt.Sprintf("%0999d", i)
		}
		_, ag := tracing.StartSpan(ctx, &spans.Agent{Name: big, Tools: []string{big, big, "t"}, Handoffs: many, OutputType: big},
			tracing.WithSpanMetadata(map[string]any{"m": big}))
		ag.SetError(&tracing.SpanError{Message: big, Data: map[string]any{"d": big}})
		ag.End()
		_, cu := tracing.StartSpan(ctx, &spans.Custom{Name: big, Data: map[string]any{"a": big, "b": []any{big, 1}}})
		cu.End()
		_, ge := tracing.StartSpan(ctx, &spans.Generation{Model: big, ModelConfig: map[string]any{"c": big}})
		ge.End()
		_, fn := tracing.StartSpan(ctx, &spans.Function{Name: "f", Input: big, Output: big})
		fn.End()
		tr.End()
		if err := exp.Export(context.Background(), rec.Items()); err != nil {
			t.Fatalf("rules=%v: %v", tc.rules, err)
		}
		exp.Shutdown(context.Background())
		body := srv.requests()[0].Body
		if max := 4*maxNameBytes + 14*tc.field; len(body) > max {
			t.Errorf("rules=%v: request of %d bytes, over %d", tc.rules, len(body), max)
		}
		var items []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(jsonField(t, body, "data")), &items); err != nil {
			t.Fatal(err)
		}
		within := func(what string, raw json.RawMessage, limit int) {
			t.Helper()
			if len(raw) > limit {
				t.Errorf("rules=%v: %s is %d bytes, over %d", tc.rules, what, len(raw), limit)
			}
			if !strings.Contains(string(raw), truncSuffix) {
				t.Errorf("rules=%v: %s not marked truncated", tc.rules, what)
			}
		}
		within("workflow_name", items[0]["workflow_name"], maxNameBytes)
		within("group_id", items[0]["group_id"], maxNameBytes)
		within("trace metadata", items[0]["metadata"], tc.field)
		for i, fields := range []map[string]int{
			{"name": maxNameBytes, "tools": maxNameBytes * 3, "handoffs": tc.field, "output_type": maxNameBytes},
			{"name": maxNameBytes, "data": tc.field},
			{"model": maxNameBytes, "model_config": tc.field},
			{"input": tc.field, "output": tc.field},
		} {
			var sd map[string]json.RawMessage
			if err := json.Unmarshal(items[i+1]["span_data"], &sd); err != nil {
				t.Fatal(err)
			}
			for k, limit := range fields {
				within(k, sd[k], limit)
			}
		}
		within("span metadata", items[1]["metadata"], tc.field)
		var se map[string]json.RawMessage
		if err := json.Unmarshal(items[1]["error"], &se); err != nil {
			t.Fatal(err)
		}
		within("error message", se["message"], tc.field)
		within("error data", se["data"], tc.field)
	}
}

// TestCustomEndpointFieldsClamped sends fields over a MiB to a custom
// endpoint, which the payload rules do not apply to: they arrive clamped to
// 1 MiB (the same code clamps every field; TestEveryFieldClamped covers
// them all under the OpenAI limit).
func TestCustomEndpointFieldsClamped(t *testing.T) {
	big := strings.Repeat("long é\"value ", maxCustomFieldBytes/13) // 1.15 MiB
	items := exportOne(t, nil, func(ctx context.Context) {
		_, sp := tracing.StartSpan(ctx, &spans.Custom{Name: big, Data: map[string]any{"a": big}})
		sp.End()
		_, fn := tracing.StartSpan(ctx, &spans.Function{Name: "f", Input: big})
		fn.End()
	})
	for _, c := range []struct {
		what  string
		v     any
		limit int
	}{
		{"custom name", items[1].(map[string]any)["span_data"].(map[string]any)["name"], maxNameBytes},
		{"custom data", items[1].(map[string]any)["span_data"].(map[string]any)["data"], maxCustomFieldBytes},
		{"function input", items[2].(map[string]any)["span_data"].(map[string]any)["input"], maxCustomFieldBytes},
	} {
		b, err := compact(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > c.limit || len(b) < c.limit*9/10 || !strings.Contains(string(b), truncSuffix) {
			t.Errorf("%s: %d bytes, want a cut just within %d", c.what, len(b), c.limit)
		}
	}
}

// jsonField returns the raw JSON of one key of a JSON object.
func jsonField(t *testing.T, body []byte, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m[key]
}

// TestLongIDsClamped gives a trace and a span ids far over the limit: they
// are sent clamped, the same way everywhere (the child's parent id is its
// parent's clamped id), and two long ids that differ only at the end stay
// different.
func TestLongIDsClamped(t *testing.T) {
	long := strings.Repeat("span_", 1000)
	items := exportOne(t, nil, func(ctx context.Context) {
		pctx, parent := tracing.StartSpan(ctx, &spans.Custom{Name: "p"}, tracing.WithSpanID(long+"1"))
		_, child := tracing.StartSpan(pctx, &spans.Custom{Name: "c"})
		child.End()
		parent.End()
		_, other := tracing.StartSpan(ctx, &spans.Custom{Name: "o"}, tracing.WithSpanID(long+"2"))
		other.End()
	})
	child, parent, other := items[1].(map[string]any), items[2].(map[string]any), items[3].(map[string]any)
	id := parent["id"].(string)
	if len(id) > maxIDBytes || !strings.HasPrefix(id, "span_span_") {
		t.Errorf("clamped id %q (%d bytes)", id, len(id))
	}
	if child["parent_id"] != id {
		t.Errorf("child's parent_id %v, want %q", child["parent_id"], id)
	}
	if other["id"] == id {
		t.Errorf("two different ids clamped to the same %q", id)
	}
}
