package otlpexport

import (
	"maps"
	"net/http"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// Defaults of [New].
const (
	// DefaultTimeout bounds one Export, retries included, unless
	// OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, OTEL_EXPORTER_OTLP_TIMEOUT or
	// [WithTimeout] says otherwise. The caller's context may end it sooner.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxRequestSize is the largest request body, before compression,
	// that one request carries: Coze Loop's limit, and the largest body the
	// OTel Collector and Jaeger accept. Larger batches are split.
	DefaultMaxRequestSize = 20 << 20
	// DefaultBatchSize is how many spans the exporter asks a
	// processors.Batcher to hand it per Export (see [Exporter.BatchSize]),
	// four times the Batcher's own default: gzip compresses larger requests
	// better, and the per-request costs are paid less often.
	DefaultBatchSize = 512
	// DefaultRetryInitial is the wait after the first failed attempt.
	DefaultRetryInitial = 500 * time.Millisecond
	// DefaultRetryMax caps one wait between attempts (a server's Retry-After
	// may ask for longer, within the timeout).
	DefaultRetryMax = 5 * time.Second
)

// Coze Loop sites for [WithCozeLoopBaseURL] and COZELOOP_API_BASE_URL.
const (
	// CozeLoopCN is the China site, the default.
	CozeLoopCN = "https://api.coze.cn"
	// CozeLoopCOM is the international site.
	CozeLoopCOM = "https://api.coze.com"
	// CozeLoopTracesPath is the OTLP/HTTP traces path under a Coze Loop base URL.
	CozeLoopTracesPath = "/v1/loop/opentelemetry/v1/traces"
)

// Option configures an [Exporter]; pass options to [New]. Options override
// the environment.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	endpointURL  string
	headers      map[string]string
	gzip         *bool
	timeout      time.Duration
	retryOff     bool
	retryInitial time.Duration
	retryMax     time.Duration
	maxRequest   int
	serviceName  string
	resource     map[string]string
	httpClient   *http.Client
	messages     *bool
	profile      Profile

	// cozeSet says that Coze Loop credentials were given, by WithCozeLoop
	// or by the COZELOOP_* variables (see resolveDestination).
	cozeSet       bool
	cozeWorkspace string
	cozeToken     string
	cozeBaseURL   string

	// Used by InstallFromEnv only.
	providerOpts []tracing.Option
	batcherOpts  []processors.BatcherOption
}

// WithEndpointURL sets the full URL that traces are posted to, such as
// "http://localhost:4318/v1/traces" (the path is used as given). It
// overrides OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT,
// the COZELOOP_* variables and the endpoint of [WithCozeLoop]. [New] fails
// unless it is an http or https URL with a host.
func WithEndpointURL(u string) Option {
	return optionFunc(func(c *config) { c.endpointURL = u })
}

// WithHeaders adds HTTP headers to every request. Headers given by options
// replace OTEL_EXPORTER_OTLP_HEADERS (as in the OpenTelemetry exporter);
// several WithHeaders and [WithCozeLoop] add up, [WithCozeLoop]'s winning.
// Keys are canonicalised (authorization and Authorization are one header);
// among spellings of one key in one map, the last in byte order wins. [New]
// fails on a key that is not an HTTP header name and on a value holding a
// control character (CR, LF, NUL, ...). The headers go only to the
// endpoint's origin (see [WithHTTPClient]), and their values never appear in
// errors or logs.
func WithHeaders(h map[string]string) Option {
	h = maps.Clone(h)
	return optionFunc(func(c *config) {
		if c.headers == nil {
			c.headers = map[string]string{}
		}
		maps.Copy(c.headers, h)
	})
}

// WithGzip sets whether request bodies are gzip-compressed. The default is
// on, unless OTEL_EXPORTER_OTLP_TRACES_COMPRESSION or
// OTEL_EXPORTER_OTLP_COMPRESSION is "none".
func WithGzip(on bool) Option {
	return optionFunc(func(c *config) { c.gzip = &on })
}

// WithTimeout bounds one Export, retries included. A value <= 0 keeps the
// default ([DefaultTimeout] or the environment's).
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	})
}

// WithRetry sets the backoff between attempts: initial after the first
// failure, doubling, capped at max (plus up to 20 % jitter). A Retry-After
// from the server is honoured when longer. Values <= 0 keep the defaults;
// waits too long for a Duration saturate at the longest one rather than
// overflow.
func WithRetry(initial, max time.Duration) Option {
	return optionFunc(func(c *config) {
		c.retryOff = false
		if initial > 0 {
			c.retryInitial = initial
		}
		if max > 0 {
			c.retryMax = max
		}
	})
}

// WithoutRetry makes every request a single attempt.
func WithoutRetry() Option {
	return optionFunc(func(c *config) { c.retryOff = true })
}

// WithMaxRequestSize sets the largest request body, before compression;
// batches are split to fit and a span that alone exceeds it is dropped
// (reason too_large). A value <= 0 keeps [DefaultMaxRequestSize].
func WithMaxRequestSize(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxRequest = n
		}
	})
}

// WithServiceName sets the resource's service.name, overriding
// OTEL_SERVICE_NAME.
func WithServiceName(name string) Option {
	return optionFunc(func(c *config) { c.serviceName = name })
}

// WithResourceAttributes adds string attributes to the resource, over those
// of OTEL_RESOURCE_ATTRIBUTES.
func WithResourceAttributes(attrs map[string]string) Option {
	attrs = maps.Clone(attrs)
	return optionFunc(func(c *config) {
		if c.resource == nil {
			c.resource = map[string]string{}
		}
		maps.Copy(c.resource, attrs)
	})
}

// WithHTTPClient sends requests through client's transport (for a proxy,
// custom TLS or instrumentation), following redirects with its
// CheckRedirect policy after the exporter's own: a redirect from https to
// http is refused, and once a redirect leaves the endpoint's origin
// (scheme, host and port) the configured headers stay behind. Its Timeout
// is not used: [WithTimeout] bounds each export. A nil client keeps the
// default transport.
func WithHTTPClient(client *http.Client) Option {
	return optionFunc(func(c *config) { c.httpClient = client })
}

// WithCozeLoop configures the exporter for Coze Loop (扣子罗盘): traces are
// posted to the site's OTLP endpoint (the China site unless
// COZELOOP_API_BASE_URL or [WithCozeLoopBaseURL] names another) with the
// cozeloop-workspace-id header and the token as a bearer Authorization
// header. It wins over the OTLP endpoint variables and the COZELOOP_*
// credentials of the environment. Both values are needed: [New] fails when
// either is empty (or only spaces), as it is when they come from unset
// variables. Surrounding spaces are removed. The token never appears in
// errors or logs.
func WithCozeLoop(workspaceID, token string) Option {
	return optionFunc(func(c *config) {
		c.cozeSet, c.cozeWorkspace, c.cozeToken = true, workspaceID, token
	})
}

// WithCozeLoopBaseURL sets the Coze Loop site used by [WithCozeLoop], such as
// [CozeLoopCOM] or a self-hosted server's base URL; traces go to its
// [CozeLoopTracesPath]. It overrides COZELOOP_API_BASE_URL.
func WithCozeLoopBaseURL(baseURL string) Option {
	return optionFunc(func(c *config) { c.cozeBaseURL = baseURL })
}

// WithMessageAttributes sets whether model spans also carry their messages
// as OTel GenAI gen_ai.input.messages / gen_ai.output.messages and as
// OpenInference llm.input_messages.N.* / llm.output_messages.N.* attributes,
// for backends that read messages only from those. The messages are always in
// input.value / output.value (and cozeloop.input / cozeloop.output) in the
// chat-completions shape.
//
// The option sends them whatever [WithAttributes] says; without it, each
// convention's message attributes go with its family.
//
// The default is on, except for Coze Loop ([WithCozeLoop], an endpoint with
// Coze Loop's path, given or from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
// OTEL_EXPORTER_OTLP_ENDPOINT, or a cozeloop-workspace-id header): Coze Loop
// reads attributes with those prefixes in
// place of input.value / output.value, so the chat shape and the offered
// tools would be lost, and every message would be sent twice more.
func WithMessageAttributes(on bool) Option {
	return optionFunc(func(c *config) { c.messages = &on })
}

// Profile is a set of attribute families, for [WithAttributes]: the
// conventions whose attributes the exporter sends. Profiles combine with |.
type Profile uint8

// The attribute families (see "How spans are mapped" in the package
// documentation for their keys).
const (
	// ProfileGenAI is the OpenTelemetry GenAI semantic conventions:
	// gen_ai.* and error.type.
	ProfileGenAI = Profile(otelmap.GenAI)
	// ProfileOpenInference is Arize's OpenInference conventions, read by
	// Phoenix and Langfuse: openinference.span.kind, input.value and
	// output.value with their mime types, llm.*, agent.name, session.id and
	// the metadata JSON.
	ProfileOpenInference = Profile(otelmap.OpenInference)
	// ProfileCozeLoop is what Coze Loop reads and shows, each once:
	// cozeloop.*, the GenAI keys its converter reads, its token tags
	// (reasoning_tokens, input_cached_tokens, input_creation_cached_tokens)
	// and service.name on spans.
	ProfileCozeLoop = Profile(otelmap.CozeLoop)
	// ProfileAll is every family.
	ProfileAll = ProfileGenAI | ProfileOpenInference | ProfileCozeLoop
)

// WithAttributes sets the attribute families spans carry, so that a
// backend does not pay for conventions it ignores. The default is
// [ProfileCozeLoop] for Coze Loop (the same destinations as
// [WithMessageAttributes]'s default) and [ProfileAll] otherwise. The
// exception event, the status, ids and the project's own agenttrace.* keys
// are sent under every profile, and so are user metadata keys. 0 keeps the
// default.
func WithAttributes(p Profile) Option {
	return optionFunc(func(c *config) { c.profile = p })
}
