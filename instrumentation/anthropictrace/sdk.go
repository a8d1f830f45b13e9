package anthropictrace

import (
	"encoding/json"

	"github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/agenttrace/agenttrace-go/spans"
)

// The conversions below are for programs that start their generation spans
// themselves (a hand-written loop, a client the middleware does not see).
// They read the SDK's values through their JSON encoding, the shape the API
// receives and returns, with the same code as the middleware.

// Generation returns the span data of a Messages API call made with
// params, before the call: the model, the system prompt and messages, the
// tools offered, the model config and the provider ([DefaultProvider]).
// Fill in the response with [SetMessage]:
//
//	gen := anthropictrace.Generation(params)
//	ctx, span := tracing.StartSpan(ctx, gen)
//	msg, err := client.Messages.New(ctx, params)
//	anthropictrace.SetMessage(gen, msg)
//	span.SetError(err)
//	span.End()
func Generation(params anthropic.MessageNewParams) *spans.Generation {
	gen := &spans.Generation{Provider: DefaultProvider}
	if b, err := params.MarshalJSON(); err == nil {
		requestData(gen, b, true)
	}
	return gen
}

// SetMessage fills gen with what msg, the message a call returned (or
// accumulated from a stream with [anthropic.Message.Accumulate]), records:
// the output message, the stop reason as the finish reason, the usage, the
// response id and the model. A nil gen or msg changes nothing.
func SetMessage(gen *spans.Generation, msg *anthropic.Message) {
	if gen == nil || msg == nil {
		return
	}
	if r, ok := decodeMessage(msg); ok {
		responseData(gen, &r, true)
	}
}

// Messages returns the system prompt of params, as a "system" message, and
// its messages, in the shape of [spans.Message]: tool_use blocks become
// ToolCalls, each tool_result block a "tool" message, thinking blocks
// ReasoningContent, text, image and document blocks content parts.
func Messages(params anthropic.MessageNewParams) []spans.Message {
	w, ok := decodeParams(params)
	if !ok {
		return nil
	}
	return inputMessages(w.System, w.Messages)
}

// Message returns msg, a message the API returned, as one assistant
// [spans.Message].
func Message(msg *anthropic.Message) spans.Message {
	r, ok := decodeMessage(msg)
	if !ok {
		return spans.Message{Role: "assistant"}
	}
	return outputMessage(blockList(r.Content))
}

// Tools returns the tools offered, in the shape of [spans.Tool]. A server
// tool (web search, code execution, ...) is named, with its type as the
// description.
func Tools(tools []anthropic.ToolUnionParam) []spans.Tool {
	raw := make([]json.RawMessage, 0, len(tools))
	for _, t := range tools {
		if b, err := json.Marshal(t); err == nil {
			raw = append(raw, b)
		}
	}
	return convertTools(raw)
}

// Usage returns u as a [spans.Usage]. The tokens read from and written to
// the prompt cache, which Anthropic counts apart from input_tokens, are
// added to InputTokens and reported as CachedInputTokens and
// CacheWriteInputTokens; thinking tokens are ReasoningTokens.
func Usage(u anthropic.Usage) *spans.Usage {
	out := convertUsage(&wireUsage{
		InputTokens:              &u.InputTokens,
		OutputTokens:             &u.OutputTokens,
		CacheCreationInputTokens: &u.CacheCreationInputTokens,
		CacheReadInputTokens:     &u.CacheReadInputTokens,
	})
	out.ReasoningTokens = u.OutputTokensDetails.ThinkingTokens
	return out
}

func decodeParams(params anthropic.MessageNewParams) (wireRequest, bool) {
	var w wireRequest
	b, err := params.MarshalJSON()
	if err != nil || json.Unmarshal(b, &w) != nil {
		return wireRequest{}, false
	}
	return w, true
}

func decodeMessage(msg *anthropic.Message) (wireResponse, bool) {
	var r wireResponse
	if msg == nil {
		return r, false
	}
	raw := []byte(msg.RawJSON())
	if len(raw) == 0 {
		var err error
		if raw, err = json.Marshal(msg); err != nil {
			return r, false
		}
	}
	if json.Unmarshal(raw, &r) != nil {
		return wireResponse{}, false
	}
	return r, true
}
