package spans_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
)

func TestKindNames(t *testing.T) {
	want := []string{"agent", "generation", "function", "guardrail", "handoff", "transcription",
		"speech", "speech_group", "custom", "response", "mcp_tools", "task", "turn",
		"embedding", "retriever", "prompt"}
	kinds := spans.Kinds()
	if len(kinds) != len(want) {
		t.Fatalf("%d kinds, want %d", len(kinds), len(want))
	}
	for i, k := range kinds {
		if k.String() != want[i] {
			t.Errorf("kind %d = %q, want %q", k, k, want[i])
		}
	}
	if spans.Kind(0).String() != "unknown" || spans.Kind(200).String() != "unknown" {
		t.Error("out-of-range kinds must read unknown")
	}
}

// every returns one value of each data type with every field set.
func every() []spans.Data {
	u := &spans.Usage{InputTokens: 1}
	return []spans.Data{
		&spans.Agent{Name: "a", Handoffs: []string{"b"}, Tools: []string{"t"}, OutputType: "str", Input: "q", Output: "a"},
		&spans.Generation{Input: []spans.Message{{Role: "user"}}, Output: []spans.Message{{Role: "assistant"}}, Model: "m", Usage: u,
			Tools: []spans.Tool{{Name: "t"}}, ModelConfig: map[string]any{"k": 1}, Provider: "p", FinishReason: "stop",
			ResponseID: "r", Stream: true, FirstTokenAt: time.Unix(1, 0)},
		&spans.Function{Name: "f", Input: "{}", Output: 1, MCPData: map[string]any{"server": "s"}},
		&spans.Guardrail{Name: "g", Triggered: true},
		&spans.Handoff{From: "a", To: "b"},
		&spans.Transcription{Input: []byte{1}, InputFormat: "pcm", Output: "hi", Model: "m"},
		&spans.Speech{Input: "hi", Output: []byte{1}, OutputFormat: "pcm", Model: "m"},
		&spans.SpeechGroup{Input: "hi"},
		&spans.Custom{Name: "c", Data: map[string]any{"k": 1}, Input: "in", Output: []any{1}},
		&spans.Response{ResponseID: "r", Model: "m", Provider: "p", Usage: u, Input: "x", Output: []any{1},
			ModelConfig: map[string]any{"k": 1}, Tools: []spans.Tool{{Name: "t"}}},
		&spans.MCPListTools{Server: "s", Result: []string{"t"}},
		&spans.Task{Name: "t", Usage: u},
		&spans.Turn{Turn: 1, AgentName: "a", Usage: u},
		&spans.Embedding{Model: "m", Provider: "p", Input: []string{"x"}, Dimensions: 3, Count: 1, Usage: u},
		&spans.Retriever{Name: "r", Query: "q", Documents: []spans.Document{{ID: "d"}}, TopK: 3},
		&spans.Prompt{Name: "p", Template: []spans.Message{{Role: "system"}}, Variables: map[string]any{"k": 1},
			Output: []spans.Message{{Role: "system"}}},
	}
}

func TestEveryKindHasAType(t *testing.T) {
	seen := map[spans.Kind]bool{}
	for _, d := range every() {
		seen[d.Kind()] = true
	}
	for _, k := range spans.Kinds() {
		if !seen[k] {
			t.Errorf("no data type reports kind %v", k)
		}
	}
}

func TestSnapshot(t *testing.T) {
	// Content fields by type: cleared by redaction, everything else kept.
	content := map[spans.Kind][]string{
		spans.KindGeneration:    {"Input", "Output"},
		spans.KindFunction:      {"Input", "Output"},
		spans.KindTranscription: {"Input", "Output"},
		spans.KindSpeech:        {"Input", "Output"},
		spans.KindSpeechGroup:   {"Input"},
		spans.KindResponse:      {"Input", "Output"},
		spans.KindAgent:         {"Input", "Output"},
		spans.KindCustom:        {"Input", "Output"},
		spans.KindEmbedding:     {"Input"},
		spans.KindRetriever:     {"Query", "Documents"},
		spans.KindPrompt:        {"Template", "Variables", "Output"},
	}
	for _, d := range every() {
		t.Run(d.Kind().String(), func(t *testing.T) {
			c := spans.Snapshot(d, false)
			if c == d || !reflect.DeepEqual(c, d) {
				t.Fatal("a snapshot must be an equal copy")
			}
			r := reflect.ValueOf(spans.Snapshot(d, true)).Elem()
			orig := reflect.ValueOf(d).Elem()
			cleared := map[string]bool{}
			for _, f := range content[d.Kind()] {
				cleared[f] = true
			}
			for i := 0; i < r.NumField(); i++ {
				name := r.Type().Field(i).Name
				if cleared[name] {
					if !r.Field(i).IsZero() {
						t.Errorf("redacted %s kept", name)
					}
					if orig.Field(i).IsZero() {
						t.Errorf("redaction cleared the original's %s", name)
					}
				} else if !reflect.DeepEqual(r.Field(i).Interface(), orig.Field(i).Interface()) {
					t.Errorf("redaction changed %s", name)
				}
			}
		})
	}
	if spans.Snapshot(nil, true) != nil {
		t.Error("Snapshot(nil) must be nil")
	}
}

func TestNilDataIsSafe(t *testing.T) {
	nils := []spans.Data{(*spans.Agent)(nil), (*spans.Generation)(nil), (*spans.Function)(nil),
		(*spans.Guardrail)(nil), (*spans.Handoff)(nil), (*spans.Transcription)(nil), (*spans.Speech)(nil),
		(*spans.SpeechGroup)(nil), (*spans.Custom)(nil), (*spans.Response)(nil), (*spans.MCPListTools)(nil),
		(*spans.Task)(nil), (*spans.Turn)(nil), (*spans.Embedding)(nil), (*spans.Retriever)(nil), (*spans.Prompt)(nil)}
	for _, d := range nils {
		_ = d.SpanName()
		c := spans.Snapshot(d, true)
		if c == nil || reflect.ValueOf(c).IsNil() || c.Kind() != d.Kind() {
			t.Errorf("%v: snapshot of a typed nil must be a zero value of the same kind", d.Kind())
		}
	}
	var u *spans.Usage
	if u.Total() != 0 || (&spans.Usage{InputTokens: 2, OutputTokens: 3}).Total() != 5 || (&spans.Usage{TotalTokens: 9}).Total() != 9 {
		t.Error("Usage.Total")
	}
}

// Usage is copied with the data: a running total updated after End does not
// change what was recorded.
func TestSnapshotCopiesUsage(t *testing.T) {
	for _, d := range []spans.Data{
		&spans.Generation{Usage: &spans.Usage{InputTokens: 1}},
		&spans.Response{Usage: &spans.Usage{InputTokens: 1}},
		&spans.Task{Usage: &spans.Usage{InputTokens: 1}},
		&spans.Turn{Usage: &spans.Usage{InputTokens: 1}},
		&spans.Embedding{Usage: &spans.Usage{InputTokens: 1}},
	} {
		snap := spans.Snapshot(d, false)
		live := usageOf(d)
		live.InputTokens = 99
		if got := usageOf(snap); got == live || got.InputTokens != 1 {
			t.Errorf("%v: snapshot usage %+v follows the live value", d.Kind(), got)
		}
		if usageOf(spans.Snapshot(d, true)).InputTokens != 99 {
			t.Errorf("%v: a redacted snapshot lost its usage", d.Kind())
		}
	}
	if (spans.Snapshot(&spans.Generation{}, false)).(*spans.Generation).Usage != nil {
		t.Error("a nil usage became non-nil")
	}
}

func usageOf(d spans.Data) *spans.Usage {
	switch d := d.(type) {
	case *spans.Generation:
		return d.Usage
	case *spans.Response:
		return d.Usage
	case *spans.Task:
		return d.Usage
	case *spans.Turn:
		return d.Usage
	case *spans.Embedding:
		return d.Usage
	}
	return nil
}
