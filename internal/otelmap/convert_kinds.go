package otelmap

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/spans"
)

func agentAttrs(a *attrs, d *spans.Agent) string {
	a.kinds(kindOf{coze: "agent", oi: "AGENT", op: "invoke_agent"})
	a.str("gen_ai.agent.name", d.Name)
	a.str("agent.name", d.Name)
	if len(d.Handoffs) > 0 {
		a.raw("agenttrace.agent.handoffs", jsonText(d.Handoffs, clip.MaxValue))
	}
	if len(d.Tools) > 0 {
		a.raw("agenttrace.agent.tools", jsonText(d.Tools, clip.MaxValue))
	}
	a.str("agenttrace.agent.output_type", d.OutputType)
	a.ioValue(true, d.Input)
	a.ioValue(false, d.Output)
	return spanName("invoke_agent", d.Name)
}

// ioValue adds an agent's or a trace's input or output: a string as text
// (JSON when it parses as JSON), messages in the chat shapes Coze Loop
// renders, anything else as its JSON encoding.
func (a *attrs) ioValue(in bool, v any) {
	switch x := v.(type) {
	case nil:
	case string:
		a.ioText(in, x)
	case []spans.Message:
		if len(x) == 0 {
			return
		}
		if in {
			a.io(true, clip.JSON(chatInputJSON(x, nil), clip.MaxContent), mimeJSON)
		} else {
			a.io(false, clip.JSON(chatOutputJSON(x, ""), clip.MaxContent), mimeJSON)
		}
	default:
		a.ioText(in, functionOutput(v))
	}
}

// generationAttrs adds a model call. Each message list is written in the
// chat shape and, for GenAI, in its own shape, each text escaped once (see
// escapes). The message attributes of the GenAI and
// OpenInference conventions (gen_ai.input.messages, llm.input_messages.N.*,
// and their output twins) are added for the families in messages: Coze Loop
// reads attributes with those prefixes in place of input.value and
// output.value, which would lose the chat shape and the tools.
//
// For Coze Loop (coze set), the tools' parameters are rewritten into the
// form its chat view accepts (see cozeTools), the tools as given going to
// gen_ai.tool.definitions.
func generationAttrs(a *attrs, d *spans.Generation, messages Profile, coze bool) string {
	a.kinds(kindOf{coze: "model", oi: "LLM", op: "chat"})
	a.model(d.Model, d.Provider)
	a.modelConfig(d.ModelConfig)
	a.str("gen_ai.response.id", d.ResponseID)
	a.finishReason(d.FinishReason, coze)
	a.usage(d.Usage)
	if d.Stream {
		a.bool("cozeloop.stream", true)
	}
	if !d.FirstTokenAt.IsZero() {
		a.int("cozeloop.time_to_first_token", d.FirstTokenAt.UnixMicro())
	}
	if len(d.Input) > 0 || len(d.Tools) > 0 {
		tools, changed := d.Tools, false
		if coze {
			tools, changed = cozeTools(d.Tools)
		}
		e := a.memo(messages)
		if a.sendsAny(OpenInference | CozeLoop) { // input.value or cozeloop.input
			a.io(true, clip.JSON(chatInputJSONMemo(d.Input, tools, e), clip.MaxContent), mimeJSON)
		}
		if changed {
			a.raw(keyToolDefinitions, clip.JSON(toolDefinitionsJSON(d.Tools), clip.MaxValue))
		}
		a.force = true // messages decides, not the profile
		if messages&GenAI != 0 {
			a.raw("gen_ai.input.messages", clip.JSON(genaiMessagesJSONMemo(d.Input, "", e), clip.MaxContent))
		}
		if messages&OpenInference != 0 {
			a.flatMessages("llm.input_messages", d.Input, maxFlatInput)
		}
		a.force = false
	}
	if len(d.Output) > 0 {
		e := a.memo(messages)
		if a.sendsAny(OpenInference | CozeLoop) {
			a.io(false, clip.JSON(chatOutputJSONMemo(d.Output, d.FinishReason, e), clip.MaxContent), mimeJSON)
		}
		a.force = true
		if messages&GenAI != 0 {
			a.raw("gen_ai.output.messages", clip.JSON(genaiMessagesJSONMemo(d.Output, d.FinishReason, e), clip.MaxContent))
		}
		if messages&OpenInference != 0 {
			a.flatMessages("llm.output_messages", d.Output, maxFlatOutput)
		}
		a.force = false
	}
	return spanName("chat", d.Model)
}

// responseAttrs adds a Responses API call, its input as {"input":...} and
// its output as {"id":...,"output":...}: the shapes Coze Loop's model view
// renders for this API.
func responseAttrs(a *attrs, d *spans.Response, coze bool) string {
	a.kinds(kindOf{coze: "model", oi: "LLM", op: "chat"})
	a.model(d.Model, d.Provider)
	a.modelConfig(d.ModelConfig)
	a.str("gen_ai.response.id", d.ResponseID)
	a.usage(d.Usage)
	if d.Input != nil || len(d.Tools) > 0 {
		tools, changed := d.Tools, false
		if coze {
			tools, changed = cozeTools(d.Tools)
		}
		b := append(make([]byte, 0, 64), `{"input":`...)
		if d.Input != nil {
			b = append(b, encodeJSON(d.Input)...)
		} else {
			b = append(b, `[]`...)
		}
		if len(tools) > 0 {
			b = append(b, `,"tools":`...)
			b = appendTools(b, tools)
		}
		a.io(true, clip.JSON(string(append(b, '}')), clip.MaxContent), mimeJSON)
		if changed {
			a.raw(keyToolDefinitions, clip.JSON(toolDefinitionsJSON(d.Tools), clip.MaxValue))
		}
	}
	if d.Output != nil {
		b := append(make([]byte, 0, 64), `{"id":`...)
		b = appendString(b, d.ResponseID)
		b = append(b, `,"output":`...)
		b = append(b, encodeJSON(d.Output)...)
		a.io(false, clip.JSON(string(append(b, '}')), clip.MaxContent), mimeJSON)
	}
	return spanName("chat", d.Model)
}

func embeddingAttrs(a *attrs, d *spans.Embedding) string {
	a.kinds(kindOf{coze: "embedding", oi: "EMBEDDING", op: "embeddings"})
	a.model(d.Model, d.Provider)
	a.str("embedding.model_name", d.Model)
	if d.Dimensions > 0 {
		a.int("gen_ai.embeddings.dimension.count", int64(d.Dimensions))
	}
	a.posInt("agenttrace.embedding.count", int64(d.Count))
	a.usage(d.Usage)
	if len(d.Input) > 0 {
		a.ioJSON(true, d.Input)
	}
	return spanName("embeddings", d.Model)
}

// retrieverAttrs adds a retrieval: the query as input, the documents as a
// JSON list of {id, content, score, metadata} as output.
func retrieverAttrs(a *attrs, d *spans.Retriever) string {
	a.kinds(kindOf{coze: "retriever", oi: "RETRIEVER"})
	a.str("agenttrace.retriever.name", d.Name)
	a.posInt("agenttrace.retriever.top_k", int64(d.TopK))
	a.ioText(true, d.Query)
	if d.Documents != nil {
		docs := make([]documentJSON, len(d.Documents))
		for i, doc := range d.Documents {
			docs[i] = documentJSON{doc.ID, doc.Content, doc.Score, doc.Metadata}
		}
		a.ioJSON(false, docs)
	}
	return spanName("retrieve", d.Name)
}

type documentJSON struct {
	ID       string         `json:"id,omitempty"`
	Content  string         `json:"content"`
	Score    float64        `json:"score,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// promptAttrs adds a prompt rendering: the variables (and template) as
// input, the rendered messages as output.
func promptAttrs(a *attrs, d *spans.Prompt) string {
	a.kinds(kindOf{coze: "prompt", oi: "PROMPT"})
	a.str("agenttrace.prompt.name", d.Name)
	if d.Variables != nil || d.Template != nil {
		in := map[string]any{}
		if d.Variables != nil {
			in["arguments"] = d.Variables
		}
		if d.Template != nil {
			in["templates"] = json.RawMessage(appendChatMessages(nil, d.Template, nil))
		}
		a.ioJSON(true, in)
	}
	if len(d.Output) > 0 {
		a.io(false, clip.JSON(chatInputJSON(d.Output, nil), clip.MaxContent), mimeJSON)
	}
	return spanName("prompt", d.Name)
}

// model adds the model name and provider in every family. The provider is
// left unset when unknown.
func (a *attrs) model(model, provider string) {
	a.str("gen_ai.request.model", model)
	a.str("llm.model_name", model)
	a.str("gen_ai.system", provider)
	a.str("gen_ai.provider.name", provider)
	a.str("llm.provider", provider)
}

// finishReason adds gen_ai.response.finish_reasons: a string array, except
// for Coze Loop (coze set), which keeps an array as the JSON of its
// protobuf form ({"values":[{"Value":{"stringValue":"stop"}}]}): there it is
// the reason as a string.
func (a *attrs) finishReason(reason string, coze bool) {
	switch {
	case reason == "":
	case coze:
		a.str("gen_ai.response.finish_reasons", reason)
	default:
		a.strs("gen_ai.response.finish_reasons", []string{reason})
	}
}

// usage adds token counts in the GenAI and OpenInference families, and the
// custom tags Coze Loop's token badges and trajectories read
// (reasoning_tokens, input_cached_tokens, input_creation_cached_tokens);
// Coze Loop reads gen_ai.usage.input_tokens and output_tokens.
func (a *attrs) usage(u *spans.Usage) {
	if u == nil {
		return
	}
	a.int("gen_ai.usage.input_tokens", u.InputTokens)
	a.int("gen_ai.usage.output_tokens", u.OutputTokens)
	a.int("llm.token_count.prompt", u.InputTokens)
	a.int("llm.token_count.completion", u.OutputTokens)
	a.int("llm.token_count.total", u.Total())
	a.posInt("gen_ai.usage.cache_read.input_tokens", u.CachedInputTokens)
	a.posInt("llm.token_count.prompt_details.cache_read", u.CachedInputTokens)
	a.posInt("gen_ai.usage.cache_creation.input_tokens", u.CacheWriteInputTokens)
	a.posInt("llm.token_count.prompt_details.cache_write", u.CacheWriteInputTokens)
	a.posInt("llm.token_count.completion_details.reasoning", u.ReasoningTokens)
	a.posInt(keyCozeReasoning, u.ReasoningTokens)
	a.posInt(keyCozeCached, u.CachedInputTokens)
	a.posInt(keyCozeCacheCreation, u.CacheWriteInputTokens)
}

// runUsage adds the summed usage of a task or turn under the project's own
// keys: reporting it as gen_ai.usage.* would count the model calls inside
// twice in backends that add up tokens.
func (a *attrs) runUsage(u *spans.Usage) {
	if u == nil {
		return
	}
	a.int("agenttrace.usage.input_tokens", u.InputTokens)
	a.int("agenttrace.usage.output_tokens", u.OutputTokens)
	a.int("agenttrace.usage.total_tokens", u.Total())
	a.posInt("agenttrace.usage.requests", u.Requests)
}

// functionAttrs adds a tool call. The arguments and result are repeated as
// gen_ai.tool.call.arguments and gen_ai.tool.call.result, except for Coze
// Loop (coze set), which reads input.value and output.value first: there
// they would only add bytes towards its per-span JSON limit.
func functionAttrs(a *attrs, d *spans.Function, coze bool) string {
	a.kinds(kindOf{coze: "tool", oi: "TOOL", op: "execute_tool"})
	a.str("gen_ai.tool.name", d.Name)
	a.str("gen_ai.tool.call.id", d.CallID)
	a.raw("gen_ai.tool.type", "function")
	if d.Input != "" {
		in := a.ioText(true, d.Input)
		if !coze {
			a.raw("gen_ai.tool.call.arguments", in)
		}
	}
	if out := functionOutput(d.Output); out != "" {
		out = a.ioText(false, out)
		if !coze {
			a.raw("gen_ai.tool.call.result", out)
		}
	}
	if len(d.MCPData) > 0 {
		a.raw("agenttrace.mcp.data", jsonText(d.MCPData, clip.MaxValue))
	}
	return spanName("execute_tool", d.Name)
}

// functionOutput returns a tool result as text: a string as is, bytes as
// text when they are UTF-8 and as "<binary: N bytes>" otherwise, an error as
// its text, any other value as its JSON encoding (see encodeJSON: a value
// encoding/json refuses is sent with its bad parts replaced, never
// formatted with fmt).
func functionOutput(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return "<binary: " + strconv.Itoa(len(x)) + " bytes>"
	case error:
		return errorText(x)
	}
	return string(encodeJSON(v))
}

func guardrailAttrs(a *attrs, d *spans.Guardrail) string {
	a.kinds(kindOf{coze: "guardrail", oi: "GUARDRAIL"})
	a.str("agenttrace.guardrail.name", d.Name)
	a.bool("agenttrace.guardrail.triggered", d.Triggered)
	a.io(false, `{"triggered":`+strconv.FormatBool(d.Triggered)+`}`, mimeJSON)
	return spanName("guardrail", d.Name)
}

func handoffAttrs(a *attrs, d *spans.Handoff) string {
	a.kinds(kindOf{coze: "handoff", oi: "CHAIN"})
	a.str("agenttrace.handoff.from", d.From)
	a.str("agenttrace.handoff.to", d.To)
	a.io(true, clip.Text(d.From, clip.MaxValue), mimeText)
	a.io(false, clip.Text(d.To, clip.MaxValue), mimeText)
	return spanName("handoff to", d.To)
}

// audioPlaceholder stands for audio bytes, which are never inlined.
func audioPlaceholder(n int, format string) string {
	if n == 0 {
		return ""
	}
	if format == "" {
		format = "unknown format"
	}
	return "[audio: " + strconv.Itoa(n) + " bytes, " + format + "]"
}

// transcriptionAttrs adds a speech-to-text call: the audio (a placeholder,
// never its bytes) as input, the transcript as output. For Coze Loop (coze
// set), whose model view renders chat shapes, they are a user message and
// the assistant's reply; otherwise plain text.
func transcriptionAttrs(a *attrs, d *spans.Transcription, coze bool) string {
	a.kinds(kindOf{coze: "model", oi: "LLM", op: "speech_to_text"})
	a.model(d.Model, "")
	a.modelConfig(d.ModelConfig)
	a.str("agenttrace.audio.input_format", d.InputFormat)
	a.modelText(true, audioPlaceholder(len(d.Input), d.InputFormat), coze)
	a.modelText(false, clip.Text(d.Output, clip.MaxContent), coze)
	return spanName("speech_to_text", d.Model)
}

// speechAttrs adds a text-to-speech call: the text as input, the audio (a
// placeholder) as output, in chat shapes for Coze Loop (see
// transcriptionAttrs).
func speechAttrs(a *attrs, d *spans.Speech, coze bool) string {
	a.kinds(kindOf{coze: "model", oi: "LLM", op: "text_to_speech"})
	a.model(d.Model, "")
	a.modelConfig(d.ModelConfig)
	a.str("agenttrace.audio.output_format", d.OutputFormat)
	if !d.FirstContentAt.IsZero() {
		a.int("cozeloop.time_to_first_token", d.FirstContentAt.UnixMicro())
	}
	a.modelText(true, clip.Text(d.Input, clip.MaxContent), coze)
	a.modelText(false, audioPlaceholder(len(d.Output), d.OutputFormat), coze)
	return spanName("text_to_speech", d.Model)
}

// modelText adds the text input or output of a model span that has no
// messages: as plain text, or for Coze Loop (coze set) as the chat shapes
// its model view renders, a user message in and an assistant message out.
func (a *attrs) modelText(in bool, text string, coze bool) {
	switch {
	case text == "":
	case !coze:
		a.io(in, text, mimeText)
	case in:
		a.io(true, clip.JSON(chatInputJSON([]spans.Message{{Role: "user", Content: text}}, nil), clip.MaxContent), mimeJSON)
	default:
		a.io(false, clip.JSON(chatOutputJSON([]spans.Message{{Role: "assistant", Content: text}}, ""), clip.MaxContent), mimeJSON)
	}
}

func speechGroupAttrs(a *attrs, d *spans.SpeechGroup) string {
	a.kinds(kindOf{coze: "speech_group", oi: "CHAIN"})
	a.io(true, clip.Text(d.Input, clip.MaxContent), mimeText)
	return "speech_group"
}

// customAttrs adds a custom span: its input and output when it has them,
// and its data, each key as an attribute of its own (see userKeys) and, for
// a span with no output of its own, as the output too.
func customAttrs(a *attrs, d *spans.Custom) string {
	a.kinds(kindOf{coze: "custom", oi: "CHAIN"})
	a.ioValue(true, d.Input)
	a.ioValue(false, d.Output)
	if len(d.Data) > 0 {
		if d.Output == nil {
			a.ioJSON(false, d.Data)
		}
		a.userKeys(d.Data)
	}
	if d.Name == "" {
		return "custom"
	}
	return d.Name
}

func mcpAttrs(a *attrs, d *spans.MCPListTools) string {
	a.kinds(kindOf{coze: "mcp_tools", oi: "CHAIN"})
	a.raw("mcp.method.name", "tools/list")
	a.str("agenttrace.mcp.server", d.Server)
	if d.Result != nil {
		a.ioJSON(false, d.Result)
	}
	return spanName("mcp_tools", d.Server)
}

func taskAttrs(a *attrs, d *spans.Task) string {
	a.kinds(kindOf{coze: "agent", oi: "CHAIN", op: "invoke_workflow"})
	a.str("agenttrace.task.name", d.Name)
	a.runUsage(d.Usage)
	return spanName("task", d.Name)
}

func turnAttrs(a *attrs, d *spans.Turn) string {
	a.kinds(kindOf{coze: "turn", oi: "CHAIN"})
	a.int("agenttrace.turn", int64(d.Turn))
	a.str("gen_ai.agent.name", d.AgentName)
	a.str("agent.name", d.AgentName)
	a.runUsage(d.Usage)
	return spanName("turn "+strconv.Itoa(d.Turn), d.AgentName)
}
