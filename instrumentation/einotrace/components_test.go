package einotrace_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/cloudwego/eino/components/embedding"
	"github.com/cloudwego/eino/components/indexer"
	"github.com/cloudwego/eino/components/prompt"
	"github.com/cloudwego/eino/components/retriever"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

type fakeRetriever struct{}

func (fakeRetriever) Retrieve(_ context.Context, query string, opts ...retriever.Option) ([]*schema.Document, error) {
	o := retriever.GetCommonOptions(&retriever.Options{}, opts...)
	if o.TopK == nil || *o.TopK != 2 {
		return nil, fmt.Errorf("top k %v", o.TopK)
	}
	d1 := &schema.Document{ID: "d1", Content: "RAG retrieves documents.", MetaData: map[string]any{"source": "wiki"}}
	d1.WithScore(0.9).WithDenseVector([]float64{0.1, 0.2})
	return []*schema.Document{d1, {ID: "d2", Content: "Then it generates."}}, nil
}

type fakeIndexer struct{}

func (fakeIndexer) Store(_ context.Context, docs []*schema.Document, _ ...indexer.Option) ([]string, error) {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}

type fakeEmbedder struct{}

func (fakeEmbedder) EmbedStrings(_ context.Context, texts []string, _ ...embedding.Option) ([][]float64, error) {
	out := make([][]float64, len(texts))
	for i := range texts {
		out[i] = []float64{1, 2, 3}
	}
	return out, nil
}

// TestComponentsChain runs a chain through every kind of component that
// has a span kind of its own, all with callbacks injected by compose.
func TestComponentsChain(t *testing.T) {
	tp, rec, w := newProvider()
	tmpl := prompt.FromMessages(schema.FString,
		schema.SystemMessage("Answer from {count} documents."),
		schema.UserMessage("{question}"))
	chain := compose.NewChain[string, *schema.Message]().
		AppendRetriever(fakeRetriever{}, compose.WithNodeName("wiki")).
		AppendIndexer(fakeIndexer{}, compose.WithNodeName("cache")).
		AppendEmbedding(fakeEmbedder{}, compose.WithNodeName("embed")).
		AppendLambda(compose.InvokableLambda(func(_ context.Context, vecs [][]float64) (map[string]any, error) {
			return map[string]any{"count": len(vecs), "question": "What is RAG?"}, nil
		}), compose.WithNodeName("variables")).
		AppendChatTemplate(tmpl, compose.WithNodeName("prompt")).
		AppendChatModel(&scriptModel{replies: []*schema.Message{answer("RAG is retrieval, then generation.")}}, compose.WithNodeName("model"))
	r, err := chain.Compile(context.Background(), compose.WithGraphName("rag"))
	if err != nil {
		t.Fatal(err)
	}
	h := einotrace.NewHandler(einotrace.WithProvider(tp))
	if _, err := r.Invoke(context.Background(), "What is RAG?", compose.WithCallbacks(h),
		compose.WithRetrieverOption(retriever.WithTopK(2))); err != nil {
		t.Fatal(err)
	}
	w.wait(t, 1)
	want := &tracingtest.Node{Kind: "trace", Name: "rag", Children: []*tracingtest.Node{
		{Kind: "agent", Name: "rag", Children: []*tracingtest.Node{
			{Kind: "retriever", Name: "wiki"},
			{Kind: "custom", Name: "cache"},
			{Kind: "embedding", Name: ""},
			{Kind: "custom", Name: "variables"},
			{Kind: "prompt", Name: "prompt"},
			{Kind: "generation", Name: ""},
		}},
	}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}

	ret := spansOf(rec, spans.KindRetriever)[0].Data().(*spans.Retriever)
	wantRet := &spans.Retriever{Name: "wiki", Query: "What is RAG?", Documents: []spans.Document{
		{ID: "d1", Content: "RAG retrieves documents.", Score: 0.9, Metadata: map[string]any{"source": "wiki"}},
		{ID: "d2", Content: "Then it generates."},
	}}
	if diff := cmp.Diff(wantRet, ret); diff != "" {
		t.Errorf("retriever (-want +got):\n%s", diff)
	}
	emb := spansOf(rec, spans.KindEmbedding)[0].Data().(*spans.Embedding)
	if diff := cmp.Diff(&spans.Embedding{Provider: "fakeembedder", Input: []string{"d1", "d2"}, Count: 2, Dimensions: 3}, emb); diff != "" {
		t.Errorf("embedding (-want +got):\n%s", diff)
	}
	customs := spansOf(rec, spans.KindCustom)
	idx := customs[0].Data().(*spans.Custom)
	if ids, ok := idx.Output.([]string); !ok || len(ids) != 2 || ids[0] != "d1" {
		t.Errorf("indexer output %#v", idx.Output)
	}
	if docs, ok := idx.Input.([]spans.Document); !ok || len(docs) != 2 || docs[1].Content != "Then it generates." {
		t.Errorf("indexer input %#v", idx.Input)
	}
	lam := customs[1].Data().(*spans.Custom)
	if out, _ := lam.Output.(json.RawMessage); string(out) != `{"count":2,"question":"What is RAG?"}` {
		t.Errorf("lambda output %s", lam.Output)
	}
	pr := spansOf(rec, spans.KindPrompt)[0].Data().(*spans.Prompt)
	wantPr := &spans.Prompt{
		Name:      "prompt",
		Template:  []spans.Message{{Role: "system", Content: "Answer from {count} documents."}, {Role: "user", Content: "{question}"}},
		Variables: map[string]any{"count": 2, "question": "What is RAG?"},
		Output:    []spans.Message{{Role: "system", Content: "Answer from 2 documents."}, {Role: "user", Content: "What is RAG?"}},
	}
	if diff := cmp.Diff(wantPr, pr); diff != "" {
		t.Errorf("prompt (-want +got):\n%s", diff)
	}
}
