package openaiexport

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

type point struct{ X, Y int }

type noJSON struct{ F func() }

func (noJSON) String() string { return "noJSON" }

// myString is a named string type.
type myString string

// myErr is an error with a pointer receiver, for typed nils.
type myErr struct{ msg string }

func (e *myErr) Error() string { return e.msg }

// wrapErr is an error whose Error method panics on a nil inner error.
type wrapErr struct{ inner *myErr }

func (e wrapErr) Error() string { return "wrapped: " + e.inner.msg }

// exportOutputs exports one function span per output and returns what each
// was sent as.
func exportOutputs(t *testing.T, outputs []any) []any {
	t.Helper()
	items := exportOne(t, nil, func(ctx context.Context) {
		for _, out := range outputs {
			_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "f", Input: "{}", Output: out})
			sp.End()
		}
	})
	if len(items) != len(outputs)+1 {
		t.Fatalf("%d items sent for %d spans", len(items), len(outputs))
	}
	var got []any
	for _, it := range items[1:] {
		got = append(got, it.(map[string]any)["span_data"].(map[string]any)["output"])
	}
	return got
}

// TestFunctionOutput checks the text sent for each kind of function output.
// As in Python since v0.17.4 (str(output) whenever output is not None),
// only Go's None, nil, is sent as null: zero values are sent as their text.
func TestFunctionOutput(t *testing.T) {
	zero, one := 0, 1
	zeroPtr, onePtr := &zero, &one
	var nilAny *any
	var nilIface any
	cases := []struct {
		in   any
		want any
	}{
		{nil, nil},
		{"plain text", "plain text"},
		{map[string]any{"b": 1, "a": "<x>"}, `{"a":"<x>","b":1}`},
		{point{1, 2}, `{"X":1,"Y":2}`},
		{point{}, `{"X":0,"Y":0}`},
		{[]int{1, 2}, `[1,2]`},
		{42, `42`},
		{"0", "0"},
		{true, "True"},
		{[1]int{0}, "[0]"},
		{&one, "1"},
		{&onePtr, "1"},
		{errors.New("tool failed"), "tool failed"},
		{errors.New(""), ""},
		{noJSON{}, "<openaiexport.noJSON: json: unsupported type: func()>"},

		// Zero values: sent, as Python sends str(0), str(False), str("").
		// Bools as Python writes them.
		{"", ""},
		{0, "0"},
		{int8(0), "0"},
		{uint64(0), "0"},
		{0.0, "0"},
		{time.Duration(0), "0"},
		{false, "False"},
		{map[string]any{}, "{}"},
		{[]any{}, "[]"},
		{[0]int{}, "[]"},
		{myString(""), ""},
		{&zero, "0"},
		{&zeroPtr, "0"},
		{complex(0, 0), "<complex128: unsupported type>"},

		// A bad value inside is replaced, the rest sent.
		{map[string]any{"n": 1, "bad": math.NaN(), "ch": make(chan int)}, `{"bad":null,"ch":"<chan int: unsupported type>","n":1}`},

		// Go's None: nil slices and maps, and a RawMessage with no JSON.
		{[]int(nil), nil},
		{map[string]int(nil), nil},
		{json.RawMessage(nil), nil},
		{json.RawMessage{}, nil},

		// Typed nils: unset, and no method is called on the nil receiver.
		{(*myErr)(nil), nil},
		{&nilIface, nil},
		{(*point)(nil), nil},
		{nilAny, nil},
		{(func())(nil), nil},
		{(chan int)(nil), nil},

		// Named strings are sent as their text; RawMessage as compact text, or
		// as is when it is not JSON.
		{myString("ok"), "ok"},
		{json.RawMessage(`{"raw": true}`), `{"raw":true}`},
		{json.RawMessage(" [1, 2] "), "[1,2]"},
		{json.RawMessage(`{bad`), "{bad"},
		{json.Number("12.5"), "12.5"},

		// An Error or MarshalJSON method that panics gives a description.
		{wrapErr{}, "<openaiexport.wrapErr: Error method panicked>"},
		{panicky{}, "<openaiexport.panicky: panic: marshal exploded>"},
	}
	var in []any
	for _, tc := range cases {
		in = append(in, tc.in)
	}
	got := exportOutputs(t, in)
	for i, tc := range cases {
		if got[i] != tc.want {
			t.Errorf("output %#v (%T) sent as %#v, want %#v", tc.in, tc.in, got[i], tc.want)
		}
	}
}

// TestFunctionOutputTruncatedUnderRules checks that a function output goes
// through the payload rules as the text sent: a long named string is cut as
// its plain text, not as JSON text in quotes.
func TestFunctionOutputTruncatedUnderRules(t *testing.T) {
	long := myString(strings.Repeat("x", maxFieldBytes+10))
	items := exportOne(t, []Option{WithPayloadRules(true)}, func(ctx context.Context) {
		_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "f", Output: long})
		sp.End()
	})
	out, _ := items[1].(map[string]any)["span_data"].(map[string]any)["output"].(string)
	if !strings.HasPrefix(out, "xxx") || !strings.HasSuffix(out, truncSuffix) || len(out)+2 > maxFieldBytes {
		t.Errorf("output of %d bytes sent as %d bytes ending %q", len(long), len(out), out[max(len(out)-20, 0):])
	}
}

// TestCyclicFunctionOutput exports cyclic outputs, which have no JSON
// encoding and which fmt's %v would follow until the stack overflows: a
// fatal error that no recover catches, so the test runs in a child process.
func TestCyclicFunctionOutput(t *testing.T) {
	if !runInChild(t) {
		return
	}
	m := map[string]any{}
	m["self"] = m
	s := []any{nil}
	s[0] = s
	type node struct{ Next *node }
	n := &node{}
	n.Next = n
	for _, rules := range []bool{false, true} {
		items := exportOne(t, []Option{WithPayloadRules(rules)}, func(ctx context.Context) {
			for _, out := range []any{m, s, n} {
				_, sp := tracing.StartSpan(ctx, &spans.Function{Name: "f", Output: out})
				sp.End()
			}
		})
		// Only the cycle is replaced; a struct, which is not walked, is
		// replaced whole.
		for i, want := range []string{
			`{"self":"<map[string]interface {}: a cycle>"}`,
			`["<[]interface {}: a cycle>"]`,
			"<openaiexport.node: json: unsupported value: encountered a cycle via *openaiexport.node>",
		} {
			if got := items[i+1].(map[string]any)["span_data"].(map[string]any)["output"]; got != want {
				t.Errorf("rules=%v: cyclic output %d sent as %#v, want %q", rules, i, got, want)
			}
		}
	}
}
