package anthropictrace

// DefaultProvider is the vendor name recorded on every span unless
// [WithProvider] names another.
const DefaultProvider = "anthropic"

// DefaultMaxRetries is the retry limit the middleware assumes the client
// has, unless [WithMaxRetries] says otherwise: anthropic-sdk-go's own
// default.
const DefaultMaxRetries = 2

// Option configures the middleware; pass options to [Middleware].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	provider   string
	maxRetries int
}

func newConfig(opts []Option) config {
	c := config{provider: DefaultProvider, maxRetries: DefaultMaxRetries}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithProvider names the model vendor recorded on every span, for a
// gateway or an Anthropic-compatible API ("deepseek", "aws.bedrock", ...).
// An empty name keeps [DefaultProvider].
func WithProvider(name string) Option {
	return optionFunc(func(c *config) {
		if name != "" {
			c.provider = name
		}
	})
}

// WithMaxRetries tells the middleware the client's retry limit, when the
// client is made with option.WithMaxRetries(n): a call whose attempt n
// fails with a network error then ends at once, instead of when its next
// attempt would have been due (see the package documentation on retries).
// A negative n means 0.
func WithMaxRetries(n int) Option {
	return optionFunc(func(c *config) { c.maxRetries = max(n, 0) })
}
