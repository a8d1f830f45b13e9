package openaiexport

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestNoopIDsNotExported gives a trace and a span the Python SDK's id of a
// disabled trace or span, "no-op": neither is exported, nor any span under
// them, whether it ends before its no-op ancestor (in the same batch) or
// after it (in a later batch); nothing is counted as dropped.
func TestNoopIDsNotExported(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	tp, rec := newProvider()

	tctx, noopTrace := tp.StartTrace(context.Background(), "disabled", tracing.WithTraceID(noopID))
	ctxN, inNoopTrace := tracing.StartSpan(tctx, &spans.Agent{Name: "x"})
	_, deep := tracing.StartSpan(ctxN, &spans.Custom{Name: "deep in a no-op trace"})
	deep.End()
	inNoopTrace.End()
	noopTrace.End()

	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, kept := tracing.StartSpan(ctx, &spans.Custom{Name: "kept"})
	kept.End()
	nctx, noop := tracing.StartSpan(ctx, &spans.Agent{Name: "disabled"}, tracing.WithSpanID(noopID))
	cctx, child := tracing.StartSpan(nctx, &spans.Custom{Name: "child"})
	gctx, grandchild := tracing.StartSpan(cctx, &spans.Custom{Name: "grandchild"})
	_, late := tracing.StartSpan(gctx, &spans.Custom{Name: "ends after its ancestors"})
	grandchild.End()
	child.End()
	noop.End()
	first := rec.Items()

	late.End()
	_, kept2 := tracing.StartSpan(ctx, &spans.Custom{Name: "kept too"})
	kept2.End()
	tr.End()
	second := rec.Items()[len(first):]

	for i, batch := range [][]processors.Item{first, second} {
		if err := exp.Export(context.Background(), batch); err != nil {
			t.Errorf("batch %d: %v", i, err)
		}
	}
	var names []string
	for _, r := range srv.requests() {
		for _, it := range data(t, r.Body) {
			m := it.(map[string]any)
			if m["object"] == "trace" {
				names = append(names, "trace "+m["workflow_name"].(string))
				continue
			}
			names = append(names, m["span_data"].(map[string]any)["name"].(string))
		}
	}
	if want := []string{"trace w", "kept", "kept too"}; !cmp.Equal(names, want) {
		t.Errorf("sent %v, want %v", names, want)
	}
}
