package openaiexport

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestHarnessIDCopiedToSpans checks that a trace's agent_harness_id
// metadata is copied onto every span's metadata, the trace's value winning
// over a span's own, as the Python SDK does; the span's map is not changed,
// and a trace without the key leaves span metadata alone.
func TestHarnessIDCopiedToSpans(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w",
		tracing.WithMetadata(map[string]any{"agent_harness_id": "harness-1", "other": "trace only"}))
	own := map[string]any{"agent_harness_id": "span's own", "k": "v"}
	_, a := tracing.StartSpan(ctx, &spans.Custom{Name: "with metadata"}, tracing.WithSpanMetadata(own))
	a.End()
	_, b := tracing.StartSpan(ctx, &spans.Agent{Name: "without"})
	b.End()
	tr.End()
	ctx2, plain := tp.StartTrace(context.Background(), "plain")
	_, c := tracing.StartSpan(ctx2, &spans.Custom{Name: "c"}, tracing.WithSpanMetadata(map[string]any{"k": "v"}))
	c.End()
	_, d := tracing.StartSpan(ctx2, &spans.Custom{Name: "d"})
	d.End()
	plain.End()

	if err := exp.Export(context.Background(), rec.Items()); err != nil {
		t.Fatal(err)
	}
	items := data(t, srv.requests()[0].Body)
	var got []any
	for _, it := range items {
		if m := it.(map[string]any); m["object"] == "trace.span" {
			got = append(got, m["metadata"])
		}
	}
	want := []any{
		map[string]any{"agent_harness_id": "harness-1", "k": "v"},
		map[string]any{"agent_harness_id": "harness-1"},
		map[string]any{"k": "v"},
		nil, // no metadata key at all
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("span metadata (-want +got):\n%s", diff)
	}
	if own["agent_harness_id"] != "span's own" || len(own) != 2 {
		t.Errorf("the span's metadata map was changed: %v", own)
	}
}
