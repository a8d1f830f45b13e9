package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/components/tool/utils"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/schema"
)

// Nodes of the user proxy's graph.
const (
	nodeExtract   = "extract_code"
	nodeExecutor  = "executor"
	nodeReport    = "report"
	nodeAutoReply = "auto_reply"
)

// autoReply is what the user proxy says to a reply without code, as
// AutoGen's UserProxyAgent does when no human is asked.
const autoReply = "Continue. Reply TERMINATE when the task is done."

var codeBlock = regexp.MustCompile("(?s)```calc\\s*\\n(.*?)```")

type codeInput struct {
	Code string `json:"code" jsonschema:"description=one arithmetic expression a line"`
}

// newExecuteTool returns the user proxy's code executor.
func newExecuteTool() (tool.InvokableTool, error) {
	return utils.InferTool("execute_code", "Run a calc program and return its output.",
		func(_ context.Context, in codeInput) (string, error) {
			out, err := evalProgram(in.Code)
			if err != nil {
				return fmt.Sprintf("exitcode: 1 (execution failed)\nCode output: %s\n%v", out, err), nil
			}
			return "exitcode: 0 (execution succeeded)\nCode output: " + out, nil
		})
}

// newUserProxy returns the user proxy: an eino graph named "user_proxy"
// that takes the assistant's reply, runs the code blocks in it with the
// execute_code tool and reports their output, or answers with autoReply
// when there is no code.
func newUserProxy(ctx context.Context) (compose.Runnable[*schema.Message, *schema.Message], error) {
	exec, err := newExecuteTool()
	if err != nil {
		return nil, err
	}
	executor, err := compose.NewToolNode(ctx, &compose.ToolsNodeConfig{Tools: []tool.BaseTool{exec}})
	if err != nil {
		return nil, err
	}
	g := compose.NewGraph[*schema.Message, *schema.Message]()
	err = errors.Join(
		g.AddLambdaNode(nodeExtract, compose.InvokableLambda(extractCode)),
		g.AddToolsNode(nodeExecutor, executor),
		g.AddLambdaNode(nodeReport, compose.InvokableLambda(report)),
		g.AddLambdaNode(nodeAutoReply, compose.InvokableLambda(func(context.Context, *schema.Message) (*schema.Message, error) {
			return schema.UserMessage(autoReply), nil
		})),
		g.AddEdge(compose.START, nodeExtract),
		g.AddBranch(nodeExtract, compose.NewGraphBranch(func(_ context.Context, m *schema.Message) (string, error) {
			if len(m.ToolCalls) > 0 {
				return nodeExecutor, nil
			}
			return nodeAutoReply, nil
		}, map[string]bool{nodeExecutor: true, nodeAutoReply: true})),
		g.AddEdge(nodeExecutor, nodeReport),
		g.AddEdge(nodeReport, compose.END),
		g.AddEdge(nodeAutoReply, compose.END),
	)
	if err != nil {
		return nil, err
	}
	return g.Compile(ctx, compose.WithGraphName(userProxyName))
}

// extractCode turns the code blocks of the assistant's reply into calls
// of execute_code.
func extractCode(_ context.Context, reply *schema.Message) (*schema.Message, error) {
	call := &schema.Message{Role: schema.Assistant}
	for i, m := range codeBlock.FindAllStringSubmatch(reply.Content, -1) {
		args, err := json.Marshal(codeInput{Code: m[1]})
		if err != nil {
			return nil, err
		}
		call.ToolCalls = append(call.ToolCalls, schema.ToolCall{
			ID: fmt.Sprintf("exec_%d", i+1), Type: "function",
			Function: schema.FunctionCall{Name: "execute_code", Arguments: string(args)},
		})
	}
	return call, nil
}

// report is the user proxy's reply: the output of each code block.
func report(_ context.Context, results []*schema.Message) (*schema.Message, error) {
	outs := make([]string, len(results))
	for i, r := range results {
		outs[i] = r.Content
	}
	return schema.UserMessage(strings.Join(outs, "\n\n")), nil
}
