package otlpexport

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// childScenarios are exports that used to kill the process (a fatal stack
// overflow that recover cannot stop); TestCyclicValuesDoNotCrash runs each in
// a child process.
var childScenarios = map[string]func() spans.Data{
	"tool output": func() spans.Data {
		m := map[string]any{"id": 1}
		m["self"] = m
		return &spans.Function{Name: "f", Input: "{}", Output: m}
	},
	"stop value": func() spans.Data {
		s := []any{"x"}
		s[0] = s
		return &spans.Generation{Model: "m", ModelConfig: map[string]any{"stop": []any{"END", s}}}
	},
}

const childEnv = "OTLPEXPORT_CRASH_SCENARIO"

// TestCyclicValuesDoNotCrash checks that cyclic values, which encoding/json
// refuses, are never handed to fmt (whose recursion overflows the stack).
func TestCyclicValuesDoNotCrash(t *testing.T) {
	if name := os.Getenv(childEnv); name != "" {
		got, err := sendItems(t, recordItems(childScenarios[name](), nil, nil))
		if err != nil || len(got) != 2 {
			t.Fatalf("Export = %v; received %d of 2 spans", err, len(got))
		}
		a := childAttrs(t, got)
		fmt.Printf("output.value=%v stop=%v\n", a["output.value"], a["gen_ai.request.stop_sequences"])
		return
	}
	for name := range childScenarios {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestCyclicValuesDoNotCrash$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), childEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if err != nil {
				lines := strings.SplitN(string(out), "\n", 4)
				t.Fatalf("child process failed: %v\n%s", err, strings.Join(lines[:min(3, len(lines))], "\n"))
			}
			if !strings.Contains(string(out), "<unencodable") {
				t.Errorf("no marker for the cycle in the child's output:\n%s", out)
			}
		})
	}
}

// TestNaNModelConfigKeepsInvocationParameters checks that a NaN in the model
// config is sent as the string "NaN" both in llm.invocation_parameters (which
// keeps its other keys) and as gen_ai.request.temperature.
func TestNaNModelConfigKeepsInvocationParameters(t *testing.T) {
	items := recordItems(&spans.Generation{Model: "m", ModelConfig: map[string]any{
		"temperature": math.NaN(), "top_p": math.Inf(-1), "max_tokens": 100}}, nil, nil)
	got, err := sendItems(t, items)
	if err != nil {
		t.Fatal(err)
	}
	a := childAttrs(t, got)
	if want := `{"max_tokens":100,"temperature":"NaN","top_p":"-Inf"}`; a["llm.invocation_parameters"] != want {
		t.Errorf("llm.invocation_parameters = %v, want %s", a["llm.invocation_parameters"], want)
	}
	if a["gen_ai.request.temperature"] != "NaN" || a["gen_ai.request.top_p"] != "-Inf" || a["gen_ai.request.max_tokens"] != int64(100) {
		t.Errorf("temperature = %#v, top_p = %#v, max_tokens = %#v", a["gen_ai.request.temperature"], a["gen_ai.request.top_p"], a["gen_ai.request.max_tokens"])
	}
}

type withNaN struct{ Score float64 }

// TestBadMetadataValueKeepsMetadata checks that one value encoding/json
// refuses (±Inf, NaN, a channel, a func, a complex, a cycle, a struct holding
// a NaN) costs only itself: the "metadata" attribute stays a valid JSON
// object with every other key, the bad value replaced by a marker.
func TestBadMetadataValueKeepsMetadata(t *testing.T) {
	cyc := map[string]any{}
	cyc["self"] = cyc
	for name, tt := range map[string]struct {
		bad    any
		marker string
	}{
		"inf":     {math.Inf(1), `"+Inf"`},
		"nan":     {math.NaN(), `"NaN"`},
		"chan":    {make(chan int), `"<unencodable chan int>"`},
		"func":    {func() {}, `"<unencodable func()>"`},
		"complex": {complex(1, 2), `"<unencodable complex128>"`},
		"cycle":   {cyc, `{"self":"<unencodable map[string]interface {}: cycle>"}`},
		"nested":  {[]any{1, math.NaN()}, `[1,"NaN"]`},
		"struct":  {withNaN{math.NaN()}, `"<otlpexport.withNaN: json: unsupported value: NaN>"`},
	} {
		t.Run(name, func(t *testing.T) {
			md := map[string]any{"a_bad": tt.bad}
			for i := range 20 {
				md["k"+string(rune('a'+i))] = i
			}
			got, err := sendItems(t, recordItems(&spans.Agent{Name: "x"}, md, nil))
			if err != nil {
				t.Fatal(err)
			}
			a := childAttrs(t, got)
			s, _ := a["metadata"].(string)
			var obj map[string]json.RawMessage
			if err := json.Unmarshal([]byte(s), &obj); err != nil {
				t.Fatalf("metadata = %q: %v", s, err)
			}
			if len(obj) != 21 || string(obj["a_bad"]) != tt.marker || string(obj["kt"]) != "19" {
				t.Errorf("metadata = %s; want 21 keys and a_bad = %s", s, tt.marker)
			}
			if _, ok := a["a_bad"]; !ok {
				t.Errorf("attribute a_bad missing: %v", a)
			}
		})
	}
}

// TestCustomDataNaNKeepsOutput checks a custom span's data with a NaN.
func TestCustomDataNaNKeepsOutput(t *testing.T) {
	got, err := sendItems(t, recordItems(&spans.Custom{Name: "score", Data: map[string]any{"score": math.NaN(), "label": "ok"}}, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	a := childAttrs(t, got)
	if want := `{"label":"ok","score":"NaN"}`; a["output.value"] != want || a["cozeloop.output"] != want || a["score"] != "NaN" {
		t.Errorf("output.value = %v, cozeloop.output = %v, score = %v; want %s", a["output.value"], a["cozeloop.output"], a["score"], want)
	}
}

// TestErrorDataNaNKept checks SpanError.Data with an infinity.
func TestErrorDataNaNKept(t *testing.T) {
	se := &tracing.SpanError{Message: "timeout", Data: map[string]any{"attempts": 3, "latency_ms": math.Inf(1)}}
	got, err := sendItems(t, recordItems(&spans.Function{Name: "f", Input: "{}"}, nil, se))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ps := range got {
		for _, ev := range ps.GetEvents() {
			n++
			if d := attrMap(ev.GetAttributes())["agenttrace.error.data"]; d != `{"attempts":3,"latency_ms":"+Inf"}` {
				t.Errorf("agenttrace.error.data = %v", d)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d exception events, want 1", n)
	}
}

// TestTypedNilMethodsInMetadata checks typed nil pointers whose String (or
// Error) method would panic: the span is delivered with "<nil>".
func TestTypedNilMethodsInMetadata(t *testing.T) {
	var u *url.URL
	var tm *time.Time
	var b *big.Int // its String handles nil itself
	var e *textErr
	got, err := sendItems(t, recordItems(&spans.Agent{Name: "x"}, map[string]any{"callback": u, "at": tm, "n": b, "err": e}, nil))
	if err != nil || len(got) != 2 {
		t.Fatalf("Export = %v; received %d of 2 spans", err, len(got))
	}
	a := childAttrs(t, got)
	if a["callback"] != "<nil>" || a["at"] != "<nil>" || a["n"] != "<nil>" || a["err"] != "<nil>" {
		t.Errorf("callback = %v, at = %v, n = %v, err = %v", a["callback"], a["at"], a["n"], a["err"])
	}
	if want := `{"at":null,"callback":null,"err":"<nil>","n":null}`; a["metadata"] != want {
		t.Errorf("metadata = %v, want %s", a["metadata"], want)
	}
}

// TestErrorInMetadataUsesText checks that error values (not Stringers, and
// encoded as {} by encoding/json) are sent as their text, nested ones too.
func TestErrorInMetadataUsesText(t *testing.T) {
	md := map[string]any{"last_err": context.DeadlineExceeded, "cause": &textErr{"db down"},
		"history": []any{&textErr{"first"}, map[string]any{"err": &textErr{"second"}}}}
	got, err := sendItems(t, recordItems(&spans.Agent{Name: "x"}, md, nil))
	if err != nil {
		t.Fatal(err)
	}
	a := childAttrs(t, got)
	if a["cause"] != "db down" || a["last_err"] != "context deadline exceeded" {
		t.Errorf("cause = %v, last_err = %v", a["cause"], a["last_err"])
	}
	want := `{"cause":"db down","history":["first",{"err":"second"}],"last_err":"context deadline exceeded"}`
	if a["metadata"] != want {
		t.Errorf("metadata = %v, want %s", a["metadata"], want)
	}
}
