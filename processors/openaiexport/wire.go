package openaiexport

import "encoding/json"

// The JSON objects below mirror the Python SDK's export() dictionaries, key
// for key and in the same order. Pointer and interface fields encode as null
// when unset; nil slices and maps encode as null too, as Python's None does.
// The few keys Python adds only when set are tagged omitempty.

type traceJSON struct {
	Object       string          `json:"object"`
	ID           string          `json:"id"`
	WorkflowName string          `json:"workflow_name"`
	GroupID      *string         `json:"group_id"`
	Metadata     json.RawMessage `json:"metadata"`
}

type spanJSON struct {
	Object    string          `json:"object"`
	ID        string          `json:"id"`
	TraceID   string          `json:"trace_id"`
	ParentID  *string         `json:"parent_id"`
	StartedAt *string         `json:"started_at"`
	EndedAt   *string         `json:"ended_at"`
	SpanData  any             `json:"span_data"`
	Error     *errorJSON      `json:"error"`
	Metadata  json.RawMessage `json:"metadata,omitempty"`
}

type errorJSON struct {
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

type agentJSON struct {
	Type       string  `json:"type"`
	Name       string  `json:"name"`
	Handoffs   any     `json:"handoffs"`
	Tools      any     `json:"tools"`
	OutputType *string `json:"output_type"`
}

type generationJSON struct {
	Type        string          `json:"type"`
	Input       json.RawMessage `json:"input"`
	Output      json.RawMessage `json:"output"`
	Model       *string         `json:"model"`
	ModelConfig json.RawMessage `json:"model_config"`
	Usage       any             `json:"usage"`
}

type functionJSON struct {
	Type    string          `json:"type"`
	Name    string          `json:"name"`
	Input   json.RawMessage `json:"input"`
	Output  json.RawMessage `json:"output"`
	MCPData json.RawMessage `json:"mcp_data"`
}

type guardrailJSON struct {
	Type      string `json:"type"`
	Name      string `json:"name"`
	Triggered bool   `json:"triggered"`
}

type handoffJSON struct {
	Type      string  `json:"type"`
	FromAgent *string `json:"from_agent"`
	ToAgent   *string `json:"to_agent"`
}

type audioJSON struct {
	Data   string `json:"data"`
	Format string `json:"format"`
}

type transcriptionJSON struct {
	Type        string          `json:"type"`
	Input       json.RawMessage `json:"input"`
	Output      json.RawMessage `json:"output"`
	Model       *string         `json:"model"`
	ModelConfig json.RawMessage `json:"model_config"`
}

type speechJSON struct {
	Type           string          `json:"type"`
	Input          json.RawMessage `json:"input"`
	Output         json.RawMessage `json:"output"`
	Model          *string         `json:"model"`
	ModelConfig    json.RawMessage `json:"model_config"`
	FirstContentAt *string         `json:"first_content_at"`
}

type speechGroupJSON struct {
	Type  string          `json:"type"`
	Input json.RawMessage `json:"input"`
}

type customJSON struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Data any    `json:"data"`
}

// responseJSON is a response span for the OpenAI endpoint, which takes usage
// on generation spans only.
type responseJSON struct {
	Type       string  `json:"type"`
	ResponseID *string `json:"response_id"`
}

// responseFullJSON is a response span for a custom endpoint: Python sends
// "usage": self.usage, null when unset.
type responseFullJSON struct {
	Type       string     `json:"type"`
	ResponseID *string    `json:"response_id"`
	Usage      *usageJSON `json:"usage"`
}

type mcpToolsJSON struct {
	Type   string  `json:"type"`
	Server *string `json:"server"`
	Result any     `json:"result"`
}

// taskDataJSON is the data of a task span. Python adds usage only when it is
// not None.
type taskDataJSON struct {
	SDKSpanType string     `json:"sdk_span_type"`
	Name        string     `json:"name"`
	Usage       *taskUsage `json:"usage,omitempty"`
}

type taskUsage struct {
	Requests              int64 `json:"requests"`
	InputTokens           int64 `json:"input_tokens"`
	OutputTokens          int64 `json:"output_tokens"`
	TotalTokens           int64 `json:"total_tokens"`
	CachedInputTokens     int64 `json:"cached_input_tokens"`
	CacheWriteInputTokens int64 `json:"cache_write_input_tokens"`
}

// turnDataJSON is the data of a turn span. Python adds usage only when it is
// not None.
type turnDataJSON struct {
	SDKSpanType string     `json:"sdk_span_type"`
	Turn        int        `json:"turn"`
	AgentName   string     `json:"agent_name"`
	Usage       *turnUsage `json:"usage,omitempty"`
}

type turnUsage struct {
	InputTokens           int64 `json:"input_tokens"`
	OutputTokens          int64 `json:"output_tokens"`
	CachedInputTokens     int64 `json:"cached_input_tokens"`
	CacheWriteInputTokens int64 `json:"cache_write_input_tokens"`
}

// embeddingDataJSON, retrieverDataJSON and promptDataJSON are the data of
// the kinds the Python SDK does not have, sent as custom spans in the way
// task and turn spans are: name the kind, data.sdk_span_type too.
type embeddingDataJSON struct {
	SDKSpanType string          `json:"sdk_span_type"`
	Model       *string         `json:"model"`
	Input       json.RawMessage `json:"input"`
	Dimensions  int             `json:"dimensions,omitempty"`
	Count       int             `json:"count,omitempty"`
	Usage       *usageJSON      `json:"usage,omitempty"`
}

type retrieverDataJSON struct {
	SDKSpanType string          `json:"sdk_span_type"`
	Name        string          `json:"name"`
	Query       json.RawMessage `json:"query"`
	TopK        int             `json:"top_k,omitempty"`
	Documents   json.RawMessage `json:"documents"`
}

type documentJSON struct {
	ID       string          `json:"id,omitempty"`
	Content  string          `json:"content"`
	Score    float64         `json:"score,omitempty"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
}

type promptDataJSON struct {
	SDKSpanType string          `json:"sdk_span_type"`
	Name        string          `json:"name"`
	Template    json.RawMessage `json:"template"`
	Variables   json.RawMessage `json:"variables"`
	Output      json.RawMessage `json:"output"`
}

// usageJSON is a model call's usage as the Python SDK records it.
type usageJSON struct {
	Requests            int64         `json:"requests"`
	InputTokens         int64         `json:"input_tokens"`
	OutputTokens        int64         `json:"output_tokens"`
	TotalTokens         int64         `json:"total_tokens"`
	InputTokensDetails  cachedJSON    `json:"input_tokens_details"`
	OutputTokensDetails reasoningJSON `json:"output_tokens_details"`
}

// ingestUsageJSON is usageJSON rewritten for the OpenAI endpoint, which
// accepts only input_tokens, output_tokens and details.
type ingestUsageJSON struct {
	InputTokens  int64              `json:"input_tokens"`
	OutputTokens int64              `json:"output_tokens"`
	Details      ingestUsageDetails `json:"details"`
}

type ingestUsageDetails struct {
	Requests            int64         `json:"requests"`
	TotalTokens         int64         `json:"total_tokens"`
	InputTokensDetails  cachedJSON    `json:"input_tokens_details"`
	OutputTokensDetails reasoningJSON `json:"output_tokens_details"`
}

// cachedJSON is input_tokens_details; the Python SDK sends
// cache_write_tokens next to cached_tokens.
type cachedJSON struct {
	CachedTokens     int64 `json:"cached_tokens"`
	CacheWriteTokens int64 `json:"cache_write_tokens"`
}

type reasoningJSON struct {
	ReasoningTokens int64 `json:"reasoning_tokens"`
}
