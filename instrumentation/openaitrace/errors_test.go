package openaitrace

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// shortParams is a small request.
func shortParams(text string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:    "gpt-4.1-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(text)},
	}
}

const okReply = `{"id":"chatcmpl-ok","object":"chat.completion","created":1,"model":"gpt-4.1-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Done."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}`

func TestAPIError(t *testing.T) {
	api := newFakeAPI(t, reply{status: 400, body: `{"error":{"message":"Invalid value for 'temperature': expected a number.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}`})
	ctx, end := recorded(t)
	_, err := api.client().Chat.Completions.New(ctx, shortParams("hi"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Fatalf("the program got %v, want the API's 400", err)
	}
	span := onlySpan(t, end())
	want := &tracing.SpanError{
		Message: "400 Bad Request: Invalid value for 'temperature': expected a number.",
		Data:    map[string]any{"status_code": 400, "type": "invalid_request_error", "code": "invalid_value", "param": "temperature"},
	}
	if diff := cmp.Diff(want, span.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if got := span.Metadata()["attempts"]; got != 1 {
		t.Errorf("attempts = %v, want 1", got)
	}
	if gen := span.Data().(*spans.Generation); gen.Input[0].Content != "hi" || gen.Output != nil {
		t.Errorf("input %+v output %+v, want the request's input and no output", gen.Input, gen.Output)
	}
}

// TestAPIErrorNeverShowsTheKey answers with the key in the error message,
// whole and masked as OpenAI does.
func TestAPIErrorNeverShowsTheKey(t *testing.T) {
	masked := testKey[:7] + strings.Repeat("*", 20) + testKey[len(testKey)-4:]
	api := newFakeAPI(t, reply{status: 401, body: `{"error":{"message":"Incorrect API key provided: ` + masked +
		`. The key ` + testKey + ` is not valid.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`})
	ctx, end := recorded(t)
	if _, err := api.client().Chat.Completions.New(ctx, shortParams("hi")); err == nil {
		t.Fatal("no error")
	}
	se := onlySpan(t, end()).Error()
	text := fmt.Sprint(se.Message, se.Data)
	for _, secret := range []string{testKey, testKey[3:], testKey[len(testKey)-12:], masked} {
		if strings.Contains(text, secret) {
			t.Errorf("the span error shows %q: %s", secret, text)
		}
	}
	if !strings.HasPrefix(se.Message, "401 Unauthorized: Incorrect API key provided: ") || se.Data["code"] != "invalid_api_key" {
		t.Errorf("error %q %v, want the status, the message and the code", se.Message, se.Data)
	}
}

// TestVendorErrorShapes reads the error bodies of compatible vendors: a
// flat {"code","message"} and a string error.
func TestVendorErrorShapes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       *tracing.SpanError
	}{
		{"flat", `{"code":"InvalidParameter","message":"Model not exist.","request_id":"r1"}`,
			&tracing.SpanError{Message: "404 Not Found: Model not exist.", Data: map[string]any{"status_code": 404, "code": "InvalidParameter"}}},
		{"string", `{"error":"model not found"}`,
			&tracing.SpanError{Message: "404 Not Found: model not found", Data: map[string]any{"status_code": 404}}},
		{"not JSON", `<html>Not Found</html>`,
			&tracing.SpanError{Message: "404 Not Found", Data: map[string]any{"status_code": 404}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{status: 404, body: tc.body})
			ctx, end := recorded(t)
			if _, err := api.client().Chat.Completions.New(ctx, shortParams("hi")); err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tc.want, onlySpan(t, end()).Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNotACompletion answers 200 with a body that is not a completion: the
// client fails, and so does the span.
func TestNotACompletion(t *testing.T) {
	api := newFakeAPI(t, reply{body: `<html>gateway login</html>`})
	ctx, end := recorded(t)
	if _, err := api.client().Chat.Completions.New(ctx, shortParams("hi")); err == nil {
		t.Fatal("no error")
	}
	se := onlySpan(t, end()).Error()
	if se == nil || !strings.Contains(se.Message, "not a chat completion") {
		t.Errorf("error %v, want one saying the body is not a chat completion", se)
	}
}

// TestStreamCut drops the connection mid-stream.
func TestStreamCut(t *testing.T) {
	api := newFakeAPI(t, reply{events: []string{sse(streamEvents[0]), sse(streamEvents[1])}, cut: true})
	ctx, end := recorded(t)
	stream := api.client().Chat.Completions.NewStreaming(ctx, streamParams())
	for stream.Next() {
	}
	if stream.Err() == nil {
		t.Fatal("the program saw no error")
	}
	stream.Close()
	span := onlySpan(t, end())
	if se := span.Error(); se == nil || !strings.HasPrefix(se.Message, "reading the response: ") {
		t.Errorf("error %v, want a read error", se)
	}
	if gen := span.Data().(*spans.Generation); len(gen.Output) != 1 || gen.Output[0].Content != "Checking " {
		t.Errorf("output %+v, want what arrived", gen.Output)
	}
}

// TestStreamErrorEvent sends an error event mid-stream, as OpenAI does.
func TestStreamErrorEvent(t *testing.T) {
	api := newFakeAPI(t, reply{events: []string{
		sse(streamEvents[1]),
		sse(`{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}`),
	}})
	ctx, end := recorded(t)
	stream := api.client().Chat.Completions.NewStreaming(ctx, streamParams())
	for stream.Next() {
	}
	if stream.Err() == nil {
		t.Fatal("the program saw no error")
	}
	want := &tracing.SpanError{
		Message: "stream error: The server had an error while processing your request.",
		Data:    map[string]any{"type": "server_error"},
	}
	if diff := cmp.Diff(want, onlySpan(t, end()).Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}
