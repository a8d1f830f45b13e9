package openaiexport

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestBadValuesReplaced puts values with no JSON encoding (NaN, ±Inf, a
// channel, a function, a complex number, a cycle, a panicking MarshalJSON,
// a json.Number or a RawMessage too large for a float) into every free-form
// field: each bad value alone is replaced, by null or a short description,
// and every span is sent. The capture server decodes the body with
// encoding/json, which refuses 1e999, so no such number reaches it.
func TestBadValuesReplaced(t *testing.T) {
	cyclic := map[string]any{"name": "loop"}
	cyclic["self"] = cyclic
	type withFunc struct{ F func() }
	custom := map[string]any{
		"ch":     make(chan int),
		"cycle":  cyclic,
		"neg":    math.Inf(-1),
		"p":      panicky{},
		"nested": map[string]any{"list": []any{1, math.NaN(), "x"}},
		"num":    json.Number("12.5"),
		"big":    json.Number("1e999"),
		"notnum": json.Number("abc"),
		"raw":    json.RawMessage(`{"big":-1E+400,"ok":[1e3]}`),
		"struct": withFunc{},
		"ints":   map[int]float64{1: math.Inf(1), 2: 2},
	}
	wantCustom := map[string]any{
		"ch":     "<chan int: unsupported type>",
		"cycle":  map[string]any{"name": "loop", "self": "<map[string]interface {}: a cycle>"},
		"neg":    nil,
		"p":      "<openaiexport.panicky: panic: marshal exploded>",
		"nested": map[string]any{"list": []any{1.0, nil, "x"}},
		"num":    12.5,
		"big":    nil,
		"notnum": nil,
		"raw":    map[string]any{"big": nil, "ok": []any{1000.0}},
		"struct": "<openaiexport.withFunc: json: unsupported type: func()>",
		"ints":   map[string]any{"1": nil, "2": 2.0},
	}
	for _, rules := range []bool{false, true} {
		srv := newCapture(t)
		exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"), WithPayloadRules(rules))
		tp, rec := newProvider()
		ctx, tr := tp.StartTrace(context.Background(), "w",
			tracing.WithMetadata(map[string]any{"ok": 1, "nan": math.NaN()}))
		end := func(d spans.Data, opts ...tracing.SpanOption) *tracing.Span {
			_, sp := tracing.StartSpan(ctx, d, opts...)
			return sp
		}
		end(&spans.Custom{Name: "c", Data: custom},
			tracing.WithSpanMetadata(map[string]any{"inf": math.Inf(1), "n": json.Number("1e999"), "fine": "x"})).End()
		end(&spans.Generation{Model: "m", ModelConfig: map[string]any{"temperature": math.NaN(), "max_tokens": 100,
			"top_p": float32(math.Inf(1))}}).End()
		fn := end(&spans.Function{Name: "f", MCPData: map[string]any{"z": complex(1, 2), "server": "s"}})
		fn.SetError(&tracing.SpanError{Message: "failed", Data: map[string]any{"f": func() {}, "code": 7}})
		fn.End()
		// Only a number too large for a float: the value encodes, and the
		// number must still not reach the wire.
		end(&spans.Prompt{Name: "p", Variables: map[string]any{"x": json.RawMessage(`[1e400]`), "y": "ok"}}).End()
		end(&spans.Retriever{Name: "r", Documents: []spans.Document{{ID: "d", Content: "text",
			Metadata: map[string]any{"score": json.Number("1e999"), "src": "kb"}}}}).End()
		tr.End()

		if err := exp.Export(context.Background(), rec.Items()); err != nil {
			t.Fatalf("rules=%v: Export: %v", rules, err)
		}
		exp.Shutdown(context.Background())
		items := data(t, srv.requests()[0].Body)
		if len(items) != 6 {
			t.Fatalf("rules=%v: %d items sent, want the trace and 5 spans", rules, len(items))
		}
		obj := func(i int) map[string]any { return items[i].(map[string]any) }
		sd := func(i int) map[string]any { return obj(i)["span_data"].(map[string]any) }
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"trace metadata", obj(0)["metadata"], map[string]any{"ok": 1.0, "nan": nil}},
			{"custom data", sd(1)["data"], wantCustom},
			{"span metadata", obj(1)["metadata"], map[string]any{"inf": nil, "n": nil, "fine": "x"}},
			{"model config", sd(2)["model_config"], map[string]any{"temperature": nil, "max_tokens": 100.0, "top_p": nil}},
			{"mcp data", sd(3)["mcp_data"], map[string]any{"z": "<complex128: unsupported type>", "server": "s"}},
			{"error", obj(3)["error"], map[string]any{"message": "failed",
				"data": map[string]any{"f": "<func(): unsupported type>", "code": 7.0}}},
			{"prompt variables", sd(4)["data"].(map[string]any)["variables"], map[string]any{"x": []any{nil}, "y": "ok"}},
			{"document metadata", sd(5)["data"].(map[string]any)["documents"], []any{map[string]any{
				"id": "d", "content": "text", "metadata": map[string]any{"score": nil, "src": "kb"}}}},
		} {
			if diff := cmp.Diff(c.want, c.got); diff != "" {
				t.Errorf("rules=%v: %s (-want +got):\n%s", rules, c.what, diff)
			}
		}
	}
}

// TestCleanKeepsGoodValues checks that clean changes nothing that encodes:
// its result encodes as the value itself does.
func TestCleanKeepsGoodValues(t *testing.T) {
	type tagged struct {
		A int    `json:"a"`
		B string `json:"b,omitempty"`
	}
	shared := []any{1, 2}
	for _, v := range []any{
		nil, 1, -2.5, float32(0.1), "s", true, json.Number("1e300"), json.RawMessage(`{"x":[1,2]}`),
		map[string]any{"a": shared, "b": shared}, // shared, not a cycle
		[]byte("bytes"), [2]int{1, 2}, tagged{A: 1}, &tagged{B: "x"}, map[int]string{3: "c"},
		map[string]any{"deep": map[string]any{"deeper": []any{map[string]any{}}}},
	} {
		want, err := compact(v)
		if err != nil {
			t.Fatalf("%#v: %v", v, err)
		}
		got, err := compact(clean(v))
		if err != nil || string(got) != string(want) {
			t.Errorf("clean(%#v) encodes as %s (%v), want %s", v, got, err, want)
		}
	}
}

func TestHasBadNumber(t *testing.T) {
	for in, want := range map[string]bool{
		`1e999`: true, `-1E+400`: true, `[1,2e308]`: true, `{"a":"1e999"}`: false, `"\"1e999"`: false,
		`1e308`: false, `1e-999`: false, `0.5`: false, `{"a":[1,"x\",1e999"]}`: false,
		`{"a":"\\",  "b":1e400}`: true, `1000`: false,
	} {
		if got := hasBadNumber([]byte(in)); got != want {
			t.Errorf("hasBadNumber(%s) = %v, want %v", in, got, want)
		}
	}
	long := make([]byte, 310)
	for i := range long {
		long[i] = '9'
	}
	if !hasBadNumber(long) || hasBadNumber(long[:300]) {
		t.Errorf("a 310-digit integer overflows a float, a 300-digit one does not")
	}
}
