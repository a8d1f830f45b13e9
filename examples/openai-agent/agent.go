package main

import (
	"context"
	"strings"

	"github.com/openai/openai-go/v3"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

const (
	agentName    = "Support agent"
	instructions = "You are a support agent for an online shop. Use the tools to answer questions about orders."
)

// runAgent answers question in two steps: the model asks for tools, the
// tools run, the model answers from their results (streamed). The model
// calls are traced by the client's middleware; the agent span and the tool
// spans are the program's.
func runAgent(ctx context.Context, client *openai.Client, model, question string) (string, error) {
	ctx, agent := tracing.StartSpan(ctx, &spans.Agent{
		Name:  agentName,
		Tools: []string{"lookup_order", "refund_status"},
		Input: question,
	})
	defer agent.End()

	params := openai.ChatCompletionNewParams{
		Model: model,
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage(instructions),
			openai.UserMessage(question),
		},
		Tools:       toolDefs,
		Temperature: openai.Float(0.2),
	}

	// Step 1: the model chooses tools.
	completion, err := client.Chat.Completions.New(ctx, params)
	if err != nil {
		agent.SetError(err)
		return "", err
	}
	msg := completion.Choices[0].Message
	params.Messages = append(params.Messages, msg.ToParam())
	for _, call := range msg.ToolCalls {
		result := callTool(ctx, call.Function.Name, call.Function.Arguments)
		params.Messages = append(params.Messages, openai.ToolMessage(result, call.ID))
	}

	// Step 2: the model answers, streamed, with the usage in the last chunk.
	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	stream := client.Chat.Completions.NewStreaming(ctx, params)
	defer stream.Close()
	var answer strings.Builder
	for stream.Next() {
		if ch := stream.Current(); len(ch.Choices) > 0 {
			answer.WriteString(ch.Choices[0].Delta.Content)
		}
	}
	if err := stream.Err(); err != nil {
		agent.SetError(err)
		return "", err
	}
	agent.SetOutput(answer.String())
	return answer.String(), nil
}
