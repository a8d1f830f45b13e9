package tracing

import (
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// Option configures a [Provider]; pass options to [NewProvider].
type Option interface{ applyProvider(*providerConfig) }

// TraceOption configures one trace; pass options to [StartTrace].
type TraceOption interface{ applyTrace(traceConfig) traceConfig }

// SpanOption configures one span; pass options to [StartSpan].
type SpanOption interface{ applySpan(spanConfig) spanConfig }

type providerConfig struct {
	processors []Processor
	disabled   bool
	sensitive  bool
	ids        IDGenerator
	clock      func() time.Time
	clockSet   bool
	logger     *slog.Logger
	sampler    samplerConfig
}

type traceConfig struct {
	id       string
	groupID  string
	metadata map[string]any
	apiKey   string
	disabled bool
	// parent, when parentSet, is the OTel parent given with
	// WithParentSpanContext; newRoot ignores the one in the context.
	parent    trace.SpanContext
	parentSet bool
	newRoot   bool
}

type spanConfig struct {
	id       string
	parent   any // *Span or *Trace
	metadata map[string]any
	disabled bool
}

type providerOption func(*providerConfig)

func (f providerOption) applyProvider(c *providerConfig) { f(c) }

// WithProcessor adds p to the processors of a new provider. Processors are
// called in the order given.
func WithProcessor(p Processor) Option {
	return providerOption(func(c *providerConfig) {
		if p != nil {
			c.processors = append(c.processors, p)
		}
	})
}

// WithDisabled sets whether the provider starts disabled. It overrides
// OPENAI_AGENTS_DISABLE_TRACING.
func WithDisabled(disabled bool) Option {
	return providerOption(func(c *providerConfig) { c.disabled = disabled })
}

// WithSensitiveData sets whether spans keep model and tool inputs and outputs,
// audio, and the details of tool and model errors (see the package
// documentation). It overrides OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA;
// the default is to include them.
func WithSensitiveData(include bool) Option {
	return providerOption(func(c *providerConfig) { c.sensitive = include })
}

// WithIDGenerator makes the provider take trace and span ids from g.
// A nil g keeps the default random generator.
func WithIDGenerator(g IDGenerator) Option {
	return providerOption(func(c *providerConfig) {
		if g != nil {
			c.ids = g
		}
	})
}

// WithClock makes the provider read times from now instead of [time.Now].
// A nil now keeps time.Now.
func WithClock(now func() time.Time) Option {
	return providerOption(func(c *providerConfig) {
		if now != nil {
			c.clock, c.clockSet = now, true
		}
	})
}

// WithLogger sets where the provider reports contained processor failures
// and the sampler variables it could not take as given.
// The default is [slog.Default] at the time of the report.
func WithLogger(l *slog.Logger) Option {
	return providerOption(func(c *providerConfig) { c.logger = l })
}

// WithSamplingRatio makes the provider record only a fraction ratio of the
// traces that have no OTel parent, deciding by trace id exactly as OTel's
// TraceIDRatioBased sampler does, so that every service sampling at the same
// ratio, with agenttrace-go or the OTel SDK, records the same traces. A
// trace that joins an OTel parent follows the parent's sampled flag, as
// OTel's default ParentBased sampler does, whatever the ratio. A ratio of 1
// or more (the default), or NaN, records every trace; 0 or less, none. It
// replaces the sampler OTEL_TRACES_SAMPLER names (see [EnvTracesSampler]).
//
// A sampled-out trace is nil, like a disabled one, and so are its spans; its
// context still carries its OTel ids with the sampled flag off, so that
// downstream services drop it too.
func WithSamplingRatio(ratio float64) Option {
	return providerOption(func(c *providerConfig) { c.sampler = samplerConfig{ratio: ratio} })
}

type traceOption func(*traceConfig)

func (f traceOption) applyTrace(c traceConfig) traceConfig {
	f(&c)
	return c
}

// WithTraceID sets the trace's id instead of generating one. Ids are not
// validated; backends expect "trace_" + 32 lowercase hex digits, which are
// then the OTel trace id (see [OTelTraceID]). The trace joins an OTel span
// in the context only if it has the same OTel trace id; otherwise it starts
// a new OTel trace.
func WithTraceID(id string) TraceOption {
	return traceOption(func(c *traceConfig) { c.id = id })
}

// WithGroupID links the trace to others of the same conversation or thread.
func WithGroupID(id string) TraceOption {
	return traceOption(func(c *traceConfig) { c.groupID = id })
}

// WithMetadata attaches metadata to the trace. The map is kept, not copied:
// do not change it after the trace starts.
func WithMetadata(md map[string]any) TraceOption {
	return traceOption(func(c *traceConfig) { c.metadata = md })
}

// WithTracingAPIKey sets the API key that exporters which support per-trace
// keys (the OpenAI traces exporter) use for this trace and its spans.
func WithTracingAPIKey(key string) TraceOption {
	return traceOption(func(c *traceConfig) { c.apiKey = key })
}

// WithNewRoot makes the trace the root of a new OTel trace, with a trace id
// of its own, instead of joining the OTel span in the context.
func WithNewRoot() TraceOption {
	return traceOption(func(c *traceConfig) {
		c.newRoot, c.parentSet, c.parent = true, false, trace.SpanContext{}
	})
}

// WithParentSpanContext makes the trace join sc instead of the OTel span in
// the context: a span context carried by other means than ctx (a message's
// headers, extracted with a propagator, say). Its sampled flag decides
// whether the trace is recorded. An invalid sc has the effect of
// [WithNewRoot].
func WithParentSpanContext(sc trace.SpanContext) TraceOption {
	return traceOption(func(c *traceConfig) {
		c.newRoot, c.parentSet, c.parent = false, true, sc
	})
}

// WithTraceDisabled disables one trace: it is not recorded, and spans started
// inside it are nil, even when an enclosing trace is open.
func WithTraceDisabled(disabled bool) TraceOption { return traceDisabledOption(disabled) }

// traceDisabledOption is a value, not a closure over the config, so that a
// disabled trace's options do not move its config to the heap.
type traceDisabledOption bool

func (o traceDisabledOption) applyTrace(c traceConfig) traceConfig {
	c.disabled = bool(o)
	return c
}

type spanIDOption string

func (o spanIDOption) applySpan(c spanConfig) spanConfig {
	c.id = string(o)
	return c
}

// WithSpanID sets the span's id instead of generating one. Ids are not
// validated; backends expect "span_" + 24 lowercase hex digits. The span's
// OTel span id follows [OTelSpanID]: an id from [NewSpanID] keeps the one it
// carries, any other is hashed whole.
func WithSpanID(id string) SpanOption { return spanIDOption(id) }

type parentOption struct{ parent any }

func (o parentOption) applySpan(c spanConfig) spanConfig {
	c.parent = o.parent
	return c
}

// WithParent makes the span a child of parent instead of the span or trace in
// the context. A nil parent leaves the choice to the context.
func WithParent(parent *Span) SpanOption {
	if parent == nil {
		return parentOption{}
	}
	return parentOption{parent}
}

// WithParentTrace makes the span a root span of t, ignoring the context.
func WithParentTrace(t *Trace) SpanOption {
	if t == nil {
		return parentOption{disabledScope}
	}
	return parentOption{t}
}

type spanMetadataOption map[string]any

func (o spanMetadataOption) applySpan(c spanConfig) spanConfig {
	c.metadata = o
	return c
}

// WithSpanMetadata attaches metadata to the span. The map is kept, not copied:
// do not change it after the span starts ([Span.SetMetadata] can).
func WithSpanMetadata(md map[string]any) SpanOption { return spanMetadataOption(md) }

type spanDisabledOption bool

func (o spanDisabledOption) applySpan(c spanConfig) spanConfig {
	c.disabled = bool(o)
	return c
}

// WithSpanDisabled disables one span, as the Python SDK's disabled=True: it
// is not recorded, and spans started inside it are nil too.
func WithSpanDisabled(disabled bool) SpanOption { return spanDisabledOption(disabled) }
