package openaitrace

import (
	"encoding/json"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"github.com/agenttrace/agenttrace-go/spans"
)

// The conversions below are for programs that record their model calls by
// hand rather than with the middleware (a loop that must trace a call the
// middleware cannot see, a test). They give the span data the middleware
// records, read from the same JSON: openai-go's params encode to the
// request body the API receives, and its responses keep the body they were
// decoded from.
//
//	gen := openaitrace.Generation(params)
//	ctx, span := tracing.StartSpan(ctx, gen)
//	completion, err := client.Chat.Completions.New(ctx, params)
//	openaitrace.SetCompletion(gen, completion)
//	span.SetError(err)
//	span.End()
//
// Provider is left empty: set it when you know the vendor.

// Generation returns the generation span data of a Chat Completions
// request: model, input messages, tools offered and model config. Fill in
// the output with [SetCompletion].
func Generation(params openai.ChatCompletionNewParams) *spans.Generation {
	gen := &spans.Generation{}
	if b, err := params.MarshalJSON(); err == nil {
		chatRequest(b, gen, true)
	}
	return gen
}

// SetCompletion fills gen from a chat completion: output messages (one per
// choice, with tool calls), usage with cached and reasoning tokens, the
// first choice's finish reason and the response id; the model too when gen
// has none. A completion assembled from a stream by
// openai.ChatCompletionAccumulator works as well. A nil gen or resp does
// nothing.
func SetCompletion(gen *spans.Generation, resp *openai.ChatCompletion) {
	if gen == nil || resp == nil {
		return
	}
	if raw := resp.RawJSON(); raw != "" {
		chatResponse([]byte(raw), gen, true)
		return
	}
	// A completion the program assembled, from a stream say: no JSON.
	if len(resp.Choices) > 0 {
		gen.Output = make([]spans.Message, len(resp.Choices))
		for i, ch := range resp.Choices {
			gen.Output[i] = Message(ch.Message)
		}
		gen.FinishReason = resp.Choices[0].FinishReason
	}
	if u := resp.Usage; u.TotalTokens != 0 || u.PromptTokens != 0 || u.CompletionTokens != 0 {
		gen.Usage = Usage(u)
	}
	gen.ResponseID = resp.ID
	if gen.Model == "" {
		gen.Model = resp.Model
	}
}

// Messages returns chat messages as span messages: every role, text and
// multi-part content (text, images, audio, files), assistant tool calls
// and tool results.
func Messages(msgs []openai.ChatCompletionMessageParamUnion) []spans.Message {
	if len(msgs) == 0 {
		return nil
	}
	b, err := json.Marshal(msgs)
	if err != nil {
		return nil
	}
	return messages(b)
}

// Message returns a message of a chat completion (a choice's message) as a
// span message.
func Message(m openai.ChatCompletionMessage) spans.Message {
	if raw := m.RawJSON(); raw != "" {
		return message(json.RawMessage(raw))
	}
	// A message the program built, or assembled from a stream: encode it
	// as the request message it becomes in the next turn.
	b, err := m.ToParam().MarshalJSON()
	if err != nil {
		return spans.Message{Role: "assistant", Content: m.Content}
	}
	return message(b)
}

// Tools returns the tools of a Chat Completions request as span tools.
func Tools(tools []openai.ChatCompletionToolUnionParam) []spans.Tool {
	if len(tools) == 0 {
		return nil
	}
	b, err := json.Marshal(tools)
	if err != nil {
		return nil
	}
	return toolList(b)
}

// Usage returns chat completion usage as span usage for one request, with
// its cached, cache-write and reasoning tokens.
func Usage(u openai.CompletionUsage) *spans.Usage {
	return &spans.Usage{
		Requests:              1,
		InputTokens:           u.PromptTokens,
		OutputTokens:          u.CompletionTokens,
		TotalTokens:           u.TotalTokens,
		CachedInputTokens:     u.PromptTokensDetails.CachedTokens,
		CacheWriteInputTokens: u.PromptTokensDetails.CacheWriteTokens,
		ReasoningTokens:       u.CompletionTokensDetails.ReasoningTokens,
	}
}

// Response returns the response span data of a Responses API request: the
// model and the input (with the instructions as a leading system message).
// Fill in the rest with [SetResponse].
func Response(params responses.ResponseNewParams) *spans.Response {
	r := &spans.Response{}
	if b, err := params.MarshalJSON(); err == nil {
		responseRequest(b, r, true)
	}
	return r
}

// SetResponse fills r from a response: its id, output items, usage and,
// when r has none, model. A nil r or resp does nothing.
func SetResponse(r *spans.Response, resp *responses.Response) {
	if r == nil || resp == nil {
		return
	}
	raw := []byte(resp.RawJSON())
	if len(raw) == 0 {
		var err error
		if raw, err = json.Marshal(resp); err != nil {
			return
		}
	}
	responseResponse(raw, r, true)
}

// ResponseUsage returns Responses API usage as span usage for one request.
func ResponseUsage(u responses.ResponseUsage) *spans.Usage {
	return &spans.Usage{
		Requests:              1,
		InputTokens:           u.InputTokens,
		OutputTokens:          u.OutputTokens,
		TotalTokens:           u.TotalTokens,
		CachedInputTokens:     u.InputTokensDetails.CachedTokens,
		CacheWriteInputTokens: u.InputTokensDetails.CacheWriteTokens,
		ReasoningTokens:       u.OutputTokensDetails.ReasoningTokens,
	}
}

// Embedding returns the embedding span data of an Embeddings request: the
// model, the inputs and the dimensions asked for. Fill in the rest with
// [SetEmbeddings].
func Embedding(params openai.EmbeddingNewParams) *spans.Embedding {
	e := &spans.Embedding{}
	if b, err := params.MarshalJSON(); err == nil {
		embeddingRequest(b, e, true)
	}
	return e
}

// SetEmbeddings fills e from an Embeddings response: the number and length
// of the vectors, the usage and, when e has none, the model. A nil e or
// resp does nothing.
func SetEmbeddings(e *spans.Embedding, resp *openai.CreateEmbeddingResponse) {
	if e == nil || resp == nil {
		return
	}
	e.Count = len(resp.Data)
	if len(resp.Data) > 0 {
		e.Dimensions = len(resp.Data[0].Embedding)
	}
	if e.Model == "" {
		e.Model = resp.Model
	}
	e.Usage = &spans.Usage{Requests: 1, InputTokens: resp.Usage.PromptTokens, TotalTokens: resp.Usage.TotalTokens}
}
