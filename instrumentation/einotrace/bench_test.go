package einotrace_test

import (
	"context"
	"testing"

	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// BenchmarkReAct measures a ReAct run (two model calls, one tool call) with
// no handler, with the handler and tracing disabled, and recording into a
// provider with no processors:
//
//	go test -run '^$' -bench ReAct -benchmem -count=6 . | tee bench.txt && benchstat -col /handler bench.txt
func BenchmarkReAct(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []agent.AgentOption
	}{
		{"handler=none", nil},
		{"handler=disabled", []agent.AgentOption{agent.WithComposeOptions(compose.WithCallbacks(
			einotrace.NewHandler(einotrace.WithProvider(tracing.NewProvider(tracing.WithDisabled(true))))))}},
		{"handler=recording", []agent.AgentOption{agent.WithComposeOptions(compose.WithCallbacks(
			einotrace.NewHandler(einotrace.WithProvider(tracing.NewProvider(tracing.WithDisabled(false))))))}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ag := newReAct(b, weatherScript())
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ag.Generate(context.Background(), question, bc.opts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
