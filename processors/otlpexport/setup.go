package otlpexport

import (
	"errors"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// ErrNotConfigured is returned by [NewFromEnv] and [InstallFromEnv] when neither the
// environment nor the options name a destination: no
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT, no
// COZELOOP_WORKSPACE_ID and COZELOOP_API_TOKEN, no [WithEndpointURL] or
// [WithCozeLoop]. Programs that export only when configured test for it with
// errors.Is.
var ErrNotConfigured = errors.New("otlpexport: no OTLP endpoint or Coze Loop credentials configured")

// NewFromEnv is [New] for programs that export only when a destination is
// configured: it reads the same options and variables, and returns
// [ErrNotConfigured] where New would use the default endpoint
// (https://localhost:4318). Use it to add OTLP export to a provider that has
// other processors:
//
//	procs := []tracing.Option{tracing.WithProcessor(processors.NewSync(processors.NewConsole(os.Stdout)))}
//	exp, err := otlpexport.NewFromEnv()
//	switch {
//	case err == nil:
//		procs = append(procs, tracing.WithProcessor(processors.NewBatcher(exp)))
//	case !errors.Is(err, otlpexport.ErrNotConfigured):
//		return err // configured, but unusable
//	}
//	tp := tracing.NewProvider(procs...)
//	defer tp.Shutdown(context.Background())
func NewFromEnv(opts ...Option) (*Exporter, error) {
	return build(opts, true)
}

// WithProviderOptions passes opts to the provider that [InstallFromEnv]
// makes, after its own Batcher: [tracing.WithSensitiveData],
// [tracing.WithProcessor] for more processors, [tracing.WithLogger], and so
// on. [New] and [NewFromEnv] ignore it.
func WithProviderOptions(opts ...tracing.Option) Option {
	return optionFunc(func(c *config) { c.providerOpts = append(c.providerOpts, opts...) })
}

// WithBatcherOptions passes opts to the [processors.Batcher] that
// [InstallFromEnv] makes: [processors.WithMaxQueueSize],
// [processors.WithScheduleDelay], and so on. [New] and [NewFromEnv] ignore
// it.
func WithBatcherOptions(opts ...processors.BatcherOption) Option {
	return optionFunc(func(c *config) { c.batcherOpts = append(c.batcherOpts, opts...) })
}

// InstallFromEnv builds an [Exporter] with [NewFromEnv], a provider whose
// first processor is a [processors.Batcher] over it (see [BatcherOf]), and
// installs the provider with [tracing.SetDefault]. [WithProviderOptions] and
// [WithBatcherOptions] among opts configure the provider and the Batcher.
// Call Shutdown on the provider before the program exits to send what is
// left.
//
// It returns a nil provider and an error, and installs nothing, when no
// destination is configured ([ErrNotConfigured]: export is off, not broken)
// or when the configuration is unusable (any other error). A nil provider's
// methods do nothing, so a program that traces either way makes its own
// provider in that case:
//
//	tp, err := otlpexport.InstallFromEnv(otlpexport.WithServiceName("support-bot"))
//	switch {
//	case errors.Is(err, otlpexport.ErrNotConfigured):
//		tp = tracing.NewProvider() // not exporting; add processors of your own
//		tracing.SetDefault(tp)
//	case err != nil:
//		return err // configured, but unusable
//	}
//	defer func() {
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		if err := tp.Shutdown(ctx); err != nil {
//			log.Print("traces not exported: ", err)
//		}
//	}()
//
// The provider reads its own variables too (see [tracing.NewProvider]).
func InstallFromEnv(opts ...Option) (*tracing.Provider, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	exp, err := NewFromEnv(opts...)
	if err != nil {
		return nil, err
	}
	popts := append([]tracing.Option{tracing.WithProcessor(processors.NewBatcher(exp, cfg.batcherOpts...))}, cfg.providerOpts...)
	tp := tracing.NewProvider(popts...)
	tracing.SetDefault(tp)
	return tp, nil
}

// BatcherOf returns the first [processors.Batcher] among tp's processors:
// for a provider of [InstallFromEnv], the one sending to OTLP, whose
// [processors.Batcher.Stats] say what was delivered. It returns nil when tp
// is nil or has no Batcher.
func BatcherOf(tp *tracing.Provider) *processors.Batcher {
	for _, p := range tp.Processors() {
		if b, ok := p.(*processors.Batcher); ok {
			return b
		}
	}
	return nil
}
