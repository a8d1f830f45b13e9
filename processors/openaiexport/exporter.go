package openaiexport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/processors"
)

// Exporter posts traces and spans to the OpenAI traces-ingest endpoint in the
// Python Agents SDK's wire format. Create one with [New]; it is safe for
// concurrent use. A nil *Exporter is shut down: it drops every item as
// processors.DropAfterShutdown.
type Exporter struct {
	apiKey       string
	org, project string
	endpoint     string   // as configured, for Endpoint
	url          *url.URL // endpoint parsed once, in New; nil when it does not parse
	safeEndpoint string   // endpoint without user info, for errors and logs
	userinfo     []string // the endpoint's user name and password, redacted like keys
	rules        bool
	maxRequest   int
	client       *http.Client
	ownClient    bool
	logger       *slog.Logger
	policy       retry.Policy
	sleep        retry.Sleeper // tests replace it to observe waits

	stopping context.Context // done once Shutdown starts: no more retry waits
	stop     context.CancelFunc
	aborting context.Context // done when Shutdown's deadline passes: requests abort
	abort    context.CancelFunc

	warnedNoKey atomic.Bool
	noop        noopMemory // spans left out under a no-op id

	mu     sync.Mutex
	down   bool
	active int
	idle   chan struct{} // closed when active drops to zero during Shutdown
}

var (
	_ processors.Exporter  = (*Exporter)(nil)
	_ processors.Selective = (*Exporter)(nil)
)

// New returns an exporter configured by opts. Defaults: the API key, the
// organization and the project from OPENAI_API_KEY, OPENAI_ORG_ID and
// OPENAI_PROJECT_ID; the endpoint [DefaultEndpoint], whatever
// OPENAI_BASE_URL says; requests of at most [MaxRequestItems] items and
// [DefaultMaxRequestSize] bytes; [DefaultMaxAttempts] attempts per POST,
// waiting [DefaultInitialDelay] then twice as long each time up to
// [DefaultMaxDelay], plus 0-10 % jitter; an HTTP client with a 60-second
// timeout that does not follow redirects; [slog.Default]. The
// environment is read once, here; options override it. New never fails:
// without a key, items are dropped at export, with one warning.
func New(opts ...Option) *Exporter {
	cfg := configFromEnv()
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	u, err := url.Parse(cfg.endpoint)
	if err != nil {
		u = nil // the error quotes the URL, user info and all: it is not kept
	}
	e := &Exporter{
		apiKey:       cfg.apiKey,
		org:          cfg.org,
		project:      cfg.project,
		endpoint:     cfg.endpoint,
		url:          u,
		safeEndpoint: safeURL(u),
		userinfo:     userinfoSecrets(u),
		rules:        isDefaultEndpoint(cfg.endpoint),
		maxRequest:   cfg.maxRequest,
		client:       cfg.client,
		logger:       cfg.logger,
		policy: retry.Policy{
			MaxAttempts: cfg.maxAttempts,
			Initial:     cfg.initial,
			Multiplier:  2,
			Max:         cfg.maxDelay,
			Jitter:      0.1,
		},
		sleep: retry.Sleep,
	}
	if cfg.payloadRules != nil {
		e.rules = *cfg.payloadRules
	}
	if e.client != nil {
		e.client = guardClient(e.client)
	} else {
		e.client = &http.Client{
			Timeout: 60 * time.Second,
			// Like Python's httpx client: a 3xx answer is a failure to retry.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		e.ownClient = true
	}
	e.stopping, e.stop = context.WithCancel(context.Background())
	e.aborting, e.abort = context.WithCancel(context.Background())
	e.warnAtNew()
	return e
}

// Endpoint returns the URL the exporter posts to, safe to print: without
// user information, and with any query replaced by "[REDACTED]".
func (e *Exporter) Endpoint() string {
	if e == nil {
		return ""
	}
	return e.safeEndpoint
}

// Export posts the trace starts and span ends among items, in their order,
// grouped by API key, each group in requests of at most [MaxRequestItems]
// items and the maximum request size (see [WithMaxRequestSize]); it skips
// trace ends, and items whose trace or span id, or an ancestor's, is
// "no-op". An item's key is its trace's own key (see
// tracing.WithTracingAPIKey), else the exporter's. Items with no key are
// dropped, with one warning per exporter. Malformed items (a trace start
// without a trace, a span end without a span, a span with no trace or with
// nil data) and items whose encoding panics are dropped; the rest of the
// batch still goes out. Once [Exporter.Shutdown] has begun, no new POST is
// started: the requests not yet posted are dropped. The result is nil when
// every item was delivered, and otherwise joins a [*processors.PartialError]
// per cause: DropNoAPIKey, DropTooLarge (an item that alone exceeds the
// request size), DropExportFailed (after the retries, for a malformed item,
// or for a request not posted because of Shutdown) or DropAfterShutdown.
// Errors never contain a key or the endpoint's user information.
func (e *Exporter) Export(ctx context.Context, items []processors.Item) error {
	if !e.begin() {
		if n := countSent(items); n > 0 {
			return &processors.PartialError{Dropped: n, Reason: processors.DropAfterShutdown, Err: errShutdown}
		}
		return nil
	}
	defer e.finish()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(e.aborting, cancel)()

	groups, errs := e.group(items)
	notPosted := 0
	for _, g := range groups {
		if g.key == "" {
			if !e.warnedNoKey.Swap(true) {
				e.log().Warn("agenttrace: no OpenAI API key (set OPENAI_API_KEY or use openaiexport.WithAPIKey); traces are not exported to OpenAI",
					slog.Int("items", len(g.items)))
			}
			errs = append(errs, &processors.PartialError{Dropped: len(g.items), Reason: processors.DropNoAPIKey,
				Err: errors.New("openaiexport: no API key")})
			continue
		}
		chunks, tooLarge := split(g.items, e.maxRequest)
		if tooLarge > 0 {
			errs = append(errs, &processors.PartialError{Dropped: tooLarge, Reason: processors.DropTooLarge,
				Err: fmt.Errorf("openaiexport: %d items each exceed the %d-byte request limit", tooLarge, e.maxRequest)})
		}
		for _, chunk := range chunks {
			if e.stopping.Err() != nil { // Shutdown has begun: start no new POST
				notPosted += len(chunk)
				continue
			}
			if err := e.post(ctx, g.key, body(chunk), len(chunk)); err != nil {
				errs = append(errs, &processors.PartialError{Dropped: len(chunk), Reason: processors.DropExportFailed, Err: err})
			}
		}
	}
	if notPosted > 0 {
		errs = append(errs, &processors.PartialError{Dropped: notPosted, Reason: processors.DropExportFailed, Err: errNotPosted})
	}
	return errors.Join(errs...)
}

// Sends reports whether the exporter sends items of event ev: trace starts
// and span ends, not trace ends. A processors.Batcher counts only those
// toward its batch size, so that a batch of 128 fills a request of 128
// items, as in the Python SDK, which never queues trace ends.
func (e *Exporter) Sends(ev processors.Event) bool {
	return ev == processors.TraceStarted || ev == processors.SpanEnded
}

// Shutdown stops retry waits at once, so that an export in progress gives up
// after its current attempt and starts no new POST (the API-key groups of
// its batch not yet posted are dropped as DropExportFailed), and waits for
// exports in progress to return. If ctx is done first, their requests are
// cancelled and ctx's error returned. Later exports drop their items as
// DropAfterShutdown. Only the first call has an effect; later calls return
// nil.
func (e *Exporter) Shutdown(ctx context.Context) error {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	if e.down {
		e.mu.Unlock()
		return nil
	}
	e.down = true
	e.stop()
	var idle chan struct{}
	if e.active > 0 {
		idle = make(chan struct{})
		e.idle = idle
	}
	e.mu.Unlock()

	var err error
	if idle != nil {
		select {
		case <-idle:
		case <-ctx.Done():
			e.abort()
			err = ctx.Err()
		}
	}
	if e.ownClient {
		e.client.CloseIdleConnections()
	}
	return err
}

func (e *Exporter) begin() bool {
	if e == nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.down {
		return false
	}
	e.active++
	return true
}

func (e *Exporter) finish() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.active--
	if e.active == 0 && e.idle != nil {
		close(e.idle)
		e.idle = nil
	}
}

func (e *Exporter) log() *slog.Logger {
	if e.logger == nil {
		return slog.Default()
	}
	return e.logger
}

// isDefaultEndpoint reports whether endpoint is OpenAI's, compared as the
// Python SDK does: the whole URL, ignoring a trailing slash.
func isDefaultEndpoint(endpoint string) bool {
	return strings.TrimRight(endpoint, "/") == DefaultEndpoint
}
