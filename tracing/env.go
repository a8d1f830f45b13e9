package tracing

import (
	"os"
	"strings"
)

// Environment variables read by [NewProvider] (once, as defaults that options
// override).
const (
	// EnvDisableTracing disables tracing when "1" or "true" (any case).
	EnvDisableTracing = "OPENAI_AGENTS_DISABLE_TRACING"
	// EnvIncludeSensitiveData, when "0" or "false" (any case), makes spans
	// drop model and tool inputs and outputs and audio. The default is true.
	EnvIncludeSensitiveData = "OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA"
)

type envConfig struct {
	disabled         bool
	includeSensitive bool
}

func readEnv() envConfig {
	return envConfig{
		disabled:         parseBool(os.Getenv(EnvDisableTracing), false),
		includeSensitive: parseBool(os.Getenv(EnvIncludeSensitiveData), true),
	}
}

// parseBool reads "1", "true", "yes", "on" as true and "0", "false", "no",
// "off" as false (any case, surrounding spaces ignored); anything else,
// including "", yields def.
func parseBool(v string, def bool) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	return def
}
