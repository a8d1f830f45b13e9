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
	// Messages selects the families whose message attributes model spans
	// carry, whatever Profile says: [GenAI] for gen_ai.input.messages and
	// gen_ai.output.messages, [OpenInference] for llm.input_messages.N.* and
	// llm.output_messages.N.*; other families have none. Coze Loop reads
	// those prefixes in place of input.value and output.value, so
	// otlpexport leaves them out for it.
	Messages Profile
	// ServiceName is the resource's service.name; when empty and Resource
	// has none, "unknown_service:" and the program's name. With CozeLoop
	// set, spans carry it too, as service.name, under the Coze Loop family
	// (Coze Loop reads it from spans, not from the resource).
	ServiceName string
	// Resource holds more resource attributes (OTEL_RESOURCE_ATTRIBUTES,
	// say); ServiceName wins over its service.name.
	Resource map[string]string
	// SpanJSONLimit is Coze Loop's per-span JSON limit when CozeLoop is
	// set; 0 means [clip.CozeMaxSpanJSON].
	SpanJSONLimit int
	// Profile selects the attribute families spans carry; 0 means [All].
	// The exception event, status, ids and the project's own agenttrace.*
	// keys are sent under every profile.
	Profile Profile
}

// ConfigFor returns the Config otlpexport uses for a destination, so that
// every consumer derives the same mapping from the same choices: for Coze
// Loop (coze set), its shaping, the [CozeLoop] family and no message
// attributes, which it would read in place of the chat shapes; otherwise
// every family with their message attributes. A non-zero profile replaces
// the families (the message attributes then follow the families, unless
// messages says); a non-nil messages says whether the message attributes
// of both conventions are sent, whatever the families.
func ConfigFor(coze bool, profile Profile, messages *bool) Config {
	cfg := Config{CozeLoop: coze, Profile: profile}
	if cfg.Profile == 0 {
		cfg.Profile = All
		if coze {
			cfg.Profile = CozeLoop
		}
	}
	const withMessages = GenAI | OpenInference
	switch {
	case messages != nil && *messages:
		cfg.Messages = withMessages
	case messages == nil && !coze:
		cfg.Messages = cfg.Profile & withMessages
	}
	return cfg
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
	cfg.Profile = cfg.Profile.orAll()
	res := buildResource(cfg.ServiceName, cfg.Resource)
	service := ""
	for _, kv := range res.GetAttributes() {
		if kv.GetKey() == keyServiceName {
			service = kv.GetValue().GetStringValue()
		}
	}
	return &Converter{
		cfg: cfg,
		conv: converter{messages: cfg.Messages, coze: cfg.CozeLoop, spanLimit: cfg.SpanJSONLimit,
			profile: cfg.Profile, service: service},
		resource: res,
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

// Reset makes the batch ready for the items of another export, reusing the
// memory of the spans it converted: call it only once nothing references
// them any more (their requests are encoded and sent).
func (b *Batch) Reset() { b.conv.ar.reset() }

// Convert is [Converter.Convert] for an item of the batch.
func (b *Batch) Convert(it processors.Item) (*tracepb.Span, error) {
	return safeConvert(b.conv, it)
}
