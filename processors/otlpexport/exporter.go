package otlpexport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/processors"
)

// Version is reported as telemetry.sdk.version and the instrumentation
// scope's version.
const Version = "0.1.0"

// Exporter sends traces and spans to an OTLP/HTTP endpoint as protobuf. Use
// it with a batch processor:
//
//	exp, err := otlpexport.New()
//	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)))
//
// All methods are safe for concurrent use; the processors call Export from
// one goroutine at a time.
type Exporter struct {
	client   otlptrace.Client
	resource *resourcepb.Resource
	scope    *commonpb.InstrumentationScope
	policy   retry.Policy
	timeout  time.Duration
	maxReq   int
	sleep    retry.Sleeper
	conv     converter
	// secrets are the credentials that errors must not show (see scrub).
	secrets []string
	// ownTransport is the transport New made, closed at Shutdown; nil when
	// the caller's client was given.
	ownTransport *http.Transport
	stopped      atomic.Bool
	// down is cancelled by Shutdown, interrupting exports in flight
	// (requests and waits between attempts).
	down     context.Context
	shutdown context.CancelFunc
}

var _ processors.Exporter = (*Exporter)(nil)

// New returns an exporter configured by the environment and then opts.
//
// Defaults: the endpoint, headers and insecure flag of the OpenTelemetry
// variables (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT used verbatim,
// OTEL_EXPORTER_OTLP_ENDPOINT with /v1/traces appended, else
// https://localhost:4318/v1/traces; OTEL_EXPORTER_OTLP_[TRACES_]HEADERS);
// gzip on unless OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION is "none";
// [DefaultTimeout] or OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT (milliseconds) per
// export, retries included; retries with backoff from [DefaultRetryInitial]
// to [DefaultRetryMax]; [DefaultMaxRequestSize] per request; service.name from
// OTEL_SERVICE_NAME, else "unknown_service:" and the program's name; TLS
// roots and client certificates from OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE,
// _CLIENT_CERTIFICATE and _CLIENT_KEY. Requests are always protobuf
// (OTEL_EXPORTER_OTLP_PROTOCOL=http/json is ignored: Coze Loop rejects
// OTLP/JSON). New does not connect; it fails only on unusable settings.
func New(opts ...Option) (*Exporter, error) {
	cfg := config{
		timeout:      DefaultTimeout,
		retryInitial: DefaultRetryInitial,
		retryMax:     DefaultRetryMax,
		maxRequest:   DefaultMaxRequestSize,
	}
	envDefaults(&cfg)
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}

	var hopts []otlptracehttp.Option
	var headers map[string]string
	if cfg.headers != nil {
		headers = mergeHeaders(cfg.headers, nil)
	}
	endpoint := cfg.endpointURL
	if cfg.cozeWorkspace != "" || cfg.cozeToken != "" {
		if cfg.cozeWorkspace == "" || cfg.cozeToken == "" {
			return nil, errors.New("otlpexport: Coze Loop needs both a workspace id and a token")
		}
		if endpoint == "" {
			endpoint = cozeEndpoint(cfg)
		}
		headers = mergeHeaders(headers, map[string]string{
			"cozeloop-workspace-id": cfg.cozeWorkspace,
			"Authorization":         "Bearer " + cfg.cozeToken,
		})
	}
	coze := isCozeLoop(endpoint, cfg.cozeWorkspace != "", headers)
	messages := !coze
	if cfg.messages != nil {
		messages = *cfg.messages
	}
	if endpoint != "" {
		if !strings.Contains(endpoint, "://") {
			return nil, fmt.Errorf("otlpexport: endpoint %q is not a URL", endpoint)
		}
		hopts = append(hopts, otlptracehttp.WithEndpointURL(endpoint))
	}
	if headers != nil {
		hopts = append(hopts, otlptracehttp.WithHeaders(headers))
	}
	if cfg.gzip == nil || *cfg.gzip {
		hopts = append(hopts, otlptracehttp.WithCompression(otlptracehttp.GzipCompression))
	} else {
		hopts = append(hopts, otlptracehttp.WithCompression(otlptracehttp.NoCompression))
	}
	secrets := credentials(headers, envHeaders(), cfg.cozeToken)
	var checkRedirect func(*http.Request, []*http.Request) error
	if cfg.httpClient != nil {
		checkRedirect = cfg.httpClient.CheckRedirect
	}
	base, err := baseTransport(cfg.httpClient)
	if err != nil {
		return nil, err
	}
	own, _ := base.(*http.Transport)
	if cfg.httpClient != nil && cfg.httpClient.Transport != nil {
		own = nil // the caller's, not ours to close
	}
	hopts = append(hopts,
		// Always protobuf: Coze Loop rejects spec OTLP/JSON, so
		// OTEL_EXPORTER_OTLP_PROTOCOL=http/json is not honoured.
		otlptracehttp.WithEncoding(otlptracehttp.EncodingProtobuf),
		otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}),
		// The inspector lets 3xx replies through, so that the client
		// follows redirects (with the caller's policy, if any) and only the
		// final reply is interpreted.
		otlptracehttp.WithHTTPClient(&http.Client{Transport: &inspector{base: base, secrets: secrets}, CheckRedirect: checkRedirect}),
		otlptracehttp.WithMaxRequestSize(0x7fffffff), // we split instead
	)
	client := otlptracehttp.NewClient(hopts...)
	if err := client.Start(context.Background()); err != nil {
		return nil, fmt.Errorf("otlpexport: %w", err)
	}

	policy := retry.Policy{MaxAttempts: 1}
	if !cfg.retryOff {
		policy = retry.Policy{MaxAttempts: 20, Initial: cfg.retryInitial, Multiplier: 2, Max: cfg.retryMax, Jitter: 0.2}
	}
	down, shutdown := context.WithCancel(context.Background())
	return &Exporter{
		down:         down,
		shutdown:     shutdown,
		client:       client,
		resource:     buildResource(cfg.serviceName, cfg.resource),
		scope:        &commonpb.InstrumentationScope{Name: scopeName, Version: Version},
		policy:       policy,
		timeout:      cfg.timeout,
		maxReq:       cfg.maxRequest,
		conv:         converter{messages: messages, coze: coze, spanLimit: cozeMaxSpanJSON},
		secrets:      secrets,
		ownTransport: own,
	}, nil
}

// Export converts the ended traces and spans among items to OTLP spans and
// sends them, split into requests of at most the maximum request size, each
// retried on 429, 5xx and network errors within the export timeout. Trace
// starts are skipped (the trace is sent as the root span when it ends).
//
// It returns nil when everything was delivered, otherwise
// [*processors.PartialError]s (joined) that count the spans not delivered:
// too_large for a span that alone exceeds the request size (or, for Coze
// Loop, whose JSON cannot be clipped within its per-span limit), rejected
// for spans the server refused in a partial success, export_failed for
// requests that failed and for spans whose conversion panicked (the error
// names the span). Errors carry the server's message, never credentials.
func (e *Exporter) Export(ctx context.Context, items []processors.Item) error {
	if e.stopped.Load() {
		return errors.New("otlpexport: exporter is shut down")
	}
	var errs []error
	batch := make([]*tracepb.Span, 0, len(items))
	conv := e.conv
	conv.ar, conv.ids = &arena{}, &idCache{}
	var failed []error
	oversize := 0
	for _, it := range items {
		ps, err := safeConvert(conv, it)
		switch {
		case err == errSpanTooLarge:
			oversize++
		case err != nil:
			failed = append(failed, err)
		case ps != nil:
			batch = append(batch, ps)
		}
	}
	if len(failed) > 0 {
		err := failed[0]
		if len(failed) > 1 {
			err = fmt.Errorf("%w (and %d more spans)", err, len(failed)-1)
		}
		errs = append(errs, &processors.PartialError{Dropped: len(failed), Reason: processors.DropExportFailed, Err: err})
	}
	if oversize > 0 {
		errs = append(errs, &processors.PartialError{Dropped: oversize, Reason: processors.DropTooLarge,
			Err: fmt.Errorf("otlpexport: %d spans each exceed Coze Loop's %d-byte per-span JSON limit after clipping", oversize, conv.spanLimit)})
	}
	if len(batch) == 0 {
		return errors.Join(errs...)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	defer context.AfterFunc(e.down, cancel)()
	chunks, tooLarge := split(batch, e.maxReq, e.overhead())
	if tooLarge > 0 {
		errs = append(errs, &processors.PartialError{Dropped: tooLarge, Reason: processors.DropTooLarge,
			Err: fmt.Errorf("otlpexport: %d spans each exceed the %d-byte request limit", tooLarge, e.maxReq)})
	}
	for _, chunk := range chunks {
		if err := e.send(ctx, chunk); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Shutdown stops the exporter: an export in flight is interrupted (its
// request and any wait before a retry) and later exports fail. It returns
// ctx's error if ctx is already done.
func (e *Exporter) Shutdown(ctx context.Context) error {
	if !e.stopped.CompareAndSwap(false, true) {
		return nil
	}
	e.shutdown()
	err := e.client.Stop(ctx)
	if e.ownTransport != nil {
		e.ownTransport.CloseIdleConnections()
	}
	return err
}
