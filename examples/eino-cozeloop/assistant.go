package main

import (
	"context"
	"strings"

	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/components/tool/utils"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent/react"
)

// glossary is what search_glossary knows.
var glossary = map[string]string{
	"retrieval-augmented generation": "Retrieval-Augmented Generation (RAG) retrieves documents relevant to a query " +
		"and adds them to the prompt, so that a language model answers from them.",
	"token": "A token is the unit of text a language model reads and writes, about three quarters of a word.",
}

type glossaryQuery struct {
	Term string `json:"term" jsonschema:"description=the term to look up"`
}

// newGlossaryTool returns the assistant's search_glossary tool.
func newGlossaryTool() (tool.InvokableTool, error) {
	return utils.InferTool("search_glossary", "Look a term up in the AI glossary.",
		func(_ context.Context, q glossaryQuery) (string, error) {
			if def, ok := glossary[strings.ToLower(strings.TrimSpace(q.Term))]; ok {
				return def, nil
			}
			return "No entry for " + q.Term + ".", nil
		})
}

// newAssistant returns the assistant: a ReAct agent (an eino graph named
// "assistant") that answers with the glossary tool, or writes code for the
// user proxy to run.
func newAssistant(ctx context.Context, m model.ToolCallingChatModel) (*react.Agent, error) {
	search, err := newGlossaryTool()
	if err != nil {
		return nil, err
	}
	return react.NewAgent(ctx, &react.AgentConfig{
		ToolCallingModel: m,
		ToolsConfig:      compose.ToolsNodeConfig{Tools: []tool.BaseTool{search}},
		GraphName:        assistantName,
		MaxStep:          8,
	})
}
