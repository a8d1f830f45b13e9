package benchmarks

import (
	"context"
	"flag"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// The span content every library records.
const (
	model        = "gpt-4.1-mini"
	provider     = "openai"
	systemPrompt = "You are a helpful support agent."
	answer       = "It shipped yesterday and arrives in 2 days."
	inputTokens  = 314159
	outputTokens = 27182
	spanName     = "chat " + model
	rootName     = "bench"

	// contentSpans is how many distinct user messages the spans cycle
	// through.
	contentSpans = 512
)

// question returns the user message of span i.
func question(i int) string { return "Where is my order A" + strconv.Itoa(10000+i%contentSpans) + "?" }

// mode is what a rig is set up for.
type mode int

const (
	// batched: the library's batch processor at its defaults, feeding an
	// exporter that counts and discards.
	batched mode = iota
	// disabled: tracing switched off.
	disabled
	// noProcessor: tracing on, nothing configured to receive spans.
	noProcessor
	// toSink: the library's whole pipeline at its defaults, to setup.url.
	toSink
	// backendDown: the whole pipeline at its defaults, to an endpoint where
	// nothing listens (setup.url).
	backendDown
)

// setup says what a rig is for.
type setup struct {
	mode mode
	url  string // the sink's or the dead endpoint's base URL (toSink, backendDown)
	gzip bool   // toSink
}

// rig is one library set up for one case.
type rig struct {
	// ctx holds the open root (trace) under which spans are recorded.
	ctx context.Context
	// record records span i: the generation of the shared content.
	record func(ctx context.Context, i int)
	// flush exports what is queued and waits for it (toSink).
	flush func()
	// stop ends the root and shuts the pipeline down, within a short
	// deadline.
	stop func()
	// exported returns how many generation spans the exporter received
	// (batched; read after stop).
	exported func() int64
}

// impl is one library, or one variant of agenttrace-go, under its benchmark
// name, with the modes it offers.
type impl struct {
	name   string
	modes  []mode
	gzip   bool // whether toSink can compress
	newRig func(tb testing.TB, s setup) *rig
}

var allModes = []mode{batched, disabled, noProcessor, toSink, backendDown}

// impls are the implementations in the order they appear in results; the
// first is benchstat's base column.
var impls = []impl{
	{"agenttrace", allModes, true, agenttraceRig},
	{"agenttrace-guarded", []mode{disabled}, false, agenttraceGuardedRig},
	{"agenttrace-openai", []mode{toSink}, false, agenttraceOpenAIRig},
	{"otel", allModes, true, otelRig},
	{"openai-agents-go", allModes, false, openaiAgentsRig},
	{"cozeloop", []mode{batched, disabled, toSink, backendDown}, false, cozeloopRig},
}

var implFilter = flag.String("impls", "", "run only the implementations whose name matches this regular expression")

// eachImpl runs f as a sub-benchmark impl=NAME for every selected
// implementation offering m (and gzip, when gz is set).
func eachImpl(b *testing.B, m mode, gz bool, f func(b *testing.B, im impl)) {
	var re *regexp.Regexp
	if *implFilter != "" {
		re = regexp.MustCompile(*implFilter)
	}
	for _, im := range impls {
		if (re != nil && !re.MatchString(im.name)) || !slices.Contains(im.modes, m) || (gz && !im.gzip) {
			continue
		}
		b.Run("impl="+im.name, func(b *testing.B) { f(b, im) })
	}
}

// discardLogger returns a slog logger that writes nothing.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func itoa(n int) string { return strconv.Itoa(n) }
