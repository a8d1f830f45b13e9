package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// fakeModel is a chat-completions server on the machine itself, speaking
// the API's wire format (JSON and server-sent events) the way OpenAI does.
// It plays a support model in two steps: given the customer's question, it
// asks for both tools; given their results, it answers from them.
type fakeModel struct{}

// chatRequest is the part of a request the fake model reads.
type chatRequest struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	StreamOptions struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

func (fakeModel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		apiError(w, http.StatusNotFound, "invalid_request_error", "Unknown endpoint "+r.URL.Path)
		return
	}
	var req chatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "The request is not a chat completion request.")
		return
	}
	in := 0
	var results []string
	for _, m := range req.Messages {
		in += tokens(string(m.Content)) + 4
		if m.Role == "tool" {
			var s string
			_ = json.Unmarshal(m.Content, &s)
			results = append(results, s)
		}
	}
	if results == nil {
		askForTools(w, req.Model, in)
		return
	}
	answer := answerFrom(results)
	if req.Stream {
		streamAnswer(w, req.Model, answer, in, req.StreamOptions.IncludeUsage)
		return
	}
	writeJSON(w, completion(req.Model, map[string]any{"role": "assistant", "content": answer, "refusal": nil}, "stop", usage(in, tokens(answer))))
}

// askForTools answers the question with calls of both tools.
func askForTools(w http.ResponseWriter, model string, in int) {
	msg := map[string]any{
		"role": "assistant", "content": nil, "refusal": nil,
		"tool_calls": []map[string]any{
			{"id": "call_lookup_1", "type": "function", "function": map[string]string{"name": "lookup_order", "arguments": `{"order_id":"A1"}`}},
			{"id": "call_refund_1", "type": "function", "function": map[string]string{"name": "refund_status", "arguments": `{"order_id":"A1"}`}},
		},
	}
	writeJSON(w, completion(model, msg, "tool_calls", usage(in, 24)))
}

// answerFrom writes the answer from the tool results.
func answerFrom(results []string) string {
	var order struct {
		Status      string `json:"status"`
		DeliveredAt string `json:"delivered_at"`
	}
	answer := "I could not find order A1."
	refund := ""
	for _, r := range results {
		switch {
		case json.Unmarshal([]byte(r), &order) == nil && order.Status != "":
			answer = fmt.Sprintf("Order A1 was %s on %s.", order.Status, order.DeliveredAt)
		case strings.HasPrefix(r, "error: "):
			refund = " I could not check the refund (" + strings.TrimPrefix(r, "error: ") + "); please ask again in a few minutes."
		}
	}
	return answer + refund
}

// streamAnswer streams answer word by word, with the usage in a last chunk
// when the request asks for it, then [DONE].
func streamAnswer(w http.ResponseWriter, model, answer string, in int, withUsage bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": "chatcmpl-fake-2", "object": "chat.completion.chunk", "created": 1767225600, "model": model,
			"system_fingerprint": "fp_fake", "usage": nil,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}},
		}
	}
	send(chunk(map[string]any{"role": "assistant", "content": "", "refusal": nil}, nil))
	words := strings.SplitAfter(answer, " ")
	for _, word := range words {
		send(chunk(map[string]any{"content": word}, nil))
	}
	send(chunk(map[string]any{}, "stop"))
	if withUsage {
		send(map[string]any{
			"id": "chatcmpl-fake-2", "object": "chat.completion.chunk", "created": 1767225600, "model": model,
			"choices": []any{}, "usage": usage(in, len(words)),
		})
	}
	_, _ = io.WriteString(w, "data: [DONE]\n\n") // the client sees a cut stream if this fails
}

// completion returns a chat completion object with one choice.
func completion(model string, msg map[string]any, finish string, u map[string]any) map[string]any {
	msg["annotations"] = []any{}
	return map[string]any{
		"id": "chatcmpl-fake-1", "object": "chat.completion", "created": 1767225600, "model": model,
		"choices":      []any{map[string]any{"index": 0, "message": msg, "logprobs": nil, "finish_reason": finish}},
		"usage":        u,
		"service_tier": "default", "system_fingerprint": "fp_fake",
	}
}

// usage returns a usage object; a fifth of the prompt counts as cached.
func usage(in, out int) map[string]any {
	return map[string]any{
		"prompt_tokens": in, "completion_tokens": out, "total_tokens": in + out,
		"prompt_tokens_details":     map[string]int{"cached_tokens": in / 5, "audio_tokens": 0},
		"completion_tokens_details": map[string]int{"reasoning_tokens": 0, "audio_tokens": 0},
	}
}

// tokens approximates a token count: about four per three words.
func tokens(s string) int { return (len(strings.Fields(s))*4 + 2) / 3 }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}})
}
