package otlpexport

import (
	"context"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestSensitiveDataOff checks that with the library's include-sensitive-data
// switch off, no content reaches the wire in any attribute family.
func TestSensitiveDataOff(t *testing.T) {
	const secret = "SECRET-CONTENT"
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL+"/v1/traces"), WithMessageAttributes(true))
	if err != nil {
		t.Fatal(err)
	}
	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)), tracing.WithDisabled(false),
		tracing.WithSensitiveData(false))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	for _, d := range []spans.Data{
		&spans.Generation{Model: "m", Input: []spans.Message{{Role: "user", Content: secret}},
			Output: []spans.Message{{Role: "assistant", Content: secret, ToolCalls: []spans.ToolCall{{ID: "c", Name: "f", Arguments: secret}}}},
			Usage:  &spans.Usage{InputTokens: 1}},
		&spans.Function{Name: "f", Input: `{"q":"` + secret + `"}`, Output: secret},
		&spans.Transcription{Model: "w", Input: []byte(secret), Output: secret},
		&spans.Speech{Model: "t", Input: secret, Output: []byte(secret)},
		&spans.SpeechGroup{Input: secret},
		&spans.Response{Model: "m", Input: secret},
	} {
		_, sp := tracing.StartSpan(ctx, d)
		sp.End()
	}
	tr.End()
	tp.Shutdown(context.Background())
	got := s.spans()
	if len(got) != 7 {
		t.Fatalf("spans = %d", len(got))
	}
	contentKeys := []string{"input.value", "output.value", "cozeloop.input", "cozeloop.output",
		"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "llm.input_messages", "llm.output_messages"}
	for _, ps := range got {
		for _, kv := range ps.GetAttributes() {
			if strings.Contains(kv.GetValue().GetStringValue(), secret) {
				t.Errorf("%s: %s carries content", ps.GetName(), kv.GetKey())
			}
			for _, k := range contentKeys {
				if strings.HasPrefix(kv.GetKey(), k) {
					t.Errorf("%s: content attribute %s present", ps.GetName(), kv.GetKey())
				}
			}
		}
	}
	// The rest of the model span is still there.
	if a := attrMap(got[0].GetAttributes()); a["gen_ai.request.model"] != "m" || a["gen_ai.usage.input_tokens"] != int64(1) {
		t.Errorf("model span lost non-content attributes: %v", a)
	}
}

// TestSensitiveErrorsRedacted checks that with sensitive data off the
// errors of tool and model calls (which tend to quote their input: a card
// number in a failed payment) reach neither Coze Loop nor another backend:
// their message, type and data become a fixed notice, the Python SDK's for
// tools. Other spans' errors are kept; with sensitive data on, nothing is
// replaced.
func TestSensitiveErrorsRedacted(t *testing.T) {
	const card = "4111-1111-1111-1111"
	failure := &tracing.SpanError{Message: "charge " + card + " declined", Data: map[string]any{"type": "declined " + card, "card": card}}
	for _, sensitive := range []bool{false, true} {
		for _, coze := range []bool{false, true} {
			s := newSink(t, nil)
			opts := []Option{WithEndpointURL(s.URL + "/v1/traces")}
			if coze {
				opts = []Option{WithCozeLoop("1", "pat_x"), WithCozeLoopBaseURL(s.URL)}
			}
			exp, err := New(opts...)
			if err != nil {
				t.Fatal(err)
			}
			tp := tracing.NewProvider(tracing.WithProcessor(processors.NewSync(exp)), tracing.WithDisabled(false),
				tracing.WithSensitiveData(sensitive))
			ctx, tr := tp.StartTrace(context.Background(), "w")
			for _, d := range []spans.Data{&spans.Function{Name: "charge"}, &spans.Generation{Model: "m"}, &spans.Response{Model: "m"}, &spans.Agent{Name: "a"}} {
				_, sp := tracing.StartSpan(ctx, d)
				sp.SetError(failure)
				sp.End()
			}
			tr.End()
			tp.Shutdown(context.Background())
			got := s.spans()
			if len(got) != 5 {
				t.Fatalf("spans = %d", len(got))
			}
			wantMsg := []string{"Tool execution failed. Error details are redacted.", "Model call failed. Error details are redacted.",
				"Model call failed. Error details are redacted.", failure.Message}
			for i, ps := range got[:4] {
				if len(ps.GetEvents()) != 1 {
					t.Fatalf("%s: %d events", ps.GetName(), len(ps.GetEvents()))
				}
				ev := attrMap(ps.GetEvents()[0].GetAttributes())
				want := wantMsg[i]
				if sensitive {
					want = failure.Message
				}
				if ev["exception.message"] != want || ps.GetStatus().GetMessage() != want {
					t.Errorf("sensitive %v, coze %v, %s: exception.message %q, status %q, want %q", sensitive, coze, ps.GetName(),
						ev["exception.message"], ps.GetStatus().GetMessage(), want)
				}
				leaks := strings.Contains(ps.GetStatus().GetMessage(), card)
				for _, kv := range append(ps.GetAttributes(), ps.GetEvents()[0].GetAttributes()...) {
					leaks = leaks || strings.Contains(kv.GetValue().GetStringValue(), card)
				}
				if wantLeak := sensitive || i == 3; leaks != wantLeak {
					t.Errorf("sensitive %v, coze %v, %s: card number sent %v, want %v", sensitive, coze, ps.GetName(), leaks, wantLeak)
				}
				if !readCoze(ps).Failed {
					t.Errorf("%s: not failed", ps.GetName())
				}
			}
		}
	}
}
