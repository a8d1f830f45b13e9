package main

import (
	"context"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Names of the scenario, as in Coze Loop's AutoGen walkthrough.
const (
	workflowName  = "Two-agent chat"
	rootSpanName  = "autogen_root_span"
	userProxyName = "user_proxy"
	assistantName = "assistant"
	question      = "Explain the concept of 'Retrieval-Augmented Generation' in 2 sentences."
	systemPrompt  = "You are a helpful AI assistant. Answer precisely and concisely."
)

// converse records one exchange between the two agents in ctx's trace: the
// user proxy sends the question to the assistant, and the assistant answers
// it with one model call. It returns the assistant's answer.
func converse(ctx context.Context, model chatModel) (string, error) {
	ctx, root := tracing.CustomSpan(ctx, rootSpanName, map[string]any{
		"agents":   []string{userProxyName, assistantName},
		"question": question,
	})
	defer root.End()

	userProxy(ctx)
	answer, err := assistant(ctx, model, []spans.Message{
		{Role: "system", Content: systemPrompt},
		{Role: "user", Content: question},
	})
	if err != nil {
		root.SetError(err)
	}
	return answer, err
}

// userProxy stands in for the human: it opens the chat and passes the
// question to the assistant, which a handoff span records.
func userProxy(ctx context.Context) {
	ctx, span := tracing.StartSpan(ctx, &spans.Agent{Name: userProxyName, Handoffs: []string{assistantName}, OutputType: "str"})
	defer span.End()
	_, h := tracing.HandoffSpan(ctx, userProxyName, assistantName)
	h.End()
}

// assistant answers msgs with one model call inside a generation span.
func assistant(ctx context.Context, model chatModel, msgs []spans.Message) (string, error) {
	ctx, span := tracing.StartSpan(ctx, &spans.Agent{Name: assistantName, OutputType: "str"})
	defer span.End()

	gen := &spans.Generation{
		Model:       model.Name(),
		Input:       msgs,
		ModelConfig: map[string]any{"temperature": 0},
	}
	gctx, gspan := tracing.StartSpan(ctx, gen)
	defer gspan.End()
	reply, err := model.Chat(gctx, msgs)
	if err != nil {
		gspan.SetError(err)
		span.SetError(err)
		return "", err
	}
	gen.Output = []spans.Message{reply.Message}
	gen.Usage, gen.ResponseID, gen.FinishReason = reply.Usage, reply.ID, reply.FinishReason
	return reply.Message.Content, nil
}
