package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// orderParams is the JSON Schema of both tools' arguments.
var orderParams = shared.FunctionParameters{
	"type":                 "object",
	"properties":           map[string]any{"order_id": map[string]any{"type": "string", "description": "The order number, like A1."}},
	"required":             []string{"order_id"},
	"additionalProperties": false,
}

// toolDefs are the tools offered to the model.
var toolDefs = []openai.ChatCompletionToolUnionParam{
	openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name: "lookup_order", Description: openai.String("Looks up an order's status and delivery date."),
		Parameters: orderParams, Strict: openai.Bool(true),
	}),
	openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name: "refund_status", Description: openai.String("Tells whether a refund was requested for an order, and its state."),
		Parameters: orderParams, Strict: openai.Bool(true),
	}),
}

// errBillingTimeout is what the billing service answers today.
var errBillingTimeout = errors.New("billing service timed out")

// callTool runs the tool name with the JSON arguments args under a
// function span, and returns the result to send back to the model (an
// error as "error: ...", so the model can say what went wrong).
func callTool(ctx context.Context, name, args string) string {
	ctx, span := tracing.FunctionSpan(ctx, name, args)
	defer span.End()
	out, err := runTool(ctx, name, args)
	span.SetOutput(out)
	span.SetError(err)
	if err != nil {
		return "error: " + err.Error()
	}
	return out
}

func runTool(_ context.Context, name, args string) (string, error) {
	var a struct {
		OrderID string `json:"order_id"`
	}
	if err := json.Unmarshal([]byte(args), &a); err != nil {
		return "", fmt.Errorf("%s: bad arguments: %w", name, err)
	}
	switch name {
	case "lookup_order":
		b, err := json.Marshal(map[string]string{"order_id": a.OrderID, "status": "delivered", "delivered_at": "2026-11-28"})
		return string(b), err
	case "refund_status":
		return "", errBillingTimeout
	}
	return "", fmt.Errorf("no tool named %q", name)
}
