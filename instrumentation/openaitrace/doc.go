// Package openaitrace records the model calls of programs built on
// openai-go (github.com/openai/openai-go/v3) as agenttrace spans, with no
// code at the call sites: add the middleware to the client, and every call
// made with a context holding a recorded trace becomes a span, a child of
// the context's current span.
//
//	client := openai.NewClient(option.WithMiddleware(openaitrace.Middleware()))
//
//	ctx, tr := tracing.StartTrace(ctx, "Support")
//	defer tr.End()
//	completion, err := client.Chat.Completions.New(ctx, params) // a generation span
//
// # What is recorded
//
// Chat Completions calls (POST .../chat/completions) become a
// [spans.Generation]: the model, the input messages of every role (text and
// multi-part content: text, images, audio, files; assistant tool calls and
// tool results), the tools offered, the model config (every request field
// but the messages, tools, model and predicted output: temperature, top_p,
// max tokens, tool choice, response format, seed, ...; plus base_url), the
// output message of each choice with its tool calls, the usage with cached
// and reasoning tokens, the first choice's finish reason and the response
// id. The span's metadata holds "attempts" and, when the response names
// another model than the request ("gpt-4.1" answered by
// "gpt-4.1-2025-04-14"), "response_model".
//
// Responses API calls (POST .../responses) become a [spans.Response]: the
// response id, the input (a string, or the list of input items as sent, with
// the instructions as a leading system message), the output items, the
// usage, the model and the provider. A response whose status is "failed"
// records its error.
//
// Embeddings calls (POST .../embeddings) become a [spans.Embedding]: the
// model, the texts, the number and length of the vectors, the usage.
//
// Other requests (files, images, models, ...) pass through untouched.
//
// # Streaming
//
// A streamed call (stream: true) is one span, ended when the stream ends:
// at data: [DONE] (openai-go stops reading there, without reading the body
// to its end), at a Responses stream's terminal event, at the end of the
// body, or when the program closes the stream first (the span then records
// what arrived and the metadata "stream_closed_early"). Its output is the
// message assembled from the deltas (text, reasoning, refusal, tool calls
// with their arguments), Stream is set and FirstTokenAt is when the first
// delta with content arrived. Usage comes from the final chunk, which
// Chat Completions sends only when the request sets
// stream_options.include_usage:
//
//	StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
//
// The middleware never changes the request: it does not set that option.
//
// # Errors and retries
//
// An error response records the HTTP status, the API's error type, code,
// parameter and message; a failed connection records the error. Neither
// ever shows the API key: the request's credentials, its URL's query and
// user info, and anything shaped like an OpenAI key are removed.
//
// openai-go retries 408, 409, 429 and 5xx answers and network errors, and
// its middleware runs once per attempt. The attempts of one call are one
// span, with their number in the metadata "attempts" and the last failure
// as its error when all fail. Attempts are matched by their parent span and
// request body; the span of a call whose last attempt fails with a network
// error ends at once when that attempt is the client's last by
// [DefaultMaxRetries] (or [WithMaxRetries]), and otherwise when its retry
// is overdue, or when the request's context is done, whichever comes first.
//
// # Providers
//
// The provider recorded is named from the base URL's host where it is
// recognisable: "openai", "azure.ai.openai", "deepseek", "volcengine"
// (Volcengine Ark), "byteplus", "moonshot", "dashscope" (Qwen on Alibaba
// Cloud), "zhipu", "baidu.qianfan", "mistral_ai", "groq", "x_ai",
// "gcp.gemini", "aws.bedrock", "openrouter", ..., and local servers on their
// default ports: "ollama" (11434), "vllm" (8000), "lm_studio" (1234),
// "llama.cpp" (8080). Any other host is [ProviderOpenAI]. [WithProvider]
// names it instead. For Azure OpenAI, whose requests name no model, the
// model recorded is the deployment in the URL.
//
// # Sensitive data
//
// Messages, tool arguments and results, outputs and embedded texts are
// content. When the provider drops sensitive data
// (OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA=false or
// tracing.WithSensitiveData(false)), the middleware does not even decode
// them, and the provider would drop them anyway when the span ends, before
// any exporter sees it. Models, tools offered, model config, usage and
// errors stay.
//
// # What the program gets
//
// The response the program gets is the one the server sent: the same
// status, headers and body bytes, each read handed over as it arrives (a
// stream is never delayed); only its Body is wrapped, to watch the bytes go
// by. Tracing never fails a call: a failure of the middleware's own (a
// panic included) leaves the request and response alone.
//
// # Hand-written loops
//
// [Generation] and [SetCompletion], [Response] and [SetResponse],
// [Embedding] and [SetEmbeddings] give the same span data from openai-go's
// params and responses, for calls recorded by hand; [Messages], [Message],
// [Tools], [Usage] and [ResponseUsage] convert the parts.
//
// # Performance considerations
//
// With no recorded trace in the request's context, the middleware costs a
// context lookup and allocates nothing (a test pins it). A recorded call
// costs the decoding of its request and response JSON, on the calling
// goroutine, once per call; the package's benchmarks measure it.
package openaitrace
