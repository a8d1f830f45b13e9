package processors_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

func TestConsolePrintsEveryKind(t *testing.T) {
	var out bytes.Buffer
	tp, _ := tracingtest.NewProvider(tracing.WithProcessor(processors.NewSync(processors.NewConsole(&out))))
	ctx, tr := tp.StartTrace(context.Background(), "all kinds", tracing.WithGroupID("group_1"))
	actx, a := tracing.StartSpan(ctx, &spans.Agent{Name: "agent"})
	for _, d := range []spans.Data{
		&spans.Generation{Model: "gpt-4.1", Usage: &spans.Usage{InputTokens: 10, OutputTokens: 5}},
		&spans.Function{Name: "tool"},
		&spans.Guardrail{Name: "guard", Triggered: true},
		&spans.Handoff{From: "agent", To: "other"},
		&spans.Transcription{Model: "stt"},
		&spans.Speech{Model: "tts"},
		&spans.SpeechGroup{},
		&spans.Custom{Name: "custom"},
		&spans.Response{ResponseID: "resp_1", Usage: &spans.Usage{InputTokens: 1, OutputTokens: 2}},
		&spans.MCPListTools{Server: "fs", Result: []string{"read", "write"}},
		&spans.Task{Name: "task"},
		&spans.Turn{Turn: 2, AgentName: "agent"},
	} {
		_, s := tracing.StartSpan(actx, d)
		s.End()
	}
	_, f := tracing.StartSpan(actx, &spans.Function{Name: "broken"})
	f.SetError(&tracing.SpanError{Message: "Error running tool", Data: map[string]any{"tool_name": "broken"}})
	f.End()
	a.End()
	tr.End()

	want := `trace "all kinds" trace_00000000000000000000000000000001 group=group_1 29ms
└─ agent "agent" 27ms
   ├─ generation 1ms model=gpt-4.1 tokens=10 in/5 out
   ├─ function "tool" 1ms
   ├─ guardrail "guard" 1ms triggered=true
   ├─ handoff "agent -> other" 1ms
   ├─ transcription 1ms model=stt
   ├─ speech 1ms model=tts
   ├─ speech_group "speech_group" 1ms
   ├─ custom "custom" 1ms
   ├─ response "resp_1" 1ms tokens=1 in/2 out
   ├─ mcp_tools "fs" 1ms tools=2
   ├─ task "task" 1ms
   ├─ turn "agent" 1ms turn=2
   └─ function "broken" 1ms ERROR: Error running tool tool_name=broken
`
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestConsoleLateAndOpenTraces(t *testing.T) {
	var out bytes.Buffer
	sync := processors.NewSync(processors.NewConsole(&out, processors.WithoutTimings(), processors.WithoutIDs()))
	tp, _ := tracingtest.NewProvider(tracing.WithProcessor(sync))
	ctx, tr := tp.StartTrace(context.Background(), "ended")
	_, late := tracing.StartSpan(ctx, &spans.Custom{Name: "straggler"})
	tr.End()
	late.End()
	ctx2, open := tp.StartTrace(context.Background(), "open")
	_, s := tracing.StartSpan(ctx2, &spans.Custom{Name: "inside"})
	s.End()
	_ = open
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `trace "ended"
late span of "ended": custom "straggler"
trace "open" (not ended)
└─ custom "inside"
`
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

type failing struct{ err error }

func (f failing) Export(context.Context, []processors.Item) error { return f.err }
func (failing) Shutdown(context.Context) error                    { return nil }

type panicking struct{}

func (panicking) Export(context.Context, []processors.Item) error { panic("exporter bug") }
func (panicking) Shutdown(context.Context) error                  { return nil }

func TestSyncCountsEveryItem(t *testing.T) {
	cases := []struct {
		name string
		exp  processors.Exporter
		want map[processors.DropReason]int64
	}{
		{"failing", failing{errors.New("down")}, map[processors.DropReason]int64{processors.DropExportFailed: 4}},
		{"partial", failing{&processors.PartialError{Dropped: 1, Reason: processors.DropRejected}}, map[processors.DropReason]int64{processors.DropRejected: 4}},
		{"panicking", panicking{}, map[processors.DropReason]int64{processors.DropExporterPanic: 4}},
		{"healthy", processors.NewConsole(&bytes.Buffer{}), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := processors.NewSync(c.exp)
			tp, _ := tracingtest.NewProvider(tracing.WithProcessor(p))
			ctx, tr := tp.StartTrace(context.Background(), "w")
			for range 2 {
				_, s := tracing.StartSpan(ctx, &spans.Custom{})
				s.End()
			}
			tr.End() // 1 trace start + 2 spans + 1 trace end = 4 items
			if err := tp.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			ctx, _ = tp.StartTrace(context.Background(), "after") // nil: provider shut down
			_, s := tracing.StartSpan(ctx, &spans.Custom{})
			s.End()
			p.OnSpanEnd(nil) // a direct call after shutdown is counted too
			st := p.Stats()
			if st.Received != 5 || st.Pending != 0 || st.Exported+st.DroppedTotal() != st.Received {
				t.Fatalf("stats do not add up: %+v", st)
			}
			if st.Dropped[processors.DropAfterShutdown] != 1 {
				t.Fatalf("after-shutdown drops: %+v", st.Dropped)
			}
			delete(st.Dropped, processors.DropAfterShutdown)
			for r, n := range c.want {
				if st.Dropped[r] != n {
					t.Fatalf("dropped[%s] = %d, want %d (%+v)", r, st.Dropped[r], n, st)
				}
			}
			if c.want == nil && st.Exported != 4 {
				t.Fatalf("exported %d, want 4", st.Exported)
			}
		})
	}
}

func TestDropped(t *testing.T) {
	pe := func(n int, r processors.DropReason) error { return &processors.PartialError{Dropped: n, Reason: r} }
	cases := []struct {
		err  error
		n    int
		want map[processors.DropReason]int
	}{
		{nil, 5, nil},
		{errors.New("x"), 5, map[processors.DropReason]int{processors.DropExportFailed: 5}},
		{pe(2, processors.DropNoAPIKey), 5, map[processors.DropReason]int{processors.DropNoAPIKey: 2}},
		{pe(2, ""), 5, map[processors.DropReason]int{processors.DropExportFailed: 2}},
		{errors.Join(pe(2, processors.DropNoAPIKey), pe(9, processors.DropRejected)), 5, map[processors.DropReason]int{processors.DropNoAPIKey: 2, processors.DropRejected: 3}},
		{errors.Join(errors.New("ctx"), pe(1, processors.DropTooLarge)), 5, map[processors.DropReason]int{processors.DropTooLarge: 1}},
	}
	for i, c := range cases {
		got := processors.Dropped(c.err, c.n)
		if len(got) != len(c.want) {
			t.Fatalf("case %d: %v, want %v", i, got, c.want)
		}
		for r, n := range c.want {
			if got[r] != n {
				t.Fatalf("case %d: %v, want %v", i, got, c.want)
			}
		}
	}
	if msg := pe(3, processors.DropRejected).Error(); !strings.Contains(msg, "3 items dropped (rejected)") {
		t.Fatalf("message %q", msg)
	}
}

// The console holds at most ConsoleMaxOpen open traces: beyond that the
// oldest is printed early, and its later spans get lines of their own.
func TestConsoleBoundsOpenTraces(t *testing.T) {
	var out bytes.Buffer
	c := processors.NewConsole(&out, processors.WithoutTimings(), processors.WithoutIDs())
	tp, _ := tracingtest.NewProvider(tracing.WithProcessor(processors.NewSync(c)))
	firstCtx, first := tp.StartTrace(context.Background(), "first")
	for range processors.ConsoleMaxOpen {
		ctx, _ := tp.StartTrace(context.Background(), "never ended")
		_, s := tracing.CustomSpan(ctx, "step", nil)
		s.End()
	}
	want := "trace \"first\" (not ended)\n"
	if out.String() != want {
		t.Fatalf("after %d more open traces, printed %q, want %q", processors.ConsoleMaxOpen, out.String(), want)
	}
	out.Reset()
	_, s := tracing.CustomSpan(firstCtx, "after", nil)
	s.End()
	first.End()
	if got, want := out.String(), "late span of \"first\": custom \"after\"\n"; got != want {
		t.Errorf("after the early print: %q, want %q", got, want)
	}
	out.Reset()
	_ = c.Shutdown(context.Background())
	if n := strings.Count(out.String(), "(not ended)"); n != processors.ConsoleMaxOpen {
		t.Errorf("Shutdown printed %d open traces, want %d", n, processors.ConsoleMaxOpen)
	}
}

// A span of an ended trace that the console no longer remembers is printed
// on its own line, not held as the start of an open trace.
func TestConsoleLateSpanOfForgottenTrace(t *testing.T) {
	var out bytes.Buffer
	c := processors.NewConsole(&out, processors.WithoutTimings(), processors.WithoutIDs())
	tp, _ := tracingtest.NewProvider(tracing.WithProcessor(processors.NewSync(c)))
	ctx, tr := tp.StartTrace(context.Background(), "first")
	_, late := tracing.CustomSpan(ctx, "late", nil)
	tr.End()
	for range 2 * processors.ConsoleMaxOpen {
		_, o := tp.StartTrace(context.Background(), "other")
		o.End()
	}
	out.Reset()
	late.End()
	if got, want := out.String(), "late span of \"first\": custom \"late\"\n"; got != want {
		t.Errorf("late span printed %q, want %q", got, want)
	}
	out.Reset()
	_ = c.Shutdown(context.Background())
	if out.Len() != 0 {
		t.Errorf("Shutdown printed %q, want nothing open", out.String())
	}
}

// A nil writer prints to os.Stdout instead of failing every export.
func TestConsoleNilWriterIsStdout(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	c := processors.NewConsole(nil, processors.WithoutTimings(), processors.WithoutIDs())
	os.Stdout = old
	sync := processors.NewSync(c)
	tp, _ := tracingtest.NewProvider(tracing.WithProcessor(sync))
	_, tr := tp.StartTrace(context.Background(), "to stdout")
	tr.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	out, _ := io.ReadAll(r)
	if !strings.Contains(string(out), `trace "to stdout"`) {
		t.Errorf("stdout got %q", out)
	}
	if st := sync.Stats(); st.DroppedTotal() != 0 {
		t.Errorf("stats %v, want nothing dropped", st)
	}
}
