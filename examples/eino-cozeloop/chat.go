package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent/react"
	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// Names of the scenario, as in Coze Loop's AutoGen walkthrough.
const (
	workflowName  = "Two-agent chat"
	userProxyName = "user_proxy"
	assistantName = "assistant"
	task          = "Explain the concept of 'Retrieval-Augmented Generation' in 2 sentences, " +
		"then compute how many tokens 3 retrieved chunks of 256 tokens add to a prompt."
	systemPrompt = "You are a helpful AI assistant. Look terms up with search_glossary. " +
		"To compute, write a ```calc code block with one arithmetic expression a line, and the user will run it. " +
		"When the task is done, answer in full and end with TERMINATE."
	terminate = "TERMINATE"
	maxTurns  = 4
)

// chat is the two agents of the conversation.
type chat struct {
	assistant *react.Agent
	userProxy compose.Runnable[*schema.Message, *schema.Message]
}

// converse runs the conversation as AutoGen's initiate_chat does: the user
// proxy sends the task, the assistant answers, and the user proxy replies
// (running the code the assistant wrote) until the assistant says
// TERMINATE or maxTurns is reached. Each agent's turn is an eino run that
// the handler records; the trace around them makes one tree of the whole
// conversation. It returns the assistant's final answer.
func converse(ctx context.Context, c chat) (string, error) {
	ctx, tr := tracing.StartTrace(ctx, workflowName, tracing.WithGroupID(tracing.NewGroupID()),
		tracing.WithMetadata(map[string]any{"scenario": "autogen-two-agent"}))
	defer tr.End()
	tr.SetInput(task)

	history := []*schema.Message{schema.SystemMessage(systemPrompt), schema.UserMessage(task)}
	for turn := 1; turn <= maxTurns; turn++ {
		reply, err := c.assistant.Generate(ctx, history)
		if err != nil {
			return "", fmt.Errorf("assistant, turn %d: %w", turn, err)
		}
		history = append(history, reply)
		if strings.Contains(reply.Content, terminate) {
			answer := strings.TrimSpace(strings.ReplaceAll(reply.Content, terminate, ""))
			tr.SetOutput(answer)
			return answer, nil
		}
		next, err := c.userProxy.Invoke(ctx, reply)
		if err != nil {
			return "", fmt.Errorf("user proxy, turn %d: %w", turn, err)
		}
		history = append(history, next)
	}
	return "", fmt.Errorf("no answer after %d turns", maxTurns)
}
