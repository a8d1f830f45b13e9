package main

import (
	"context"
	"strings"

	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/components"
	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/schema"
)

// fakeModelName is the offline model's name.
const fakeModelName = "fake-chat-model"

// The offline assistant's answers.
const (
	fakeExplanation = "Retrieval-Augmented Generation (RAG) retrieves documents relevant to a question and adds them to the prompt. " +
		"The model then answers from those documents instead of from memory alone."
	fakeCode   = "Let me compute the tokens:\n```calc\n3 * 256\n```"
	fakeAnswer = fakeExplanation + " Three retrieved chunks of 256 tokens add 768 tokens to the prompt."
)

// fakeModel is a deterministic, offline chat model. It reports its own
// callbacks, as eino-ext's models do, so the trace shows its name, config
// and token usage as a real model's would. It looks RAG up in the
// glossary, then writes code to count the tokens, then answers from the
// code's output.
type fakeModel struct {
	tools []*schema.ToolInfo
}

var _ model.ToolCallingChatModel = (*fakeModel)(nil)

func (m *fakeModel) GetType() string          { return "Fake" }
func (m *fakeModel) IsCallbacksEnabled() bool { return true }

func (m *fakeModel) WithTools(tools []*schema.ToolInfo) (model.ToolCallingChatModel, error) {
	return &fakeModel{tools: tools}, nil
}

func (m *fakeModel) config() *model.Config {
	return &model.Config{Model: fakeModelName, Temperature: 0}
}

func (m *fakeModel) Generate(ctx context.Context, in []*schema.Message, _ ...model.Option) (*schema.Message, error) {
	ctx = callbacks.EnsureRunInfo(ctx, m.GetType(), components.ComponentOfChatModel)
	ctx = callbacks.OnStart(ctx, &model.CallbackInput{Messages: in, Tools: m.tools, Config: m.config()})
	reply := m.reply(in)
	callbacks.OnEnd(ctx, &model.CallbackOutput{Message: reply, Config: m.config(), TokenUsage: usage(in, reply)})
	return reply, nil
}

func (m *fakeModel) Stream(ctx context.Context, in []*schema.Message, opts ...model.Option) (*schema.StreamReader[*schema.Message], error) {
	reply, err := m.Generate(ctx, in, opts...)
	if err != nil {
		return nil, err
	}
	return schema.StreamReaderFromArray([]*schema.Message{reply}), nil
}

// reply picks the next step from the last message.
func (m *fakeModel) reply(in []*schema.Message) *schema.Message {
	last := in[len(in)-1]
	switch {
	case last.Role == schema.User && strings.Contains(last.Content, "Code output: 768"):
		return finished(fakeAnswer + " " + terminate)
	case last.Role == schema.User:
		return &schema.Message{
			Role: schema.Assistant,
			ToolCalls: []schema.ToolCall{{ID: "call_glossary_1", Type: "function", Function: schema.FunctionCall{
				Name: "search_glossary", Arguments: `{"term":"Retrieval-Augmented Generation"}`,
			}}},
			ResponseMeta: &schema.ResponseMeta{FinishReason: "tool_calls"},
		}
	default: // a tool result
		return finished(fakeExplanation + "\n\n" + fakeCode)
	}
}

func finished(text string) *schema.Message {
	return &schema.Message{Role: schema.Assistant, Content: text, ResponseMeta: &schema.ResponseMeta{FinishReason: "stop"}}
}

// usage counts tokens as about four thirds of the words, deterministically.
func usage(in []*schema.Message, out *schema.Message) *model.TokenUsage {
	var words int
	for _, m := range in {
		words += len(strings.Fields(m.Content))
	}
	prompt := (words*4 + 2) / 3
	completion := (len(strings.Fields(out.Content))*4+2)/3 + 8*len(out.ToolCalls)
	return &model.TokenUsage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}
