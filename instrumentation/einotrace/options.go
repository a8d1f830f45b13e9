package einotrace

import "github.com/agenttrace/agenttrace-go/tracing"

// Option configures a handler; pass options to [NewHandler].
type Option interface{ apply(*config) }

type config struct {
	provider  *tracing.Provider
	traceName string
	groupID   string
	metadata  map[string]any
	noTraces  bool
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithProvider makes the handler start its traces with tp. The default, and
// what a nil tp means, is the provider installed with [tracing.SetDefault]
// at the time of each run. Inside a trace already in the context, spans
// follow that trace's provider whatever this option says.
func WithProvider(tp *tracing.Provider) Option {
	return optionFunc(func(c *config) { c.provider = tp })
}

// WithTraceName names the traces the handler starts. By default a trace is
// named after the run that starts it: the top-level graph, chain or agent
// (its name, or its component, such as "Graph", when it has none).
func WithTraceName(name string) Option {
	return optionFunc(func(c *config) { c.traceName = name })
}

// WithGroupID sets the group id (conversation or thread) of the traces the
// handler starts. For a group id per conversation, start the trace yourself
// with [tracing.StartTrace] and [tracing.WithGroupID]: the handler records
// into the trace it finds in the context.
func WithGroupID(id string) Option {
	return optionFunc(func(c *config) { c.groupID = id })
}

// WithMetadata attaches md to the traces the handler starts. The map is
// kept, not copied: do not change it afterwards.
func WithMetadata(md map[string]any) Option {
	return optionFunc(func(c *config) { c.metadata = md })
}

// WithoutNewTraces leaves tracing to an outer trace: the handler records
// spans only inside a trace already in the context and never starts one,
// so runs outside a trace are not recorded.
func WithoutNewTraces() Option {
	return optionFunc(func(c *config) { c.noTraces = true })
}
