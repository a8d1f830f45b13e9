package openaiexport

import "github.com/agenttrace/agenttrace-go/spans"

// fullUsage is a model call's usage as the Python SDK records it.
func fullUsage(u *spans.Usage) usageJSON {
	return usageJSON{
		Requests: u.Requests, InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, TotalTokens: u.Total(),
		InputTokensDetails:  cachedJSON{u.CachedInputTokens, u.CacheWriteInputTokens},
		OutputTokensDetails: reasoningJSON{u.ReasoningTokens},
	}
}

// ingestUsage is the usage rewrite the OpenAI endpoint requires: the two
// token counts on top and everything else under details.
func ingestUsage(u *spans.Usage) ingestUsageJSON {
	return ingestUsageJSON{
		InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
		Details: ingestUsageDetails{
			Requests: u.Requests, TotalTokens: u.Total(),
			InputTokensDetails:  cachedJSON{u.CachedInputTokens, u.CacheWriteInputTokens},
			OutputTokensDetails: reasoningJSON{u.ReasoningTokens},
		},
	}
}
