package anthropictrace

import "encoding/json"

// The Messages API wire shapes, reduced to what a span records. Fields
// whose shape varies between block types stay json.RawMessage and are
// decoded only where their type is known, so that a block of a new type
// never makes a whole request or response undecodable.

// wireRequest is the body of POST /v1/messages.
type wireRequest struct {
	wireSettings
	Messages json.RawMessage `json:"messages"`
	System   json.RawMessage `json:"system"` // a string or a list of text blocks
}

// wireSettings is a request without its content: what is decoded when
// the messages are not recorded, so that they are skipped, not copied.
type wireSettings struct {
	Model         string            `json:"model"`
	MaxTokens     *int64            `json:"max_tokens"`
	Temperature   *float64          `json:"temperature"`
	TopP          *float64          `json:"top_p"`
	TopK          *int64            `json:"top_k"`
	StopSequences []string          `json:"stop_sequences"`
	Stream        bool              `json:"stream"`
	Tools         []json.RawMessage `json:"tools"`
	ToolChoice    *wireToolChoice   `json:"tool_choice"`
	Thinking      *wireThinking     `json:"thinking"`
	OutputConfig  *wireOutputConfig `json:"output_config"`
	ServiceTier   string            `json:"service_tier"`
}

// wireMessage is one entry of a request's messages.
type wireMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"` // a string or a list of blocks
}

// wireBlock is a content block of any type: text, image, document,
// tool_use, tool_result, thinking, ...
type wireBlock struct {
	Type      string          `json:"type"`
	Text      string          `json:"text"`
	Source    json.RawMessage `json:"source"` // an object for images and documents
	Title     string          `json:"title"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"` // a tool result's: a string or a list of blocks
	Thinking  string          `json:"thinking"`
}

// wireSource is the source of an image or document block.
type wireSource struct {
	Type      string          `json:"type"` // base64, url, file, text, content
	MediaType string          `json:"media_type"`
	Data      string          `json:"data"`
	URL       string          `json:"url"`
	FileID    string          `json:"file_id"`
	Content   json.RawMessage `json:"content"` // a content source's: a string or a list of blocks
}

// wireTool is one entry of a request's tools: a custom tool, or a server
// tool such as web_search_20250305 (which has a type and a name only).
type wireTool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"`
	Strict      bool            `json:"strict"`
}

type wireToolChoice struct {
	Type                   string `json:"type"` // auto, any, tool, none
	Name                   string `json:"name"`
	DisableParallelToolUse bool   `json:"disable_parallel_tool_use"`
}

type wireThinking struct {
	Type         string `json:"type"` // enabled, disabled, adaptive
	BudgetTokens int64  `json:"budget_tokens"`
}

type wireOutputConfig struct {
	Effort string `json:"effort"`
	Format *struct {
		Type string `json:"type"`
	} `json:"format"`
}

// wireResponse is a Message: the body of a non-streamed response, and the
// message of a message_start event.
type wireResponse struct {
	wireResult
	Content json.RawMessage `json:"content"`
}

// wireResult is a message without its content, decoded alone when the
// content is not recorded.
type wireResult struct {
	ID         string     `json:"id"`
	Model      string     `json:"model"`
	StopReason string     `json:"stop_reason"`
	Usage      *wireUsage `json:"usage"`
}

// wireUsage counts tokens. The counts are pointers so that a
// message_delta event's usage overrides only the counts it carries.
type wireUsage struct {
	InputTokens              *int64 `json:"input_tokens"`
	OutputTokens             *int64 `json:"output_tokens"`
	CacheCreationInputTokens *int64 `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     *int64 `json:"cache_read_input_tokens"`
	OutputTokensDetails      *struct {
		ThinkingTokens *int64 `json:"thinking_tokens"`
	} `json:"output_tokens_details"`
}

// wireError is the body of an error response and the data of a stream's
// error event: {"type":"error","error":{"type":...,"message":...}}.
type wireError struct {
	Error *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	RequestID string `json:"request_id"`
}

// wireEvent is the data of one server-sent event of a streamed response.
type wireEvent struct {
	Type         string          `json:"type"`
	Message      *wireResponse   `json:"message"`       // message_start
	Index        int             `json:"index"`         // content_block_*
	ContentBlock json.RawMessage `json:"content_block"` // content_block_start
	Delta        *wireDelta      `json:"delta"`         // content_block_delta, message_delta
	Usage        *wireUsage      `json:"usage"`         // message_delta
}

type wireDelta struct {
	Type        string `json:"type"` // text_delta, input_json_delta, thinking_delta, ...
	Text        string `json:"text"`
	PartialJSON string `json:"partial_json"`
	Thinking    string `json:"thinking"`
	StopReason  string `json:"stop_reason"` // message_delta
}
