package einotrace

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/cloudwego/eino/adk"
	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/components"
	"github.com/cloudwego/eino/compose"

	"github.com/agenttrace/agenttrace-go/spans"
)

// kind is the kind of span a run is recorded as.
type kind uint8

const (
	kindCustom kind = iota
	kindAgent
	kindGeneration
	kindFunction
	kindHandoff
	kindRetriever
	kindEmbedding
	kindPrompt
)

// Metadata keys set on every span.
const (
	metaComponent   = "eino.component"   // the run's component: ChatModel, Tool, Graph, Lambda, ...
	metaType        = "eino.type"        // the component's implementation type (GetType), when known
	metaInterrupted = "eino.interrupted" // true on runs that an interrupt ended
)

// kindOf maps eino's component of a run to a span kind.
func kindOf(info *callbacks.RunInfo) kind {
	switch info.Component {
	case components.ComponentOfChatModel:
		return kindGeneration
	case components.ComponentOfTool:
		if info.Name == adk.TransferToAgentToolName {
			return kindHandoff
		}
		return kindFunction
	case components.ComponentOfRetriever:
		return kindRetriever
	case components.ComponentOfEmbedding:
		return kindEmbedding
	case components.ComponentOfPrompt:
		return kindPrompt
	case compose.ComponentOfGraph, compose.ComponentOfChain, compose.ComponentOfWorkflow:
		return kindAgent
	}
	return kindCustom
}

// runName names a run: its RunInfo name, else the key of the graph node it
// runs in (eino leaves the name of lambdas empty), else its component.
func runName(ctx context.Context, info *callbacks.RunInfo) string {
	if info.Name != "" {
		return info.Name
	}
	if addr := compose.GetCurrentAddress(ctx); len(addr) > 0 {
		if seg := addr[len(addr)-1]; seg.Type == compose.AddressSegmentNode && seg.ID != "" {
			return seg.ID
		}
	}
	if info.Component != "" {
		return string(info.Component)
	}
	if info.Type != "" {
		return info.Type
	}
	return "eino"
}

// agentName returns the agent a run belongs to, which a handoff starts
// from: an ADK agent (a chain whose input is an *adk.AgentInput) names
// itself, any other run takes its parent's agent, and the outermost graph
// or chain names itself.
func agentName(parent *run, k kind, name string, input any, streamed bool) string {
	if _, ok := input.(*adk.AgentInput); ok && !streamed {
		return name
	}
	if parent != nil && parent.agent != "" {
		return parent.agent
	}
	if k == kindAgent {
		return name
	}
	return ""
}

// runMetadata returns the metadata every span of a run carries: eino's
// component and implementation type.
func runMetadata(info *callbacks.RunInfo) map[string]any {
	md := make(map[string]any, 2)
	if info.Component != "" {
		md[metaComponent] = string(info.Component)
	}
	if info.Type != "" {
		md[metaType] = info.Type
	}
	return md
}

// newData returns the span data a run starts with.
func newData(ctx context.Context, r *run, name string) spans.Data {
	switch r.kind {
	case kindAgent:
		return &spans.Agent{Name: name}
	case kindGeneration:
		return &spans.Generation{Provider: providerName(r.info.Type)}
	case kindFunction:
		return &spans.Function{Name: name, CallID: compose.GetToolCallID(ctx)}
	case kindHandoff:
		return &spans.Handoff{From: r.agent}
	case kindRetriever:
		return &spans.Retriever{Name: name}
	case kindEmbedding:
		return &spans.Embedding{Provider: providerName(r.info.Type)}
	case kindPrompt:
		return &spans.Prompt{Name: name}
	}
	return &spans.Custom{Name: name, Data: map[string]any{}}
}

// providerName turns a model component's type ("OpenAI", "Ark") into a
// provider name in the OpenTelemetry style ("openai", "ark").
func providerName(typ string) string {
	return strings.ToLower(typ)
}

// handoffTarget reads the agent name from the arguments of ADK's
// transfer_to_agent tool: {"agent_name":"..."}, or the bare name.
func handoffTarget(args string) string {
	var a struct {
		AgentName string `json:"agent_name"`
	}
	if err := json.Unmarshal([]byte(args), &a); err == nil {
		return a.AgentName
	}
	return strings.TrimSpace(args)
}

// setInput records a run's input. It runs under the run's lock.
func setInput(r *run, input any) {
	switch d := r.data.(type) {
	case *spans.Agent:
		if r.content {
			d.Input = value(input)
		}
	case *spans.Generation:
		setModelInput(r, d, input)
	case *spans.Function:
		setToolInput(r, d, input)
	case *spans.Handoff:
		if ti := toolInput(input); ti != "" {
			d.To = handoffTarget(ti)
		}
	case *spans.Retriever:
		setRetrieverInput(r, d, input)
	case *spans.Embedding:
		setEmbeddingInput(r, d, input)
	case *spans.Prompt:
		setPromptInput(r, d, input)
	case *spans.Custom:
		if r.content {
			setCustomInput(r, d, input)
		}
	}
	if r.root && r.content {
		r.owned.tr.SetInput(value(input))
	}
}

// setOutput records a run's output. It runs under the run's lock.
func setOutput(r *run, output any) {
	switch d := r.data.(type) {
	case *spans.Agent:
		if r.content {
			d.Output = value(output)
		}
	case *spans.Generation:
		setModelOutput(r, d, output)
	case *spans.Function:
		setToolOutput(r, d, output)
	case *spans.Retriever:
		setRetrieverOutput(r, d, output)
	case *spans.Embedding:
		setEmbeddingOutput(d, output)
	case *spans.Prompt:
		setPromptOutput(r, d, output)
	case *spans.Custom:
		if r.content {
			setCustomOutput(r, d, output)
		}
	}
	if r.root && r.content {
		r.owned.tr.SetOutput(value(output))
	}
}
