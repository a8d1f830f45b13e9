package openaiexport

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
)

// batch128 returns a default-sized batch: the fixture trace's 17 items
// (trace start, 15 spans, trace end), repeated.
func batch128(b *testing.B) []processors.Item {
	one := fixtureItems(b)
	var items []processors.Item
	for len(items) < 128 {
		items = append(items, one...)
	}
	return items[:128]
}

// BenchmarkEncode measures turning a batch into request bodies, the work the
// exporter does on the batch goroutine before posting.
func BenchmarkEncode(b *testing.B) {
	for _, rules := range []bool{false, true} {
		name := "custom-endpoint"
		if rules {
			name = "openai-endpoint"
		}
		b.Run(name, func(b *testing.B) {
			exp := New(WithAPIKey("k"), WithPayloadRules(rules))
			items := batch128(b)
			b.ReportAllocs()
			for b.Loop() {
				groups, _ := exp.group(items)
				for _, g := range groups {
					_ = body(g.items)
				}
			}
		})
	}
}

// BenchmarkExport measures a whole export of a batch to a server on
// 127.0.0.1 that discards the body.
func BenchmarkExport(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	exp := New(WithEndpoint(srv.URL), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	items := batch128(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := exp.Export(context.Background(), items); err != nil {
			b.Fatal(err)
		}
	}
}
