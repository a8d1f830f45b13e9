package tracing

import (
	"context"
	"sync/atomic"
)

var defaultProvider atomic.Pointer[Provider]

// Default returns the provider used by the package-level functions. Until
// [SetDefault] is called it is a provider made by [NewProvider] with no
// options: configured from the environment and with no processors, so
// nothing is exported anywhere until the program adds a processor.
func Default() *Provider {
	if p := defaultProvider.Load(); p != nil {
		return p
	}
	defaultProvider.CompareAndSwap(nil, NewProvider())
	return defaultProvider.Load()
}

// SetDefault makes p the provider used by the package-level functions. A nil
// p installs a disabled provider.
func SetDefault(p *Provider) {
	if p == nil {
		p = NewProvider(WithDisabled(true))
	}
	defaultProvider.Store(p)
}

// StartTrace starts a trace with the default provider; see
// [Provider.StartTrace].
func StartTrace(ctx context.Context, name string, opts ...TraceOption) (context.Context, *Trace) {
	return Default().StartTrace(ctx, name, opts...)
}

// AddTraceProcessor adds proc to the default provider.
func AddTraceProcessor(proc Processor) { Default().AddTraceProcessor(proc) }

// SetTraceProcessors replaces the default provider's processors.
func SetTraceProcessors(procs ...Processor) { Default().SetTraceProcessors(procs...) }

// SetDisabled turns the default provider off or back on.
func SetDisabled(disabled bool) { Default().SetDisabled(disabled) }

// ForceFlush flushes the default provider; see [Provider.ForceFlush].
func ForceFlush(ctx context.Context) error { return Default().ForceFlush(ctx) }

// Shutdown shuts the default provider down; see [Provider.Shutdown]. Go has no
// exit hook: call it before main returns, typically with
// defer tracing.Shutdown(ctx), or spans still queued are lost.
func Shutdown(ctx context.Context) error { return Default().Shutdown(ctx) }
