package anthropictrace_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// streamOutput is testdata/stream_tool_use.sse's message.
var streamOutput = spans.Message{
	Role:             "assistant",
	Content:          "Okay, let's check the weather for San Francisco, CA:",
	ReasoningContent: "The user wants the weather in San Francisco.",
	ToolCalls: []spans.ToolCall{
		{ID: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", Type: "function", Name: "get_weather", Arguments: `{"location":"San Francisco, CA","unit":"fahrenheit"}`},
	},
}

// readStream reads a stream as a program does, accumulating the message,
// until it ends or until stop returns true for an event; it leaves the
// stream open.
func readStream(t *testing.T, s interface {
	Next() bool
	Current() anthropic.MessageStreamEventUnion
}, stop func(anthropic.MessageStreamEventUnion) bool) anthropic.Message {
	t.Helper()
	var acc anthropic.Message
	for s.Next() {
		ev := s.Current()
		if err := acc.Accumulate(ev); err != nil {
			t.Fatal(err)
		}
		if stop != nil && stop(ev) {
			break
		}
	}
	return acc
}

func TestStreamAssembledAndEndedAtMessageStop(t *testing.T) {
	// The server keeps the connection open after message_stop: the span
	// must end at message_stop, not when the body ends.
	api := newFakeAPI(t, reply{file: "stream_tool_use.sse", hold: true})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()

	var acc anthropic.Message
	inAgent(tp, func(ctx context.Context) {
		stream := client.Messages.NewStreaming(ctx, weatherParams())
		acc = readStream(t, stream, func(ev anthropic.MessageStreamEventUnion) bool { return ev.Type == "message_stop" })
		if n := len(generations(rec)); n != 1 {
			t.Errorf("%d generation spans ended at message_stop, want 1", n)
		}
		if err := stream.Close(); err != nil {
			t.Fatal(err)
		}
	})

	if diff := cmp.Diff(agentTree("claude-sonnet-4-5-20250929", ""), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	span, gen := onlyGeneration(t, rec)
	want := &spans.Generation{
		Input:  weatherInput,
		Output: []spans.Message{streamOutput},
		Tools:  weatherTools,
		Model:  "claude-sonnet-4-5-20250929",
		ModelConfig: map[string]any{
			"max_tokens": int64(1024), "stop_sequences": []string{"END"}, "tool_choice": "auto",
			"thinking": "enabled", "thinking_budget_tokens": int64(2048), "base_url": api.srv.URL,
		},
		Usage:        &spans.Usage{InputTokens: 472 + 2048, OutputTokens: 89, CachedInputTokens: 2048},
		Provider:     "anthropic",
		FinishReason: "tool_use",
		ResponseID:   "msg_014p7gG3wDgGV9EUtLvnow3U",
		Stream:       true,
	}
	if diff := cmp.Diff(want, gen, cmpopts.IgnoreFields(spans.Generation{}, "FirstTokenAt")); diff != "" {
		t.Errorf("generation (-want +got):\n%s", diff)
	}
	if !gen.FirstTokenAt.After(span.StartTime()) || !gen.FirstTokenAt.Before(span.EndTime()) {
		t.Errorf("first token at %v, want between the span's start %v and end %v", gen.FirstTokenAt, span.StartTime(), span.EndTime())
	}
	// What the program assembled is the stream's, untouched.
	if acc.StopReason != "tool_use" || acc.Usage.OutputTokens != 89 || string(acc.Content[2].Input) != `{"location": "San Francisco, CA", "unit": "fahrenheit"}` {
		t.Errorf("the program assembled %s", acc.RawJSON())
	}
	assertNoSecret(t, rec)
}

func TestStreamUnchangedForTheProgram(t *testing.T) {
	read := func(mw []anthropictrace.Option) string {
		api := newFakeAPI(t, reply{file: "stream_tool_use.sse"})
		client := api.client(mw)
		tp, _ := tracingtest.NewProvider()
		var raw string
		inAgent(tp, func(ctx context.Context) {
			stream := client.Messages.NewStreaming(ctx, weatherParams())
			defer stream.Close()
			acc := readStream(t, stream, nil)
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			raw = acc.RawJSON()
		})
		return raw
	}
	if bare, got := read(nil), read(traced); got != bare {
		t.Errorf("the program assembled\n%s\nwant\n%s", got, bare)
	}
}

func TestStreamClosedEarly(t *testing.T) {
	// message_start, the thinking block's start, a ping, one thinking delta;
	// then the server waits and the program closes the stream.
	api := newFakeAPI(t, reply{file: "stream_tool_use.sse", cut: 4, hold: true})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		stream := client.Messages.NewStreaming(ctx, weatherParams())
		readStream(t, stream, func(ev anthropic.MessageStreamEventUnion) bool { return ev.Type == "content_block_delta" })
		if err := stream.Close(); err != nil {
			t.Fatal(err)
		}
	})
	span, gen := onlyGeneration(t, rec)
	if span.Error() != nil {
		t.Errorf("error %v, want none: the program chose to stop", span.Error())
	}
	want := []spans.Message{{Role: "assistant", ReasoningContent: "The user wants the weather "}}
	if diff := cmp.Diff(want, gen.Output); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if !gen.Stream || gen.FirstTokenAt.IsZero() || gen.FinishReason != "" || gen.Usage.InputTokens != 2520 {
		t.Errorf("stream %v, first token %v, finish reason %q, usage %+v", gen.Stream, gen.FirstTokenAt, gen.FinishReason, gen.Usage)
	}
}

func TestStreamErrorEvent(t *testing.T) {
	api := newFakeAPI(t, reply{file: "stream_overloaded.sse"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		stream := client.Messages.NewStreaming(ctx, weatherParams())
		defer stream.Close()
		readStream(t, stream, nil)
		var apiErr *anthropic.Error
		if !errors.As(stream.Err(), &apiErr) {
			t.Errorf("the program got %v, want the API's error", stream.Err())
		}
	})
	if diff := cmp.Diff(agentTree("claude-sonnet-4-5-20250929", "overloaded_error: Overloaded"), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	span, gen := onlyGeneration(t, rec)
	want := &tracing.SpanError{Message: "overloaded_error: Overloaded", Data: map[string]any{"type": "overloaded_error", "message": "Overloaded"}}
	if diff := cmp.Diff(want, span.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]spans.Message{{Role: "assistant", Content: "Hello"}}, gen.Output); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestStreamEndsWithoutMessageStop(t *testing.T) {
	api := newFakeAPI(t, reply{file: "stream_tool_use.sse", cut: 9})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		stream := client.Messages.NewStreaming(ctx, weatherParams())
		defer stream.Close()
		readStream(t, stream, nil)
	})
	span, gen := onlyGeneration(t, rec)
	if e := span.Error(); e == nil || e.Message != "stream ended before message_stop" {
		t.Errorf("error %v, want the stream cut short", e)
	}
	if gen.Output[0].Content != "Okay, let's check " {
		t.Errorf("output %+v, want the text read before the end", gen.Output)
	}
}

func TestStreamBrokenConnection(t *testing.T) {
	api := newFakeAPI(t, reply{file: "stream_tool_use.sse", cut: 5, abort: true})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	var progErr error
	inAgent(tp, func(ctx context.Context) {
		stream := client.Messages.NewStreaming(ctx, weatherParams())
		defer stream.Close()
		readStream(t, stream, nil)
		progErr = stream.Err()
	})
	span, _ := onlyGeneration(t, rec)
	if progErr == nil {
		t.Fatal("the program saw no error; the test server did not break the connection")
	}
	if e := span.Error(); e == nil || !strings.Contains(e.Message, "unexpected EOF") {
		t.Errorf("error %v, want the read error (the program got %v)", e, progErr)
	}
}
