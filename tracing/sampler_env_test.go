package tracing_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// fixedIDs makes the OTel SDK start its root spans with the trace id next.
type fixedIDs struct{ next trace.TraceID }

func (g *fixedIDs) NewIDs(context.Context) (trace.TraceID, trace.SpanID) {
	return g.next, trace.SpanID{1}
}

func (g *fixedIDs) NewSpanID(context.Context, trace.TraceID) trace.SpanID { return trace.SpanID{2} }

// TestSamplerEnvAgreesWithOTel sets OTEL_TRACES_SAMPLER and its argument,
// makes a provider and an OTel SDK TracerProvider (which reads them too),
// and decides 300 trace ids with no parent, a sampled parent and a parent
// not sampled: the two must agree on every one.
func TestSamplerEnvAgreesWithOTel(t *testing.T) {
	for _, c := range []struct{ sampler, arg string }{
		{"", ""},
		{"parentbased_always_on", ""},
		{"parentbased_always_off", ""},
		{"parentbased_traceidratio", "0.3"},
		{"always_on", ""},
		{"always_off", ""},
		{" TraceIdRatio ", "0.6"},
		{"traceidratio", ""},
	} {
		t.Run(c.sampler+"/"+c.arg, func(t *testing.T) {
			t.Setenv(tracing.EnvTracesSampler, c.sampler)
			t.Setenv(tracing.EnvTracesSamplerArg, c.arg)
			var logs bytes.Buffer
			tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			ids := &fixedIDs{}
			otp := sdktrace.NewTracerProvider(sdktrace.WithIDGenerator(ids))
			defer otp.Shutdown(context.Background())
			tracer := otp.Tracer("t")
			recorded := map[bool]int{}
			for i := range 300 {
				tid := tracing.OTelTraceID(tracing.NewTraceID())
				for _, parent := range []string{"none", "sampled", "not sampled"} {
					ctx := context.Background()
					if parent != "none" {
						flags := trace.TraceFlags(0)
						if parent == "sampled" {
							flags = trace.FlagsSampled
						}
						ctx = trace.ContextWithRemoteSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
							TraceID: tid, SpanID: trace.SpanID{9, byte(i)}, TraceFlags: flags, Remote: true,
						}))
					}
					ids.next = tid
					_, os := tracer.Start(ctx, "w")
					want := os.SpanContext().IsSampled()
					os.End()
					_, tr := tp.StartTrace(ctx, "w", tracing.WithTraceID("trace_"+tid.String()))
					if (tr != nil) != want {
						t.Fatalf("trace %s, parent %s: recorded %v, the OTel SDK samples %v", tid, parent, tr != nil, want)
					}
					recorded[tr != nil]++
					tr.End()
				}
			}
			if logs.Len() != 0 {
				t.Errorf("warnings for a valid setting: %s", logs.String())
			}
			t.Logf("recorded %d, not %d", recorded[true], recorded[false])
		})
	}
}

// messages is a slog handler keeping the records it handles.
type messages []slog.Record

func (m *messages) Enabled(context.Context, slog.Level) bool      { return true }
func (m *messages) Handle(_ context.Context, r slog.Record) error { *m = append(*m, r); return nil }
func (m *messages) WithAttrs([]slog.Attr) slog.Handler            { return m }
func (m *messages) WithGroup(string) slog.Handler                 { return m }

// An unknown sampler or a bad ratio is a warning naming the variable, and
// the OTel SDK's fallback: the default sampler, or a ratio of 1.
func TestSamplerEnvWarns(t *testing.T) {
	for _, c := range []struct{ sampler, arg, want string }{
		{"jaeger_remote", "", "OTEL_TRACES_SAMPLER: unsupported sampler \"jaeger_remote\"; using parentbased_always_on"},
		{"traceidratio", "half", "OTEL_TRACES_SAMPLER_ARG: \"half\" is not a ratio from 0 to 1; using 1"},
		{"parentbased_traceidratio", "1.5", "OTEL_TRACES_SAMPLER_ARG: \"1.5\" is not a ratio from 0 to 1; using 1"},
		{"traceidratio", "NaN", "is not a ratio"},
		{strings.Repeat("x", 500), "", "xxx...\"; using"},
	} {
		t.Setenv(tracing.EnvTracesSampler, c.sampler)
		t.Setenv(tracing.EnvTracesSamplerArg, c.arg)
		var logs messages
		tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithLogger(slog.New(&logs)))
		if len(logs) != 1 || logs[0].Level != slog.LevelWarn || !strings.Contains(logs[0].Message, c.want) {
			t.Errorf("%q/%q: logged %v, want one warning with %q", c.sampler, c.arg, logs, c.want)
		}
		if len(logs) > 0 && len(logs[0].Message) > 200 {
			t.Errorf("warning of %d bytes", len(logs[0].Message))
		}
		_, tr := tp.StartTrace(context.Background(), "w")
		if tr == nil {
			t.Errorf("%q/%q: the fallback sampler dropped a root trace", c.sampler, c.arg)
		}
		tr.End()
	}
}

// WithSamplingRatio replaces the sampler the environment names.
func TestSamplingRatioOverridesEnv(t *testing.T) {
	t.Setenv(tracing.EnvTracesSampler, "always_off")
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithSamplingRatio(1))
	_, tr := tp.StartTrace(context.Background(), "w")
	if tr == nil {
		t.Fatal("always_off in the environment won over WithSamplingRatio(1)")
	}
	tr.End()
}
