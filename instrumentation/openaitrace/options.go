package openaitrace

// DefaultMaxRetries is the retry limit the middleware assumes the client
// has, unless [WithMaxRetries] says otherwise: openai-go's own default.
const DefaultMaxRetries = 2

// Option configures the middleware; pass options to [Middleware].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	provider   string
	maxRetries int
}

// WithProvider names the model vendor recorded on every span ("openai",
// "azure.ai.openai", "deepseek", ...), instead of the name the middleware
// gives the request's host. An empty name keeps the detection.
func WithProvider(name string) Option {
	return optionFunc(func(c *config) { c.provider = name })
}

// WithMaxRetries tells the middleware the client's retry limit, when the
// client is made with option.WithMaxRetries(n): a call whose attempt n
// fails with a network error then ends at once, instead of when its next
// attempt would have been due (see the package documentation on retries).
// A negative n means 0.
func WithMaxRetries(n int) Option {
	return optionFunc(func(c *config) { c.maxRetries = max(n, 0) })
}
