package spans

import "time"

// Data is the typed payload of a span. It is implemented only by the pointer
// types of this package (*Agent, *Generation, ...); the set is closed so that
// exporters can map every kind exhaustively.
type Data interface {
	// Kind reports which kind of span this data describes.
	Kind() Kind
	// SpanName returns a short human-readable name for the span, such as the
	// agent, tool or model name. It may be empty.
	SpanName() string
	// snapshot returns a shallow copy, with content cleared when redact is set.
	snapshot(redact bool) Data
}

// Usage counts the tokens and requests of one or more model calls.
type Usage struct {
	// Requests is the number of model requests made.
	Requests int64
	// InputTokens is the number of input (prompt) tokens.
	InputTokens int64
	// OutputTokens is the number of output (completion) tokens.
	OutputTokens int64
	// TotalTokens is the total; when zero, exporters use InputTokens+OutputTokens.
	TotalTokens int64
	// CachedInputTokens is the part of InputTokens served from a prompt cache.
	CachedInputTokens int64
	// CacheWriteInputTokens is the part of InputTokens written to a prompt cache.
	CacheWriteInputTokens int64
	// ReasoningTokens is the part of OutputTokens spent on reasoning.
	ReasoningTokens int64
}

// Total returns TotalTokens, or InputTokens+OutputTokens when TotalTokens is zero.
// A nil *Usage has a total of zero.
func (u *Usage) Total() int64 {
	if u == nil {
		return 0
	}
	if u.TotalTokens != 0 {
		return u.TotalTokens
	}
	return u.InputTokens + u.OutputTokens
}

// Agent describes one agent's turn of work.
type Agent struct {
	// Name is the agent's name.
	Name string
	// Handoffs names the agents this agent may hand off to.
	Handoffs []string
	// Tools names the tools this agent may call.
	Tools []string
	// OutputType names the type of the agent's final output.
	OutputType string
	// Input is what the agent was asked: a string, a []Message, or any
	// JSON-encodable value. Exported to OpenTelemetry backends (Coze Loop
	// shows it on the agent's row); the OpenAI traces format has no field for
	// it. Content.
	Input any
	// Output is the agent's final output: a string, a []Message, or any
	// JSON-encodable value. Exported like Input. Content.
	Output any
}

// Generation describes one LLM call.
type Generation struct {
	// Input is the messages sent to the model. Content.
	Input []Message
	// Output is the messages the model returned. Content.
	Output []Message
	// Tools are the tools offered to the model. Exported to OpenTelemetry
	// backends only; the OpenAI traces format has no field for them.
	Tools []Tool
	// Model is the model name.
	Model string
	// ModelConfig holds request parameters (temperature, max_tokens, base_url, ...).
	ModelConfig map[string]any
	// Usage counts tokens; nil when unknown.
	Usage *Usage
	// Provider names the model vendor ("openai", "anthropic", ...); empty means
	// exporters infer nothing and leave it unset.
	Provider string
	// FinishReason is why the model stopped ("stop", "tool_calls", ...).
	FinishReason string
	// ResponseID is the vendor's id for the response, when known.
	ResponseID string
	// Stream reports whether the output was streamed.
	Stream bool
	// FirstTokenAt is when the first output token arrived (streamed calls);
	// zero when unknown.
	FirstTokenAt time.Time
}

// Function describes one tool (function) call.
type Function struct {
	// Name is the tool name.
	Name string
	// CallID is the model's id for the call, when known.
	CallID string
	// Input is the arguments as JSON text. Content.
	Input string
	// Output is the result: a string is sent as is, any other value as its
	// JSON encoding (a value with none as a short description of its type
	// and the encoding error). The OpenAI traces exporter, like the Python
	// SDK, sends only nil as null: "", 0 and false are sent as text. Content.
	Output any
	// MCPData describes the MCP server that served the call, if any.
	MCPData map[string]any
}

// Guardrail describes one guardrail check.
type Guardrail struct {
	// Name is the guardrail's name.
	Name string
	// Triggered reports whether the guardrail tripped. A trip is not an error.
	Triggered bool
}

// Handoff describes control passing from one agent to another.
type Handoff struct {
	// From is the agent handing off.
	From string
	// To is the agent receiving control.
	To string
}

// Transcription describes one speech-to-text call.
type Transcription struct {
	// Input is the audio sent. Content.
	Input []byte
	// InputFormat is the audio format ("pcm", "wav", ...).
	InputFormat string
	// Output is the transcript. Content.
	Output string
	// Model is the model name.
	Model string
	// ModelConfig holds request parameters.
	ModelConfig map[string]any
}

// Speech describes one text-to-speech call.
type Speech struct {
	// Input is the text spoken. Content.
	Input string
	// Output is the audio produced. Content.
	Output []byte
	// OutputFormat is the audio format ("pcm", "mp3", ...).
	OutputFormat string
	// Model is the model name.
	Model string
	// ModelConfig holds request parameters.
	ModelConfig map[string]any
	// FirstContentAt is when the first audio arrived; zero when unknown.
	FirstContentAt time.Time
}

// SpeechGroup groups the speech spans that speak one text.
type SpeechGroup struct {
	// Input is the text spoken. Content.
	Input string
}

// Custom is a span with a name and free-form data.
type Custom struct {
	// Name names the operation.
	Name string
	// Data holds JSON-encodable details.
	Data map[string]any
	// Input is what the operation was given, when it has one: a string, a
	// []Message, or any JSON-encodable value. OpenTelemetry exporters show
	// it as the span's input; the OpenAI traces exporter sends it as the
	// "input" key of data, which the Python SDK's custom spans have no
	// field for. Content.
	Input any
	// Output is what the operation produced, exported like Input (as the
	// "output" key of data for the OpenAI traces exporter). Content.
	Output any
}

// Response describes one call to the OpenAI Responses API.
type Response struct {
	// ResponseID is the id of the response.
	ResponseID string
	// Model is the model name, when known (exported to OpenTelemetry backends).
	Model string
	// Provider names the model vendor ("openai", "azure.ai.openai", ...);
	// empty means exporters leave it unset.
	Provider string
	// ModelConfig holds request parameters (temperature, max_output_tokens,
	// reasoning, ...). Exported to OpenTelemetry backends only.
	ModelConfig map[string]any
	// Tools are the tools offered to the model. Exported to OpenTelemetry
	// backends only.
	Tools []Tool
	// Usage counts tokens; nil when unknown.
	Usage *Usage
	// Input is the request's input: a string or a list of Responses input
	// items (any JSON-encodable value; a json.RawMessage is sent as is).
	// Exported to OpenTelemetry backends only, as {"input":[...]}; the
	// OpenAI traces format has no field for it. Content.
	Input any
	// Output is the response's output items (any JSON-encodable value; a
	// json.RawMessage is sent as is), exported like Input, as
	// {"id":...,"output":[...]}. Content.
	Output any
}

// MCPListTools describes listing the tools of an MCP server.
type MCPListTools struct {
	// Server names the MCP server.
	Server string
	// Result lists the tool names returned.
	Result []string
}

// Embedding describes one call to an embedding model. It is not a kind of
// the Python SDK: the OpenAI traces exporter sends it as a custom span.
type Embedding struct {
	// Model is the model name.
	Model string
	// Provider names the model vendor; empty means unset.
	Provider string
	// Input is the texts embedded. Content.
	Input []string
	// Dimensions is the length of each vector returned; zero when unknown.
	Dimensions int
	// Count is the number of vectors returned.
	Count int
	// Usage counts tokens; nil when unknown.
	Usage *Usage
}

// Document is one document a retriever returned.
type Document struct {
	// ID identifies the document.
	ID string
	// Content is the document's text. Content.
	Content string
	// Score is the retriever's relevance score; zero when unknown.
	Score float64
	// Metadata holds JSON-encodable details.
	Metadata map[string]any
}

// Retriever describes one retrieval (a vector or keyword search over
// documents). It is not a kind of the Python SDK: the OpenAI traces
// exporter sends it as a custom span.
type Retriever struct {
	// Name names the retriever or index.
	Name string
	// Query is the query. Content.
	Query string
	// Documents are the documents returned, best first. Content.
	Documents []Document
	// TopK is the number of documents asked for; zero when unknown.
	TopK int
}

// Prompt describes the rendering of a prompt template into messages. It is
// not a kind of the Python SDK: the OpenAI traces exporter sends it as a
// custom span.
type Prompt struct {
	// Name names the template.
	Name string
	// Template is the template's messages, unrendered, when known. Content.
	Template []Message
	// Variables are the values substituted. Content.
	Variables map[string]any
	// Output is the rendered messages. Content.
	Output []Message
}

// Task is the span of a whole agent run (one runner invocation).
type Task struct {
	// Name is the workflow or run name.
	Name string
	// Usage sums the run's model usage; nil when unknown.
	Usage *Usage
}

// Turn is the span of one turn of an agent run.
type Turn struct {
	// Turn is the turn number, from 1.
	Turn int
	// AgentName is the agent that ran the turn.
	AgentName string
	// Usage sums the turn's model usage; nil when unknown.
	Usage *Usage
}

// Kind returns KindAgent.
func (*Agent) Kind() Kind { return KindAgent }

// Kind returns KindGeneration.
func (*Generation) Kind() Kind { return KindGeneration }

// Kind returns KindFunction.
func (*Function) Kind() Kind { return KindFunction }

// Kind returns KindGuardrail.
func (*Guardrail) Kind() Kind { return KindGuardrail }

// Kind returns KindHandoff.
func (*Handoff) Kind() Kind { return KindHandoff }

// Kind returns KindTranscription.
func (*Transcription) Kind() Kind { return KindTranscription }

// Kind returns KindSpeech.
func (*Speech) Kind() Kind { return KindSpeech }

// Kind returns KindSpeechGroup.
func (*SpeechGroup) Kind() Kind { return KindSpeechGroup }

// Kind returns KindCustom.
func (*Custom) Kind() Kind { return KindCustom }

// Kind returns KindResponse.
func (*Response) Kind() Kind { return KindResponse }

// Kind returns KindMCPListTools.
func (*MCPListTools) Kind() Kind { return KindMCPListTools }

// Kind returns KindEmbedding.
func (*Embedding) Kind() Kind { return KindEmbedding }

// Kind returns KindRetriever.
func (*Retriever) Kind() Kind { return KindRetriever }

// Kind returns KindPrompt.
func (*Prompt) Kind() Kind { return KindPrompt }

// Kind returns KindTask.
func (*Task) Kind() Kind { return KindTask }

// Kind returns KindTurn.
func (*Turn) Kind() Kind { return KindTurn }

// SpanName returns the agent name.
func (d *Agent) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Name
}

// SpanName returns the model name.
func (d *Generation) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Model
}

// SpanName returns the tool name.
func (d *Function) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Name
}

// SpanName returns the guardrail name.
func (d *Guardrail) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Name
}

// SpanName returns "From -> To".
func (d *Handoff) SpanName() string {
	if d == nil {
		return ""
	}
	return d.From + " -> " + d.To
}

// SpanName returns the model name.
func (d *Transcription) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Model
}

// SpanName returns the model name.
func (d *Speech) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Model
}

// SpanName returns "speech_group".
func (d *SpeechGroup) SpanName() string { return "speech_group" }

// SpanName returns the custom name.
func (d *Custom) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Name
}

// SpanName returns the model name, or the response id when the model is unknown.
func (d *Response) SpanName() string {
	if d == nil {
		return ""
	}
	if d.Model != "" {
		return d.Model
	}
	return d.ResponseID
}

// SpanName returns the server name.
func (d *MCPListTools) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Server
}

// SpanName returns the model name.
func (d *Embedding) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Model
}

// SpanName returns the retriever name.
func (d *Retriever) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Name
}

// SpanName returns the template name.
func (d *Prompt) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Name
}

// SpanName returns the task name.
func (d *Task) SpanName() string {
	if d == nil {
		return ""
	}
	return d.Name
}

// SpanName returns the agent name.
func (d *Turn) SpanName() string {
	if d == nil {
		return ""
	}
	return d.AgentName
}
