package tracing

import (
	"errors"
	"os"
	"strconv"
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
	// EnvTracesSampler chooses the sampler of traces as it does for the
	// OpenTelemetry SDK, which reads it too (any case, surrounding spaces
	// ignored): "parentbased_always_on" (the default), "parentbased_always_off",
	// "parentbased_traceidratio", "always_on", "always_off" or
	// "traceidratio". The parentbased_ samplers follow the sampled flag of
	// an OTel parent and decide alone only for traces without one; the
	// others decide for every trace, parent or not. Any other value is
	// logged as a warning and the default is used.
	EnvTracesSampler = "OTEL_TRACES_SAMPLER"
	// EnvTracesSamplerArg is the ratio of the traceidratio samplers, from 0
	// to 1 (default 1). A value that is not such a number is logged as a
	// warning and 1 is used, as the OpenTelemetry SDK does.
	EnvTracesSamplerArg = "OTEL_TRACES_SAMPLER_ARG"
)

type envConfig struct {
	disabled         bool
	includeSensitive bool
	sampler          samplerConfig
	samplerErr       error // why the sampler variables were not taken as given
}

// samplerConfig is a sampler as OTEL_TRACES_SAMPLER names them: a ratio of
// traces recorded, deciding alone (ignoreParent) or only for traces without
// an OTel parent.
type samplerConfig struct {
	ratio        float64
	ignoreParent bool
}

// samplerFromEnv reads OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as
// the OpenTelemetry SDK does. On an error, the sampler returned is the one
// to use: the default for an unknown name, a ratio of 1 for a bad ratio.
func samplerFromEnv() (samplerConfig, error) {
	name := strings.ToLower(strings.TrimSpace(os.Getenv(EnvTracesSampler)))
	arg := strings.TrimSpace(os.Getenv(EnvTracesSamplerArg))
	switch name {
	case "", "parentbased_always_on":
		return samplerConfig{ratio: 1}, nil
	case "parentbased_always_off":
		return samplerConfig{ratio: 0}, nil
	case "always_on":
		return samplerConfig{ratio: 1, ignoreParent: true}, nil
	case "always_off":
		return samplerConfig{ratio: 0, ignoreParent: true}, nil
	case "traceidratio", "parentbased_traceidratio":
		ratio, err := parseRatio(arg)
		return samplerConfig{ratio: ratio, ignoreParent: name == "traceidratio"}, err
	}
	return samplerConfig{ratio: 1}, errors.New(EnvTracesSampler + ": unsupported sampler " + strconv.Quote(clipName(name)) + "; using parentbased_always_on")
}

// parseRatio reads a ratio from 0 to 1; "" is 1.
func parseRatio(arg string) (float64, error) {
	if arg == "" {
		return 1, nil
	}
	v, err := strconv.ParseFloat(arg, 64)
	if err != nil || v < 0 || v > 1 || v != v {
		return 1, errors.New(EnvTracesSamplerArg + ": " + strconv.Quote(clipName(arg)) + " is not a ratio from 0 to 1; using 1")
	}
	return v, nil
}

// clipName bounds a variable's value quoted in a warning.
func clipName(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

func readEnv() envConfig {
	sensitive := true
	if v, ok := os.LookupEnv(EnvIncludeSensitiveData); ok {
		sensitive = isTrue(v) // fail closed: only a clear yes keeps content
	}
	sampler, err := samplerFromEnv()
	return envConfig{
		disabled:         isTrue(os.Getenv(EnvDisableTracing)),
		includeSensitive: sensitive,
		sampler:          sampler,
		samplerErr:       err,
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
