package otlpexport

import (
	"errors"
	"os"
	"strings"

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

// NewFromEnv returns an [Exporter] for the destination that opts or the
// environment name, or [ErrNotConfigured] when they name none. The
// destination is, in order: [WithEndpointURL] or [WithCozeLoop] among opts;
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT (Coze
// Loop's documented setup, with its headers in OTEL_EXPORTER_OTLP_HEADERS);
// COZELOOP_WORKSPACE_ID with COZELOOP_API_TOKEN (and COZELOOP_API_BASE_URL
// for another site). Use it to add OTLP export to a provider that has other
// processors:
//
//	procs := []tracing.Option{tracing.WithProcessor(console)}
//	if exp, err := otlpexport.NewFromEnv(); err == nil {
//		procs = append(procs, tracing.WithProcessor(processors.NewBatcher(exp)))
//	} else if !errors.Is(err, otlpexport.ErrNotConfigured) {
//		return err
//	}
func NewFromEnv(opts ...Option) (*Exporter, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	configured := cfg.endpointURL != "" || cfg.cozeWorkspace != "" || cfg.cozeToken != "" ||
		envFirst(EnvTracesEndpoint, EnvEndpoint) != ""
	if !configured {
		ws, tok := strings.TrimSpace(os.Getenv(EnvCozeWorkspaceID)), strings.TrimSpace(os.Getenv(EnvCozeAPIToken))
		switch {
		case ws != "" && tok != "":
			opts = append([]Option{WithCozeLoop(ws, tok)}, opts...)
		case ws != "":
			return nil, errors.New("otlpexport: " + EnvCozeWorkspaceID + " is set but " + EnvCozeAPIToken + " is not")
		case tok != "":
			return nil, errors.New("otlpexport: " + EnvCozeAPIToken + " is set but " + EnvCozeWorkspaceID + " is not")
		default:
			return nil, ErrNotConfigured
		}
	}
	return New(opts...)
}

// InstallFromEnv builds an [Exporter] with [NewFromEnv], a provider with a
// [processors.Batcher] over it, and installs the provider with
// [tracing.SetDefault]. Call Shutdown on the provider before the program
// exits to send what is left:
//
//	tp, err := otlpexport.InstallFromEnv()
//	defer tp.Shutdown(context.Background())
//
// When no destination is configured it installs nothing and returns a nil
// provider, whose methods do nothing, and [ErrNotConfigured]. The provider
// reads its own variables too (see [tracing.NewProvider]).
func InstallFromEnv(opts ...Option) (*tracing.Provider, error) {
	exp, err := NewFromEnv(opts...)
	if err != nil {
		return nil, err
	}
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)))
	tracing.SetDefault(tp)
	return tp, nil
}
