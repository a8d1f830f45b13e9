// Package anthropictrace records the model calls of anthropic-sdk-go
// (github.com/anthropics/anthropic-sdk-go/v2) as agenttrace generation
// spans, through the client's request middleware:
//
//	client := anthropic.NewClient(option.WithMiddleware(anthropictrace.Middleware()))
//
// Each Messages API call (client.Messages.New, NewStreaming, and their
// Beta twins) made with a context that holds a recorded trace becomes one
// [spans.Generation], a child of the context's current span. Nothing else
// changes: the request sent and the response the program gets are the
// client's own, byte for byte.
//
// # What a span records
//
//   - Model, provider ("anthropic", see [WithProvider]) and the model
//     config: max_tokens, temperature, top_p, top_k, stop_sequences,
//     tool_choice (and disable_parallel_tool_use), thinking and
//     thinking_budget_tokens, effort, output_format, service_tier and the
//     base_url the call went to.
//   - The input messages, in the chat shape of [spans.Message]: the system
//     prompt first as a "system" message; text, image and document blocks
//     as content parts (base64 data as data: URLs); tool_use blocks as
//     ToolCalls; each tool_result block as a "tool" message; thinking
//     blocks as ReasoningContent.
//   - The tools offered, and the output message, converted the same way.
//   - The stop reason as the finish reason, the response id, and the
//     usage. Anthropic counts cache reads and writes apart from
//     input_tokens; here they are part of InputTokens, and reported as
//     CachedInputTokens and CacheWriteInputTokens (see [Usage]).
//   - Errors: the HTTP status, the API's error type and message, and the
//     request id; a network error's description. Never a request header,
//     so never the key.
//
// # Streaming
//
// A streamed call's span follows the server-sent events as the program
// reads them (message_start, content_block_start, content_block_delta with
// text, input_json_delta and thinking_delta, message_delta, message_stop)
// and assembles the one message they make, with Stream set and
// FirstTokenAt the time of the first content delta. It ends at
// message_stop, when the program closes the stream early (with what was
// read), or when reading fails or the stream ends without message_stop
// (with an error). An error event ends it with the event's error.
//
// # Retries
//
// The client retries 408, 409, 429 and 5xx answers and network errors,
// and calls its middleware once per attempt. The attempts of one call
// make one span; its "attempts" metadata counts them, and its error is the
// last attempt's. An answer the client retries
// is one it closes unread, so the middleware tells exactly when a call
// ends after an answer. After a network error it cannot: it assumes the
// client retries while attempts are left ([WithMaxRetries]), and ends the
// span when the next attempt has not come by the time the client's backoff
// would have sent it (plus a second). Attempts join a call by their parent
// span and request body, and a first attempt never joins one: concurrent
// retried calls with the same body under the same parent may swap their
// later attempts, but each still makes one span.
//
// # Sensitive data
//
// When the trace's provider drops sensitive data
// ([tracing.WithSensitiveData](false)), the middleware does not decode
// the messages at all; spans keep the model, config, tools, usage, finish
// reason and errors.
//
// # Hand-written loops
//
// [Generation] and [SetMessage] build the same span data from the
// SDK's values, for calls made without the middleware; [Messages],
// [Message], [Tools] and [Usage] convert the parts.
//
// # Performance considerations
//
// A request whose context holds no recorded trace costs a context lookup
// and no allocation. A recorded call reads the request body once (a
// copy), decodes it, and decodes the response as the program reads it;
// the package's benchmarks measure both cases.
package anthropictrace
