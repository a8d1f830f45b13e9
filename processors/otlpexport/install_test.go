package otlpexport

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestInstallFromEnvOptions checks that provider and Batcher options reach
// the pipeline InstallFromEnv builds: sensitive data left out, an extra
// processor, a short schedule delay, and the Batcher reachable for Stats.
func TestInstallFromEnvOptions(t *testing.T) {
	clearEnv(t)
	s := newSink(t, nil)
	prev := tracing.Default()
	t.Cleanup(func() { tracing.SetDefault(prev) })
	extra := &collector{}
	tp, err := InstallFromEnv(
		WithEndpointURL(s.URL+"/v1/traces"),
		WithProviderOptions(tracing.WithSensitiveData(false), tracing.WithProcessor(extra)),
		WithBatcherOptions(processors.WithScheduleDelay(20*time.Millisecond)),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx, tr := tracing.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "lookup", Input: "secret input", Output: "secret output"})
	sp.End()
	tr.End()
	// The default delay is 5s: spans arrive before Shutdown only with ours.
	deadline := time.Now().Add(3 * time.Second)
	for len(s.spans()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(s.spans()); n != 2 {
		t.Errorf("%d spans delivered before Shutdown, want 2 (schedule delay not applied)", n)
	}
	b := BatcherOf(tp)
	if b == nil {
		t.Fatal("BatcherOf = nil")
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st.Received != 3 || st.Exported != 3 {
		t.Errorf("Batcher stats = %v, want 3 received and exported", st)
	}
	if len(extra.items) != 3 {
		t.Errorf("extra processor got %d items, want 3", len(extra.items))
	}
	for k := range childAttrs(t, s.spans()) {
		if k == "input.value" || k == "output.value" || k == "cozeloop.input" {
			t.Errorf("sensitive data sent as %s", k)
		}
	}
}

// TestInstallFromEnvNotConfigured checks the documented result without a
// destination: a nil provider, ErrNotConfigured, nothing installed; and
// BatcherOf of a nil provider.
func TestInstallFromEnvNotConfigured(t *testing.T) {
	clearEnv(t)
	prev := tracing.Default()
	tp, err := InstallFromEnv(WithProviderOptions(tracing.WithSensitiveData(false)), WithBatcherOptions(processors.WithMaxQueueSize(1)))
	if tp != nil || !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("InstallFromEnv = %v, %v", tp, err)
	}
	if tracing.Default() != prev {
		t.Error("a provider was installed")
	}
	if BatcherOf(tp) != nil || BatcherOf(tracing.NewProvider()) != nil {
		t.Error("BatcherOf found a Batcher where there is none")
	}
}

// TestNewIgnoresInstallOptions checks that New accepts the InstallFromEnv
// options and ignores them.
func TestNewIgnoresInstallOptions(t *testing.T) {
	clearEnv(t)
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithProviderOptions(tracing.WithDisabled(true)), WithBatcherOptions())
	if err != nil {
		t.Fatal(err)
	}
	exportOne(t, exp)
	if len(s.spans()) != 2 {
		t.Errorf("spans = %d", len(s.spans()))
	}
}
