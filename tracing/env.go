package tracing

import (
	"os"
	"strings"
)

// Environment variables read by [NewProvider] (once, as defaults that options
// override).
const (
	// EnvDisableTracing disables tracing when it is "1", "true", "yes" or "on"
	// (any case, surrounding spaces ignored); any other value, or none,
	// leaves tracing on. The Python SDK reads "1" and "true".
	EnvDisableTracing = "OPENAI_AGENTS_DISABLE_TRACING"
	// EnvIncludeSensitiveData, when set, keeps model and tool inputs and
	// outputs and audio in spans only when it is "1", "true", "yes" or "on"
	// (any case, surrounding spaces ignored): any other value, a typo or ""
	// included, leaves them out, as in the Python SDK. Unset means include.
	EnvIncludeSensitiveData = "OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA"
)

type envConfig struct {
	disabled         bool
	includeSensitive bool
}

func readEnv() envConfig {
	sensitive := true
	if v, ok := os.LookupEnv(EnvIncludeSensitiveData); ok {
		sensitive = isTrue(v) // fail closed: only a clear yes keeps content
	}
	return envConfig{
		disabled:         isTrue(os.Getenv(EnvDisableTracing)),
		includeSensitive: sensitive,
	}
}

// isTrue reports whether v is "1", "true", "yes" or "on", in any case, with
// surrounding spaces ignored.
func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
