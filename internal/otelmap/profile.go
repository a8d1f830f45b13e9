package otelmap

import "strings"

// Profile is a set of attribute families: which conventions a span's
// attributes follow. The zero Profile means [All].
type Profile uint8

// The attribute families.
const (
	// GenAI is the OpenTelemetry GenAI semantic conventions: gen_ai.*
	// (operation, model, provider, usage, request parameters, agent and
	// tool names, messages) and error.type.
	GenAI Profile = 1 << iota
	// OpenInference is Arize's conventions, read by Phoenix and Langfuse:
	// openinference.span.kind, input.value / output.value with their mime
	// types, llm.*, agent.name, session.id and the metadata JSON.
	OpenInference
	// CozeLoop is what Coze Loop reads: cozeloop.*, the Coze Loop token tags
	// (reasoning_tokens, input_cached_tokens,
	// input_creation_cached_tokens), service.name on spans, and the GenAI
	// and OpenInference keys its converter reads (gen_ai.request.model,
	// gen_ai.system, gen_ai.usage.input_tokens and output_tokens,
	// gen_ai.request.*, session.id, error.type) or shows as tags users read
	// (gen_ai.response.id and finish_reasons, gen_ai.agent.name,
	// gen_ai.tool.name and call.id, metadata) — and no other duplicate.
	CozeLoop
	// All is every family.
	All = GenAI | OpenInference | CozeLoop
)

// orAll returns p, or All for the zero Profile.
func (p Profile) orAll() Profile {
	if p == 0 {
		return All
	}
	return p
}

// Keys of the Coze Loop family that are not under cozeloop.: the custom tags
// its token badges and trajectories read, and service.name, which its newer
// converter reads from the span (not the resource) into psm.
const (
	keyCozeReasoning     = "reasoning_tokens"
	keyCozeCached        = "input_cached_tokens"
	keyCozeCacheCreation = "input_creation_cached_tokens"
	keyServiceName       = "service.name"
)

// families returns the families key belongs to, or 0 for the keys of no
// family, sent under every profile: the project's own agenttrace.*, mcp.*,
// and user metadata keys (never named like a family's key: see userKey).
// The keys of more than one family, and of a family their prefix does not
// say, are listed; a switch, not a map, so that no key is hashed.
func families(key string) Profile {
	switch key {
	case "gen_ai.request.model", "gen_ai.system", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
		"gen_ai.response.id", "gen_ai.response.finish_reasons", "gen_ai.agent.name", "gen_ai.tool.name",
		"gen_ai.tool.call.id", "gen_ai.embeddings.dimension.count", keyToolDefinitions, keyErrorType:
		return GenAI | CozeLoop
	case keySession, "metadata":
		return OpenInference | CozeLoop
	case keyInput, keyOutput, keyInputMime, keyOutputMime, "agent.name", "embedding.model_name":
		return OpenInference
	case keyCozeReasoning, keyCozeCached, keyCozeCacheCreation, keyServiceName:
		return CozeLoop
	}
	switch {
	case strings.HasPrefix(key, "gen_ai.request."):
		return GenAI | CozeLoop
	case strings.HasPrefix(key, "gen_ai."):
		return GenAI
	case strings.HasPrefix(key, "llm."), strings.HasPrefix(key, "openinference."):
		return OpenInference
	case strings.HasPrefix(key, "cozeloop."):
		return CozeLoop
	}
	return 0
}

// sends reports whether a span under profile p carries key.
func (p Profile) sends(key string) bool {
	if p == All {
		return true
	}
	f := families(key)
	return f == 0 || f&p != 0
}
