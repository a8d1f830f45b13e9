package openaiexport

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// FuzzEncode feeds arbitrary JSON (decoded with json.Number, so that 1e999
// reaches the encoder, and also passed as a json.RawMessage), names, texts
// and floats (NaN and ±Inf included) into every kind of field of a trace and
// its spans, encodes them with and without the OpenAI payload rules, and
// splits them into requests. Every item must be kept, every item and request
// must be JSON that encoding/json decodes (it refuses numbers too large
// for a float), within its limits, and a free-form value that has a valid,
// finite encoding within the limit must arrive unchanged.
func FuzzEncode(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":[true,null,"x"]}`), "agent", "tool output", 0.5, false)
	f.Add([]byte(`{"n":1e999,"m":-1E+400,"s":"\u2028\u0000","deep":[[[[1]]]]}`), `é"\<`, "", math.NaN(), true)
	f.Add([]byte(`[1,2,3]`), strings.Repeat("x", 2000), "{", math.Inf(1), true)
	f.Add([]byte(`"just a string"`), "\xff\xfe", "0", math.Inf(-1), false)
	f.Add([]byte(`{"big":"`+strings.Repeat("z", 300)+`"}`), noopID, "false", 1e308, true)
	f.Add([]byte(`not json`), "", "\n\t\b\f", math.Copysign(0, -1), false)
	f.Add([]byte(`{"a":{"b":{"c":{"d":{"e":{"f":[1e308,2e308]}}}}}}`), "span_x", strings.Repeat("é", 500), 0.0, true)
	f.Fuzz(func(t *testing.T, raw []byte, name, text string, x float64, rules bool) {
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			v = string(raw)
		}
		free := map[string]any{"v": v, "x": x, "name": name}
		if json.Valid(raw) {
			free["raw"] = json.RawMessage(raw)
		}
		tp, rec := newProvider()
		ctx, tr := tp.StartTrace(context.Background(), name, tracing.WithGroupID(name), tracing.WithMetadata(free))
		msgs := []spans.Message{{Role: "user", Content: text},
			{Role: "assistant", ToolCalls: []spans.ToolCall{{ID: name, Name: name, Arguments: text}}, Refusal: text}}
		actx, agent := tracing.StartSpan(ctx, &spans.Agent{Name: name, Tools: []string{name, text}, Handoffs: []string{text}},
			tracing.WithSpanMetadata(free))
		end := func(d spans.Data, opts ...tracing.SpanOption) {
			_, sp := tracing.StartSpan(actx, d, opts...)
			sp.SetError(&tracing.SpanError{Message: text, Data: free})
			sp.End()
		}
		end(&spans.Generation{Input: msgs, Output: msgs, Model: name, ModelConfig: free,
			Usage: &spans.Usage{InputTokens: int64(len(raw)), CacheWriteInputTokens: 1}})
		end(&spans.Function{Name: name, Input: text, Output: v, MCPData: free})
		end(&spans.Custom{Name: name, Data: free}, tracing.WithSpanID(name))
		end(&spans.Prompt{Name: name, Variables: free, Output: msgs})
		end(&spans.Retriever{Name: name, Query: text, Documents: []spans.Document{{ID: name, Content: text, Metadata: free, Score: x}}})
		agent.End()
		tr.End()
		items := rec.Items()

		exp := New(WithAPIKey("k"), WithPayloadRules(rules), WithEndpoint("http://127.0.0.1:1/ingest"))
		groups, errs := exp.group(items)
		if len(errs) > 0 {
			t.Fatalf("items dropped: %v", errs)
		}
		limit := maxCustomFieldBytes
		if rules {
			limit = maxFieldBytes
		}
		sent := 0
		for _, g := range groups {
			for _, it := range g.items {
				var m map[string]any
				if err := json.Unmarshal(it, &m); err != nil {
					t.Fatalf("item is not JSON encoding/json decodes: %v\n%.300s", err, it)
				}
				if len(it) > 16*limit {
					t.Fatalf("item of %d bytes", len(it))
				}
				if id, _ := m["id"].(string); len(id) > maxIDBytes {
					t.Fatalf("id of %d bytes", len(id))
				}
				if m["id"] == noopID {
					t.Fatalf("a no-op item was sent")
				}
			}
			chunks, tooLarge := split(g.items, DefaultMaxRequestSize)
			if tooLarge > 0 {
				t.Fatalf("%d items too large", tooLarge)
			}
			for _, c := range chunks {
				b := body(c)
				if len(c) > MaxRequestItems || len(b) > DefaultMaxRequestSize || !json.Valid(b) {
					t.Fatalf("request of %d items, %d bytes, valid %v", len(c), len(b), json.Valid(b))
				}
				sent += len(c)
			}
		}
		want := len(items) - 1 // the trace end is not sent (a span given the id "no-op" is never recorded)
		if sent != want {
			t.Fatalf("%d items sent of %d", sent, want)
		}

		// A value with a valid, finite encoding within the limit is sent
		// unchanged: compare the trace's metadata.
		good, err := safeCompact(free)
		if err != nil || hasBadNumber(good) || len(good) > limit {
			return
		}
		var wantMD, first map[string]any
		if err := json.Unmarshal(good, &wantMD); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(groups[0].items[0], &first); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantMD, first["metadata"]); diff != "" {
			t.Fatalf("metadata changed (-want +got):\n%s", diff)
		}
	})
}
