package otelbridge

// Option configures an [Exporter]; pass options to [New] or [NewExporter].
type Option interface{ apply(*config) }

type config struct {
	messages *bool
	coze     bool
}

type option func(*config)

func (f option) apply(c *config) { f(c) }

// WithMessageAttributes sets whether model spans carry the message
// attributes of the GenAI and OpenInference conventions
// (gen_ai.input.messages, llm.input_messages.N.*, and their output twins),
// as otlpexport's option of the same name. The default is on, except with
// [WithCozeLoopShaping].
func WithMessageAttributes(on bool) Option {
	return option(func(c *config) { c.messages = &on })
}

// WithCozeLoopShaping shapes spans as otlpexport does for Coze Loop, for a
// pipeline that ends there (a collector forwarding to Coze Loop): tool
// arguments and results are not repeated as gen_ai.tool.call.*, message
// attributes are off (unless [WithMessageAttributes] turns them on), and each
// span's JSON form is brought within Coze Loop's per-span limit; a span that
// cannot fit is dropped and counted as too_large.
func WithCozeLoopShaping(on bool) Option {
	return option(func(c *config) { c.coze = on })
}
