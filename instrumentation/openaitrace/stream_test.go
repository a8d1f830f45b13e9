package openaitrace

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"

	"github.com/agenttrace/agenttrace-go/spans"
)

// streamParams asks for a streamed completion with usage in the last chunk.
func streamParams() openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:         "gpt-4.1",
		Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Check orders A1 and A2.")},
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	}
}

// streamEvents is a streamed reply as OpenAI sends it: a role chunk, text
// deltas, two tool calls in pieces, the finish reason, usage in a last
// chunk with no choices, and [DONE].
var streamEvents = []string{
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x1"}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"content":"Checking "},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"content":"both orders."},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"lookup_order","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"id\":"}}]},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"A1\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"lookup_order","arguments":"{\"id\":\"A2\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}`,
	`{"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4.1-2025-04-14","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70,"prompt_tokens_details":{"cached_tokens":32,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":5,"audio_tokens":0}}}`,
}

// streamReply returns the events of a reply: each of data, then [DONE].
func streamReply(data ...string) []string {
	out := make([]string, 0, len(data)+1)
	for _, d := range data {
		out = append(out, sse(d))
	}
	return append(out, sse("[DONE]"))
}

var streamOutput = []spans.Message{{
	Role:    "assistant",
	Content: "Checking both orders.",
	ToolCalls: []spans.ToolCall{
		{ID: "call_a", Type: "function", Name: "lookup_order", Arguments: `{"id":"A1"}`},
		{ID: "call_b", Type: "function", Name: "lookup_order", Arguments: `{"id":"A2"}`},
	},
}}

func TestChatStream(t *testing.T) {
	api := newFakeAPI(t, reply{events: streamReply(streamEvents...)})
	ctx, end := recorded(t)
	stream := api.client().Chat.Completions.NewStreaming(ctx, streamParams())
	var acc openai.ChatCompletionAccumulator
	var seen []string
	for stream.Next() {
		acc.AddChunk(stream.Current())
		seen = append(seen, stream.Current().RawJSON())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
	span := onlySpan(t, end())

	if diff := cmp.Diff(streamEvents, seen); diff != "" {
		t.Errorf("the program got different chunks (-sent +got):\n%s", diff)
	}
	gen := span.Data().(*spans.Generation)
	if diff := cmp.Diff(streamOutput, gen.Output); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	wantUsage := &spans.Usage{Requests: 1, InputTokens: 50, OutputTokens: 20, TotalTokens: 70, CachedInputTokens: 32, ReasoningTokens: 5}
	if diff := cmp.Diff(wantUsage, gen.Usage); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
	if !gen.Stream || gen.FinishReason != "tool_calls" || gen.ResponseID != "chatcmpl-s1" || gen.Model != "gpt-4.1" {
		t.Errorf("stream %v, finish reason %q, id %q, model %q; want true, tool_calls, chatcmpl-s1, gpt-4.1",
			gen.Stream, gen.FinishReason, gen.ResponseID, gen.Model)
	}
	if ft := gen.FirstTokenAt; ft.IsZero() || !ft.After(span.StartTime()) || !ft.Before(span.EndTime()) {
		t.Errorf("first token at %v, want within the span (%v, %v)", ft, span.StartTime(), span.EndTime())
	}
	if diff := cmp.Diff(map[string]any{"include_usage": true}, gen.ModelConfig["stream_options"]); diff != "" {
		t.Errorf("stream_options (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"attempts": 1, "response_model": "gpt-4.1-2025-04-14"}, span.Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}

	// The accumulator's completion converts to the same output.
	hand := Generation(streamParams())
	SetCompletion(hand, &acc.ChatCompletion)
	if diff := cmp.Diff(gen.Output, hand.Output); diff != "" {
		t.Errorf("SetCompletion of the accumulated completion (-middleware +hand):\n%s", diff)
	}
	if diff := cmp.Diff(gen.Usage, hand.Usage); diff != "" {
		t.Errorf("usage of the accumulated completion (-middleware +hand):\n%s", diff)
	}
}

// TestStreamEndsAtDone reads the raw body to [DONE] while the server keeps
// the connection open: the span ends at [DONE], before EOF or Close.
func TestStreamEndsAtDone(t *testing.T) {
	hold := make(chan struct{})
	defer close(hold)
	api := newFakeAPI(t, reply{events: streamReply(streamEvents...), hold: hold})
	ctx, end := recorded(t)
	params := streamParams()
	var res *http.Response
	if err := api.client().Post(ctx, "chat/completions", map[string]any{
		"model": params.Model, "stream": true, "messages": []map[string]string{{"role": "user", "content": "Hi"}},
	}, &res); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(res.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the stream: %v", err)
		}
		if strings.TrimSpace(line) == "data: [DONE]" {
			break
		}
	}
	if _, err := r.ReadString('\n'); err != nil { // the blank line that dispatches the event
		t.Fatal(err)
	}
	rec := end()
	if n := len(rec.Spans()); n != 1 {
		t.Fatalf("%d spans ended at [DONE], want 1", n)
	}
	if gen := rec.Spans()[0].Data().(*spans.Generation); gen.Output[0].Content != "Checking both orders." {
		t.Errorf("output %+v", gen.Output)
	}
	res.Body.Close()
}

// TestStreamClosedEarly closes a stream after its first chunk: the span
// ends at Close with what arrived, marked closed early, with no error. The
// first chunk reaching the program while the server holds back the rest
// shows the middleware does not delay the stream.
func TestStreamClosedEarly(t *testing.T) {
	gate := make(chan struct{})
	defer close(gate)
	api := newFakeAPI(t, reply{events: streamReply(streamEvents[1:]...), gate: gate})
	ctx, end := recorded(t)
	stream := api.client().Chat.Completions.NewStreaming(ctx, streamParams())
	if !stream.Next() {
		t.Fatalf("no first chunk while the server holds back the rest: %v", stream.Err())
	}
	if err := stream.Close(); err != nil {
		t.Fatal(err)
	}
	span := onlySpan(t, end())
	gen := span.Data().(*spans.Generation)
	if diff := cmp.Diff([]spans.Message{{Role: "assistant", Content: "Checking "}}, gen.Output); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if gen.FirstTokenAt.IsZero() {
		t.Error("no first token time")
	}
	if got := span.Metadata()["stream_closed_early"]; got != true {
		t.Errorf("stream_closed_early = %v, want true", got)
	}
	if span.Error() != nil {
		t.Errorf("error %v, want none", span.Error())
	}
}
