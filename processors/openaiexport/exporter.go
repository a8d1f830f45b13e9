package openaiexport

import (
	"bytes"
	"context"
	"errors"
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
	endpoint     string
	safeEndpoint string // endpoint without user info, for errors and logs
	rules        bool
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

	mu     sync.Mutex
	down   bool
	active int
	idle   chan struct{} // closed when active drops to zero during Shutdown
}

var _ processors.Exporter = (*Exporter)(nil)

// New returns an exporter configured by opts. Defaults: the API key, the
// organization and the project from OPENAI_API_KEY, OPENAI_ORG_ID and
// OPENAI_PROJECT_ID; the endpoint OPENAI_BASE_URL + "/traces/ingest" when
// OPENAI_BASE_URL is set, else [DefaultEndpoint]; [DefaultMaxAttempts]
// attempts per POST, waiting [DefaultInitialDelay] then twice as long each
// time up to [DefaultMaxDelay], plus 0-10 % jitter; an HTTP client with a
// 60-second timeout that does not follow redirects; [slog.Default]. The
// environment is read once, here; options override it. New never fails:
// without a key, items are dropped at export, with one warning.
func New(opts ...Option) *Exporter {
	cfg := configFromEnv()
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	e := &Exporter{
		apiKey:       cfg.apiKey,
		org:          cfg.org,
		project:      cfg.project,
		endpoint:     cfg.endpoint,
		safeEndpoint: safeURL(cfg.endpoint),
		rules:        isDefaultEndpoint(cfg.endpoint),
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
	if e.client == nil {
		e.client = &http.Client{
			Timeout: 60 * time.Second,
			// Like Python's httpx client: a 3xx answer is a failure to retry.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		e.ownClient = true
	}
	e.stopping, e.stop = context.WithCancel(context.Background())
	e.aborting, e.abort = context.WithCancel(context.Background())
	return e
}

// Endpoint returns the URL the exporter posts to.
func (e *Exporter) Endpoint() string {
	if e == nil {
		return ""
	}
	return e.endpoint
}

// Export posts the trace starts and span ends among items, in their order,
// one POST per API key; it skips trace ends. An item's key is its trace's own
// key (see tracing.WithTracingAPIKey), else the exporter's. Items with no key
// are dropped, with one warning per exporter. The result is nil when every
// item was delivered, and otherwise joins a [*processors.PartialError] per
// cause: DropNoAPIKey, DropExportFailed (after the retries, or when an item
// cannot be encoded) or DropAfterShutdown. Errors never contain a key.
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
		if err := e.post(ctx, g.key, body(g.items), len(g.items)); err != nil {
			errs = append(errs, &processors.PartialError{Dropped: len(g.items), Reason: processors.DropExportFailed, Err: err})
		}
	}
	return errors.Join(errs...)
}

// group is the encoded items of one API key, in queue order.
type group struct {
	key   string
	items [][]byte
}

// group encodes the items the ingest endpoint takes and groups them by key,
// the groups in order of their first item. Items that fail to encode are
// reported as errors.
func (e *Exporter) group(items []processors.Item) ([]*group, []error) {
	enc := encoder{rules: e.rules}
	var groups []*group
	byKey := map[string]*group{}
	var errs []error
	failed := 0
	var firstErr error
	for _, it := range items {
		var b []byte
		var err error
		var key string
		switch {
		case it.Event == processors.TraceStarted && it.Trace != nil:
			key = it.Trace.TracingAPIKey()
			b, err = enc.trace(it.Trace)
		case it.Event == processors.SpanEnded && it.Span != nil:
			key = it.Span.Trace().TracingAPIKey()
			b, err = enc.span(it.Span)
		default:
			continue
		}
		if err != nil {
			failed++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if key == "" {
			key = e.apiKey
		}
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, b)
	}
	if failed > 0 {
		errs = append(errs, &processors.PartialError{Dropped: failed, Reason: processors.DropExportFailed, Err: firstErr})
	}
	return groups, errs
}

// body joins encoded items into {"data":[...]}.
func body(items [][]byte) []byte {
	n := len(`{"data":[]}`) + len(items)
	for _, it := range items {
		n += len(it)
	}
	var b bytes.Buffer
	b.Grow(n)
	b.WriteString(`{"data":[`)
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// countSent counts the items Export would send.
func countSent(items []processors.Item) int {
	n := 0
	for _, it := range items {
		if (it.Event == processors.TraceStarted && it.Trace != nil) || (it.Event == processors.SpanEnded && it.Span != nil) {
			n++
		}
	}
	return n
}

// Shutdown stops retry waits at once, so that an export in progress gives up
// after its current attempt, and waits for exports in progress to return. If
// ctx is done first, their requests are cancelled and ctx's error returned.
// Later exports drop their items as DropAfterShutdown. Only the first call
// has an effect; later calls return nil.
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

// safeURL returns endpoint without user information.
func safeURL(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "(invalid endpoint URL)"
	}
	return u.Redacted()
}
