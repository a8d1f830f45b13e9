package mcptrace

// Option configures the middleware; pass options to [Middleware].
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	server string
}

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithServerName names the MCP server in the spans, as the program knows
// it (the Python SDK's MCPServer name). On a client the default is the
// name the server gives itself when the session starts; on a server, which
// cannot ask itself, there is none. An empty name keeps the default.
func WithServerName(name string) Option {
	return optionFunc(func(c *config) { c.server = name })
}
