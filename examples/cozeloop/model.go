package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
)

// completion is one model reply with what the generation span records.
type completion struct {
	Message      spans.Message
	Usage        *spans.Usage
	ID           string // the vendor's response id, if any
	FinishReason string
}

// chatModel answers a list of chat messages.
type chatModel interface {
	// Name is the model name recorded on generation spans.
	Name() string
	// Chat returns the model's reply to msgs.
	Chat(ctx context.Context, msgs []spans.Message) (completion, error)
}

// fakeAnswer is what the offline model says to every question.
const fakeAnswer = "Retrieval-Augmented Generation (RAG) pairs a language model with a retriever " +
	"that fetches passages relevant to the question from an external knowledge source and adds them to the prompt. " +
	"The model then writes its answer grounded in those passages, which keeps it current and reduces hallucination without retraining."

// fakeModel is the deterministic offline model used when no OpenAI-compatible
// endpoint is configured.
type fakeModel struct{}

func (fakeModel) Name() string { return "fake-chat-model" }

func (fakeModel) Chat(_ context.Context, msgs []spans.Message) (completion, error) {
	in := 0
	for _, m := range msgs {
		in += countTokens(m.Content)
	}
	out := countTokens(fakeAnswer)
	return completion{
		Message:      spans.Message{Role: "assistant", Content: fakeAnswer},
		Usage:        &spans.Usage{Requests: 1, InputTokens: int64(in), OutputTokens: int64(out), TotalTokens: int64(in + out)},
		ID:           "fake-completion-1",
		FinishReason: "stop",
	}, nil
}

// countTokens approximates a token count: about four per three words.
func countTokens(s string) int { return (len(strings.Fields(s))*4 + 2) / 3 }

// openAIChat calls an OpenAI-compatible chat-completions endpoint (OpenAI,
// Azure-style gateways, Doubao/Ark, DeepSeek, Ollama, vLLM, ...) over plain
// net/http: POST {baseURL}/chat/completions.
type openAIChat struct {
	baseURL string // e.g. https://api.openai.com/v1
	apiKey  string
	model   string
	client  *http.Client
}

func newOpenAIChat(baseURL, apiKey, model string) *openAIChat {
	return &openAIChat{
		baseURL: strings.TrimRight(baseURL, "/"),
		apiKey:  apiKey,
		model:   model,
		client:  &http.Client{Timeout: 60 * time.Second},
	}
}

func (c *openAIChat) Name() string { return c.model }

// chatRequest and chatResponse are the parts of the chat-completions wire
// format this example uses.
type chatRequest struct {
	Model       string          `json:"model"`
	Messages    []spans.Message `json:"messages"`
	Temperature float64         `json:"temperature"`
}

type chatResponse struct {
	ID      string `json:"id"`
	Model   string `json:"model"`
	Choices []struct {
		Index        int           `json:"index"`
		Message      spans.Message `json:"message"`
		FinishReason string        `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int64 `json:"prompt_tokens"`
		CompletionTokens int64 `json:"completion_tokens"`
		TotalTokens      int64 `json:"total_tokens"`
	} `json:"usage"`
}

// errorBodyLimit caps how much of an error reply is quoted in an error.
const errorBodyLimit = 512

func (c *openAIChat) Chat(ctx context.Context, msgs []spans.Message) (completion, error) {
	body, err := json.Marshal(chatRequest{Model: c.model, Messages: msgs, Temperature: 0})
	if err != nil {
		return completion{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return completion{}, fmt.Errorf("chat completions: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	resp, err := c.client.Do(req)
	if err != nil {
		// *url.Error names the URL, never the headers, so the key stays out.
		return completion{}, fmt.Errorf("chat completions: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return completion{}, fmt.Errorf("chat completions: reading reply: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		snippet := raw
		if len(snippet) > errorBodyLimit {
			snippet = snippet[:errorBodyLimit]
		}
		return completion{}, fmt.Errorf("chat completions: %s: %s", resp.Status, bytes.TrimSpace(snippet))
	}
	var r chatResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return completion{}, fmt.Errorf("chat completions: decoding reply: %w", err)
	}
	if len(r.Choices) == 0 {
		return completion{}, errors.New("chat completions: reply has no choices")
	}
	out := completion{Message: r.Choices[0].Message, ID: r.ID, FinishReason: r.Choices[0].FinishReason}
	if out.Message.Role == "" {
		out.Message.Role = "assistant"
	}
	if u := r.Usage; u != nil {
		out.Usage = &spans.Usage{Requests: 1, InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
	}
	return out, nil
}
