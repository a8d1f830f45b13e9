package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// transcript is a processor keeping the model calls of a run, to show what
// the middleware recorded of each: the messages, the tools offered, the
// output, the usage.
type transcript struct {
	mu    sync.Mutex
	calls []*tracing.Span
}

var _ tracing.Processor = (*transcript)(nil)

func (*transcript) OnTraceStart(*tracing.Trace) {}
func (*transcript) OnTraceEnd(*tracing.Trace)   {}
func (*transcript) OnSpanStart(*tracing.Span)   {}

func (t *transcript) OnSpanEnd(s *tracing.Span) {
	if s.Kind() != spans.KindGeneration {
		return
	}
	t.mu.Lock()
	t.calls = append(t.calls, s)
	t.mu.Unlock()
}

func (*transcript) ForceFlush(context.Context) error { return nil }
func (*transcript) Shutdown(context.Context) error   { return nil }

// print writes the model calls to w.
func (t *transcript) print(w io.Writer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, s := range t.calls {
		g := s.Data().(*spans.Generation)
		fmt.Fprintf(w, "\nmodel call %d: %s (%s), attempts %v", i+1, g.Model, g.Provider, s.Metadata()["attempts"])
		if g.Stream {
			fmt.Fprint(w, ", streamed")
		}
		fmt.Fprintln(w)
		var tools []string
		for _, tl := range g.Tools {
			tools = append(tools, tl.Name)
		}
		fmt.Fprintf(w, "  tools offered: %s\n", strings.Join(tools, ", "))
		for _, m := range g.Input {
			fmt.Fprintf(w, "  in   %s\n", describe(m))
		}
		for _, m := range g.Output {
			fmt.Fprintf(w, "  out  %s\n", describe(m))
		}
		if u := g.Usage; u != nil {
			fmt.Fprintf(w, "  usage: %d tokens in (%d cached), %d out; finish reason %s\n",
				u.InputTokens, u.CachedInputTokens, u.OutputTokens, g.FinishReason)
		}
		if len(g.Input) == 0 && len(g.Output) == 0 {
			fmt.Fprintln(w, "  (messages not recorded: sensitive data is off)")
		}
	}
}

// describe renders a message on one line.
func describe(m spans.Message) string {
	text := m.Text()
	if m.ToolCallID != "" {
		text = "(" + m.ToolCallID + ") " + text
	}
	var calls []string
	for _, tc := range m.ToolCalls {
		calls = append(calls, fmt.Sprintf("%s(%s)", tc.Name, tc.Arguments))
	}
	if calls != nil {
		text = strings.TrimSpace(text + " calls " + strings.Join(calls, ", "))
	}
	if r := []rune(text); len(r) > 88 { // cut at a word
		cut := string(r[:85])
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
		text = cut + " ..."
	}
	return fmt.Sprintf("%-10s %s", m.Role, text)
}
