package openaitrace

import "github.com/agenttrace/agenttrace-go/spans"

// chatUsage is the usage object of Chat Completions and Embeddings, with
// the cache counts some compatible vendors put elsewhere.
type chatUsage struct {
	PromptTokens        int64 `json:"prompt_tokens"`
	CompletionTokens    int64 `json:"completion_tokens"`
	TotalTokens         int64 `json:"total_tokens"`
	PromptTokensDetails *struct {
		CachedTokens     int64 `json:"cached_tokens"`
		CacheWriteTokens int64 `json:"cache_write_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails *struct {
		ReasoningTokens int64 `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
	PromptCacheHitTokens int64 `json:"prompt_cache_hit_tokens"` // DeepSeek
	CachedTokens         int64 `json:"cached_tokens"`           // Moonshot
}

// usage returns u as span usage for one request; nil for a nil u.
func (u *chatUsage) usage() *spans.Usage {
	if u == nil {
		return nil
	}
	out := &spans.Usage{
		Requests:     1,
		InputTokens:  u.PromptTokens,
		OutputTokens: u.CompletionTokens,
		TotalTokens:  u.TotalTokens,
	}
	switch {
	case u.PromptTokensDetails != nil && u.PromptTokensDetails.CachedTokens != 0:
		out.CachedInputTokens = u.PromptTokensDetails.CachedTokens
	case u.PromptCacheHitTokens != 0:
		out.CachedInputTokens = u.PromptCacheHitTokens
	default:
		out.CachedInputTokens = u.CachedTokens
	}
	if d := u.PromptTokensDetails; d != nil {
		out.CacheWriteInputTokens = d.CacheWriteTokens
	}
	if d := u.CompletionTokensDetails; d != nil {
		out.ReasoningTokens = d.ReasoningTokens
	}
	return out
}

// responseUsage is the usage object of the Responses API.
type responseUsage struct {
	InputTokens        int64 `json:"input_tokens"`
	OutputTokens       int64 `json:"output_tokens"`
	TotalTokens        int64 `json:"total_tokens"`
	InputTokensDetails *struct {
		CachedTokens     int64 `json:"cached_tokens"`
		CacheWriteTokens int64 `json:"cache_write_tokens"`
	} `json:"input_tokens_details"`
	OutputTokensDetails *struct {
		ReasoningTokens int64 `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
}

// usage returns u as span usage for one request; nil for a nil u.
func (u *responseUsage) usage() *spans.Usage {
	if u == nil {
		return nil
	}
	out := &spans.Usage{
		Requests:     1,
		InputTokens:  u.InputTokens,
		OutputTokens: u.OutputTokens,
		TotalTokens:  u.TotalTokens,
	}
	if d := u.InputTokensDetails; d != nil {
		out.CachedInputTokens, out.CacheWriteInputTokens = d.CachedTokens, d.CacheWriteTokens
	}
	if d := u.OutputTokensDetails; d != nil {
		out.ReasoningTokens = d.ReasoningTokens
	}
	return out
}
