package otelmap

import (
	"errors"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/processors"
)

// Version is reported as telemetry.sdk.version and as the instrumentation
// scope's version.
const Version = "0.1.0"

// ScopeName is the instrumentation scope of every span.
const ScopeName = scopeName

// Config says how a [Converter] shapes spans. Its fields are the settings a
// consumer derives from its own options; otlpexport derives them from its
// destination and options.
type Config struct {
	// CozeLoop shapes spans for Coze Loop: tool arguments and results are
	// not repeated as gen_ai.tool.call.*, and each span's JSON form is
	// brought within SpanJSONLimit (see [clip.FitSpanJSON]); a span that
	// cannot fit is [ErrSpanTooLarge].
	CozeLoop bool
	// Messages adds the message attributes of the GenAI and OpenInference
	// conventions (gen_ai.input.messages, llm.input_messages.N.*, and their
	// output twins) to model spans. Coze Loop reads those prefixes in place
	// of input.value and output.value, so otlpexport leaves them out for it.
	Messages bool
	// ServiceName is the resource's service.name; when empty and Resource
	// has none, "unknown_service:" and the program's name.
	ServiceName string
	// Resource holds more resource attributes (OTEL_RESOURCE_ATTRIBUTES,
	// say); ServiceName wins over its service.name.
	Resource map[string]string
	// SpanJSONLimit is Coze Loop's per-span JSON limit when CozeLoop is
	// set; 0 means [clip.CozeMaxSpanJSON].
	SpanJSONLimit int
}

// ErrSpanTooLarge is the conversion error of a span that cannot be brought
// within Coze Loop's per-span JSON limit (see [Config.CozeLoop]); exporters
// count it as too_large.
var ErrSpanTooLarge = errors.New("span exceeds Coze Loop's per-span JSON limit")

// Converter turns agent traces and spans into OTLP spans with the
// attributes of the three families (see the package documentation). It is
// safe for concurrent use; [Converter.NewBatch] gives a cheaper converter for
// the items of one export.
type Converter struct {
	cfg      Config
	conv     converter
	resource *resourcepb.Resource
	scope    *commonpb.InstrumentationScope
}

// New returns a converter configured by cfg.
func New(cfg Config) *Converter {
	if cfg.SpanJSONLimit <= 0 {
		cfg.SpanJSONLimit = clip.CozeMaxSpanJSON
	}
	return &Converter{
		cfg:      cfg,
		conv:     converter{messages: cfg.Messages, coze: cfg.CozeLoop, spanLimit: cfg.SpanJSONLimit},
		resource: buildResource(cfg.ServiceName, cfg.Resource),
		scope:    &commonpb.InstrumentationScope{Name: scopeName, Version: Version},
	}
}

// Config returns the configuration the converter was made with, with its
// defaults filled in.
func (c *Converter) Config() Config { return c.cfg }

// Resource returns the resource to send with every span: service.name,
// telemetry.sdk.* and the configured attributes, sorted by key. It is shared:
// do not modify it.
func (c *Converter) Resource() *resourcepb.Resource { return c.resource }

// Scope returns the instrumentation scope to send the spans under. It is
// shared: do not modify it.
func (c *Converter) Scope() *commonpb.InstrumentationScope { return c.scope }

// Convert turns one item into an OTLP span: a [processors.TraceEnded] item
// into the trace's root span, a [processors.SpanEnded] item into the span,
// an [EventOpenTrace] item into the root span of a trace still open. It
// returns nil and no error for the items that are not sent (trace and span
// starts). A panic during conversion (from a user value's method, say) is
// contained: it costs that item only, and the error names the span and the
// panic. For Coze Loop, a span that cannot fit its limit is
// [ErrSpanTooLarge].
func (c *Converter) Convert(it processors.Item) (*tracepb.Span, error) {
	return safeConvert(c.conv, it)
}

// NewBatch returns a converter for the items of one export: their attribute
// values come from one arena and the ids of their trace are computed once.
// A Batch is not safe for concurrent use.
func (c *Converter) NewBatch() *Batch {
	b := &Batch{conv: c.conv}
	b.conv.ar, b.conv.ids = &arena{}, &idCache{}
	return b
}

// Batch converts the items of one export (see [Converter.NewBatch]).
type Batch struct{ conv converter }

// Convert is [Converter.Convert] for an item of the batch.
func (b *Batch) Convert(it processors.Item) (*tracepb.Span, error) {
	return safeConvert(b.conv, it)
}
