package openaiexport

import (
	"log/slog"
	"net/http"
	"os"
	"time"
)

// DefaultEndpoint is where the exporter posts unless [WithEndpoint] says
// otherwise. It is the Python Agents SDK's default. OPENAI_BASE_URL does not
// move it: that variable points the model clients at a vendor (Volcengine
// Ark, DeepSeek, a local server), which must not receive the traces and the
// OpenAI key.
const DefaultEndpoint = "https://api.openai.com/v1/traces/ingest"

// DefaultMaxRequestSize is the largest request body the exporter sends
// unless [WithMaxRequestSize] says otherwise; larger batches are split.
const DefaultMaxRequestSize = 20 << 20

// MaxRequestItems is the most items one request carries, as in the Python
// SDK, whose batches hold 128 items; trace ends, which are not sent, are not
// counted.
const MaxRequestItems = 128

// Defaults of the retry policy; they are the Python Agents SDK's.
const (
	DefaultMaxAttempts  = 3
	DefaultInitialDelay = 1 * time.Second
	DefaultMaxDelay     = 30 * time.Second
)

// Option configures an [Exporter]; pass options to [New].
type Option interface{ apply(*config) }

type config struct {
	apiKey, org, project string
	endpoint             string
	client               *http.Client
	logger               *slog.Logger
	maxAttempts          int
	initial, maxDelay    time.Duration
	payloadRules         *bool
	maxRequest           int
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithAPIKey sets the key sent as "Authorization: Bearer <key>" for items
// whose trace carries no key of its own. It overrides OPENAI_API_KEY.
func WithAPIKey(key string) Option { return optionFunc(func(c *config) { c.apiKey = key }) }

// WithOrganization sets the OpenAI-Organization header. It overrides
// OPENAI_ORG_ID.
func WithOrganization(org string) Option { return optionFunc(func(c *config) { c.org = org }) }

// WithProject sets the OpenAI-Project header. It overrides OPENAI_PROJECT_ID.
func WithProject(project string) Option {
	return optionFunc(func(c *config) { c.project = project })
}

// WithEndpoint sets the URL the exporter posts to; it is the only way to
// move it from [DefaultEndpoint] (OPENAI_BASE_URL does not). The OpenAI
// payload rules (see the package documentation) apply only when the URL is
// [DefaultEndpoint], unless [WithPayloadRules] says otherwise.
func WithEndpoint(url string) Option { return optionFunc(func(c *config) { c.endpoint = url }) }

// WithHTTPClient sets the client used to post. A nil client keeps the
// default, a client with a 60-second timeout that treats a redirect as a
// failure to retry, as the Python SDK's client does. The exporter posts
// through a copy of client whose redirect policy is client's own and then
// the exporter's: a redirect from https to http fails the POST (without a
// retry), and once a redirect leaves the endpoint's origin (scheme, host
// and port), the key, organization and project headers stay behind.
func WithHTTPClient(client *http.Client) Option {
	return optionFunc(func(c *config) { c.client = client })
}

// WithLogger sets where the exporter reports retries and a missing API key.
// The default is [slog.Default] at the time of the report. The API key never
// appears in what is logged.
func WithLogger(l *slog.Logger) Option { return optionFunc(func(c *config) { c.logger = l }) }

// WithMaxAttempts sets how many times one POST is tried in all (the default
// is [DefaultMaxAttempts]). Values below 1 mean 1.
func WithMaxAttempts(n int) Option { return optionFunc(func(c *config) { c.maxAttempts = max(n, 1) }) }

// WithBackoff sets the wait after the first failed attempt and the cap on
// later waits, which double (defaults [DefaultInitialDelay] and
// [DefaultMaxDelay]). Every wait gets 0-10 % random jitter on top.
func WithBackoff(initial, maxDelay time.Duration) Option {
	return optionFunc(func(c *config) { c.initial, c.maxDelay = max(initial, 0), max(maxDelay, 0) })
}

// WithPayloadRules forces the OpenAI endpoint's payload rules (truncation of
// large inputs and outputs, the generation usage rewrite) on or off. By
// default they apply exactly when the endpoint is [DefaultEndpoint], as in
// the Python SDK; turn them on when a proxy forwards to OpenAI.
func WithPayloadRules(on bool) Option {
	return optionFunc(func(c *config) { c.payloadRules = &on })
}

// WithMaxRequestSize sets the largest request body in bytes (the default is
// [DefaultMaxRequestSize]): a batch is split into as many requests as it
// takes, and an item that alone exceeds the size is dropped
// (processors.DropTooLarge). Values <= 0 keep the default.
func WithMaxRequestSize(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxRequest = n
		}
	})
}

// configFromEnv returns the defaults, read from the environment.
func configFromEnv() config {
	c := config{
		apiKey:      os.Getenv("OPENAI_API_KEY"),
		org:         os.Getenv("OPENAI_ORG_ID"),
		project:     os.Getenv("OPENAI_PROJECT_ID"),
		endpoint:    DefaultEndpoint,
		maxAttempts: DefaultMaxAttempts,
		initial:     DefaultInitialDelay,
		maxDelay:    DefaultMaxDelay,
		maxRequest:  DefaultMaxRequestSize,
	}
	return c
}
