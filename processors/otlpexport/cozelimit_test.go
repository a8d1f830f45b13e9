package otlpexport

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
)

// cozeSink returns a sink and an exporter in Coze Loop mode pointed at it.
func cozeSink(t *testing.T, opts ...Option) (*sink, *Exporter) {
	t.Helper()
	s := newSink(t, nil)
	exp, err := New(append([]Option{WithCozeLoop("1", "pat_x"), WithCozeLoopBaseURL(s.URL), WithoutRetry()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { exp.Shutdown(context.Background()) })
	return s, exp
}

// TestSpanOverCozeJSONLimitClipped checks Coze Loop's 10 MiB per-span JSON
// limit: a tool span of escape-heavy text (each control byte is 6 bytes of
// JSON) is clipped further so that its JSON fits, and still carries its
// input and output: under the Coze Loop profile once, under every family
// the same text in both input keys.
func TestSpanOverCozeJSONLimitClipped(t *testing.T) {
	for _, p := range []Profile{0, ProfileAll} {
		s, exp := cozeSink(t, WithAttributes(p))
		ctl := strings.Repeat("\x01\x02", 1<<20)
		jsonCtl, _ := clip.MarshalNoEscape(map[string]string{"blob": ctl})
		items := recordItems(&spans.Function{Name: "dump", Input: string(jsonCtl), Output: ctl}, nil, nil)
		if err := exp.Export(context.Background(), items); err != nil {
			t.Fatal(err)
		}
		got := s.spans()
		if len(got) != 2 {
			t.Fatalf("received %d spans", len(got))
		}
		for _, ps := range got {
			b, _ := protojson.Marshal(ps)
			if len(b) > clip.CozeMaxSpanJSON {
				t.Errorf("span %q sent to Coze Loop with %d bytes of JSON (limit %d)", ps.GetName(), len(b), clip.CozeMaxSpanJSON)
			}
		}
		a := childAttrs(t, got)
		in, out := a["cozeloop.input"].(string), a["cozeloop.output"].(string)
		var v map[string]string
		if err := json.Unmarshal([]byte(in), &v); err != nil || !strings.HasSuffix(v["blob"], clip.Marker) || len(v["blob"]) < 100<<10 {
			t.Errorf("profile %d: cozeloop.input: %v, blob %d bytes", p, err, len(v["blob"]))
		}
		if !strings.HasSuffix(out, clip.Marker) || len(out) < 256<<10 {
			t.Errorf("profile %d: cozeloop.output: %d bytes, ends %q", p, len(out), out[len(out)-20:])
		}
		if p == ProfileAll && (a["input.value"] != in || a["output.value"] != out) {
			t.Error("cozeloop.input/output differ from input.value/output.value")
		}
		if _, ok := a["input.value"]; p == 0 && ok {
			t.Error("the Coze Loop profile repeats the input as input.value")
		}
	}
}

// TestCozeToolSpanWithoutDuplicates checks that in Coze Loop mode a tool
// span does not repeat its input and output as gen_ai.tool.call.arguments /
// result (Coze Loop reads input.value first), while other backends get them.
func TestCozeToolSpanWithoutDuplicates(t *testing.T) {
	s, exp := cozeSink(t)
	items := recordItems(&spans.Function{Name: "f", Input: `{"a":1}`, Output: "ok"}, nil, nil)
	if err := exp.Export(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	a := childAttrs(t, s.spans())
	if _, ok := a["gen_ai.tool.call.arguments"]; ok {
		t.Error("Coze Loop span has gen_ai.tool.call.arguments")
	}
	if _, ok := a["gen_ai.tool.call.result"]; ok {
		t.Error("Coze Loop span has gen_ai.tool.call.result")
	}
	if readCoze(s.spans()[0]).Input != `{"a":1}` {
		t.Errorf("Coze Loop view input = %q", readCoze(s.spans()[0]).Input)
	}
	got, _ := sendItems(t, items)
	if a := childAttrs(t, got); a["gen_ai.tool.call.arguments"] != `{"a":1}` || a["gen_ai.tool.call.result"] != "ok" {
		t.Errorf("generic backend: arguments %v, result %v", a["gen_ai.tool.call.arguments"], a["gen_ai.tool.call.result"])
	}
}

// TestCozeSpanThatCannotFitIsTooLarge checks the last resort: a span whose
// JSON cannot be brought under the limit by clipping content is dropped and
// counted as too_large, and the rest of the batch is delivered. The limit is
// lowered so that the span's fixed attributes alone exceed it.
func TestCozeSpanThatCannotFitIsTooLarge(t *testing.T) {
	s, exp := cozeSink(t)
	cfg := exp.conv.Config()
	cfg.SpanJSONLimit = 4 << 10
	exp.conv = otelmap.New(cfg)
	md := map[string]any{}
	for _, k := range "abcdefghijklmnop" {
		md[string(k)] = strings.Repeat("\x01", 1000)
	}
	items := recordItems(&spans.Function{Name: "f", Input: strings.Repeat("x", 100<<10)}, md, nil)
	err := exp.Export(context.Background(), items)
	if diff := cmp.Diff(map[processors.DropReason]int{processors.DropTooLarge: 1}, processors.Dropped(err, len(items))); diff != "" {
		t.Errorf("dropped (-want +got):\n%s (err %v)", diff, err)
	}
	if err == nil || !strings.Contains(err.Error(), "per-span JSON limit") {
		t.Errorf("Export = %v", err)
	}
	if got := s.spans(); len(got) != 1 || len(got[0].GetParentSpanId()) != 0 {
		t.Errorf("received %d spans, want the root span alone", len(got))
	}
}

// TestCozeSpanJSONSizeIsAnUpperBound checks the per-span JSON estimate
// against protojson's encoding of real spans.
func TestCozeSpanJSONSizeIsAnUpperBound(t *testing.T) {
	conv := otelmap.New(otelmap.Config{CozeLoop: true})
	items := makeItems(6, 3000)
	items = append(items, recordItems(&spans.Generation{Model: "m\"<>", ModelConfig: map[string]any{"stop": []any{"a", "b"}, "temperature": 0.5},
		Input: []spans.Message{{Role: "user", Content: "\x01\x02\"\\<>&\u2028"}}}, map[string]any{"k": 1.5, "b": true}, &textErr{"boom \x01"})...)
	for _, it := range items {
		ps, _ := conv.Convert(it)
		if ps == nil {
			continue
		}
		b, _ := protojson.Marshal(ps)
		if est := clip.SpanJSONCost(ps); est < len(b) {
			t.Errorf("%s: estimate %d < protojson %d", ps.GetName(), est, len(b))
		}
	}
}
