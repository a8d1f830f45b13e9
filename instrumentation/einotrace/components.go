package einotrace

import (
	"maps"
	"slices"

	"github.com/cloudwego/eino/components"
	"github.com/cloudwego/eino/components/document"
	"github.com/cloudwego/eino/components/embedding"
	"github.com/cloudwego/eino/components/indexer"
	"github.com/cloudwego/eino/components/prompt"
	"github.com/cloudwego/eino/components/retriever"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/spans"
)

// toolInput returns a tool's arguments (JSON text), from the string compose
// injects or the *tool.CallbackInput a tool reports itself.
func toolInput(input any) string {
	if in := tool.ConvCallbackInput(input); in != nil {
		return in.ArgumentsInJSON
	}
	return ""
}

func setToolInput(r *run, d *spans.Function, input any) {
	if r.content {
		d.Input = toolInput(input)
	}
}

// setToolOutput records a tool's result: its text, or its multimodal
// result (a *schema.ToolResult) as JSON.
func setToolOutput(r *run, d *spans.Function, output any) {
	if !r.content {
		return
	}
	out := tool.ConvCallbackOutput(output)
	if out == nil {
		d.Output = value(output)
		return
	}
	if out.ToolOutput != nil && out.Response == "" {
		d.Output = encode(out.ToolOutput)
		return
	}
	d.Output = out.Response
}

// setRetrieverInput records the query and top k, and the filter and score
// threshold as metadata.
func setRetrieverInput(r *run, d *spans.Retriever, input any) {
	in := retriever.ConvCallbackInput(input)
	if in == nil {
		return
	}
	if r.content {
		d.Query = in.Query
	}
	d.TopK = in.TopK
	if in.Filter != "" && r.content {
		r.span.SetMetadata("eino.retriever.filter", in.Filter)
	}
	if in.ScoreThreshold != nil {
		r.span.SetMetadata("eino.retriever.score_threshold", *in.ScoreThreshold)
	}
}

func setRetrieverOutput(r *run, d *spans.Retriever, output any) {
	if out := retriever.ConvCallbackOutput(output); out != nil && r.content {
		d.Documents = documents(out.Docs)
	}
}

// setEmbeddingInput records the texts and model.
func setEmbeddingInput(r *run, d *spans.Embedding, input any) {
	in := embedding.ConvCallbackInput(input)
	if in == nil {
		return
	}
	if r.content {
		d.Input = slices.Clone(in.Texts)
	}
	if in.Config != nil {
		d.Model = in.Config.Model
	}
}

// setEmbeddingOutput records how many vectors came back, their length and
// the token usage; the vectors themselves are not kept.
func setEmbeddingOutput(d *spans.Embedding, output any) {
	out := embedding.ConvCallbackOutput(output)
	if out == nil {
		return
	}
	d.Count = len(out.Embeddings)
	if len(out.Embeddings) > 0 {
		d.Dimensions = len(out.Embeddings[0])
	}
	if out.Config != nil && d.Model == "" {
		d.Model = out.Config.Model
	}
	if u := out.TokenUsage; u != nil {
		d.Usage = &spans.Usage{Requests: 1, InputTokens: int64(u.PromptTokens), OutputTokens: int64(u.CompletionTokens), TotalTokens: int64(u.TotalTokens)}
	}
}

// setPromptInput records a chat template's variables and its message
// templates (placeholders, which have no messages of their own, are left
// out).
func setPromptInput(r *run, d *spans.Prompt, input any) {
	in := prompt.ConvCallbackInput(input)
	if in == nil || !r.content {
		return
	}
	if in.Variables != nil {
		d.Variables = make(map[string]any, len(in.Variables))
		for k, v := range in.Variables {
			d.Variables[k] = value(v)
		}
	}
	d.Template = templates(in.Templates)
	for _, key := range []string{"prompt_key", "prompt_version", "prompt_provider"} {
		if v, ok := in.Extra[key]; ok {
			r.span.SetMetadata("eino."+key, value(v))
		}
	}
}

func setPromptOutput(r *run, d *spans.Prompt, output any) {
	out := prompt.ConvCallbackOutput(output)
	if out == nil || !r.content {
		return
	}
	d.Output = Messages(out.Result)
	if d.Template == nil {
		d.Template = templates(out.Templates)
	}
}

func templates(ts []schema.MessagesTemplate) []spans.Message {
	var out []spans.Message
	for _, t := range ts {
		if m, ok := t.(*schema.Message); ok && m != nil {
			out = append(out, Message(m))
		}
	}
	return out
}

// setCustomInput records the input of a run without a kind of its own: an
// indexer's documents, a loader's source, a transformer's documents, and
// any other run's input value.
func setCustomInput(r *run, d *spans.Custom, input any) {
	switch r.info.Component {
	case components.ComponentOfIndexer:
		if in := indexer.ConvCallbackInput(input); in != nil {
			d.Input = documents(in.Docs)
			return
		}
	case components.ComponentOfLoader:
		if in := document.ConvLoaderCallbackInput(input); in != nil {
			d.Input = in.Source.URI
			return
		}
	case components.ComponentOfTransformer:
		if in := document.ConvTransformerCallbackInput(input); in != nil {
			d.Input = documents(in.Input)
			return
		}
	}
	if v := value(input); v != nil {
		d.Input = v
	}
}

// setCustomOutput records the output of a run without a kind of its own:
// an indexer's ids, the documents of a loader or transformer, and any other
// run's output value.
func setCustomOutput(r *run, d *spans.Custom, output any) {
	switch r.info.Component {
	case components.ComponentOfIndexer:
		if out := indexer.ConvCallbackOutput(output); out != nil {
			d.Output = slices.Clone(out.IDs)
			return
		}
	case components.ComponentOfLoader:
		if out := document.ConvLoaderCallbackOutput(output); out != nil {
			d.Output = documents(out.Docs)
			return
		}
	case components.ComponentOfTransformer:
		if out := document.ConvTransformerCallbackOutput(output); out != nil {
			d.Output = documents(out.Output)
			return
		}
	}
	if v := value(output); v != nil {
		d.Output = v
	}
}

// vectorKeys are the metadata keys of eino documents that hold vectors or
// the score, which are left out of a document's recorded metadata.
var vectorKeys = []string{"_score", "_dense_vector", "_sparse_vector"}

// documents converts eino documents: id, content, score, and the metadata
// other than vectors, each value copied or encoded so that later changes
// to the document do not reach the span.
func documents(docs []*schema.Document) []spans.Document {
	if docs == nil {
		return nil
	}
	out := make([]spans.Document, 0, len(docs))
	for _, doc := range docs {
		if doc == nil {
			continue
		}
		sd := spans.Document{ID: doc.ID, Content: doc.Content, Score: doc.Score()}
		if len(doc.MetaData) > 0 {
			md := maps.Clone(doc.MetaData)
			for _, k := range vectorKeys {
				delete(md, k)
			}
			for k, v := range md {
				md[k] = value(v)
			}
			if len(md) > 0 {
				sd.Metadata = md
			}
		}
		out = append(out, sd)
	}
	return out
}
