// Package openaiexport exports traces to the OpenAI Traces dashboard, sending
// exactly what the Python Agents SDK's tracing sends, so that agents written
// in Python and Go show up side by side.
//
// Use it behind a batch processor, and shut the provider down before the
// program exits, since Go has no atexit hook to flush for you:
//
//	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(openaiexport.New())))
//	defer tp.Shutdown(context.Background())
//
// # Configuration
//
// [New] reads OPENAI_API_KEY, OPENAI_ORG_ID and OPENAI_PROJECT_ID once;
// options override them. OPENAI_BASE_URL does not move the endpoint: as in
// the Python SDK, the exporter posts to [DefaultEndpoint] unless
// [WithEndpoint] says otherwise. That variable points model clients at
// another vendor (the Coze Loop guide sets it to Volcengine Ark), which must
// receive neither the traces nor the OpenAI key. A trace may carry its own
// key (tracing.WithTracingAPIKey): items are grouped by key, and each group
// is posted in as many requests as it needs. Items with no key at all are
// dropped and counted as processors.DropNoAPIKey, with a single warning per
// exporter.
//
// # Wire format
//
// Each POST to the endpoint ([DefaultEndpoint] by default) carries
// {"data":[...]} with the headers Authorization, Content-Type,
// OpenAI-Beta: traces=v1, and OpenAI-Organization and OpenAI-Project when
// set. A trace is sent when it starts ({"object":"trace", ...}, no times), a
// span when it ends ({"object":"trace.span", ...}), in the order the
// processor received them; trace ends are not sent, and neither is a trace
// or span whose id is "no-op" (the Python SDK's id of a disabled one), nor
// the spans under it. A request holds at most [MaxRequestItems] items (trace
// ends are not items: behind a processors.Batcher, which the exporter tells
// so through processors.Selective, a batch of 128 fills a request of 128)
// and at most [DefaultMaxRequestSize] bytes ([WithMaxRequestSize]); larger
// groups are split, in order. Span data keys are the Python SDK's for every
// kind, null when unset; spans.Task and spans.Turn go out as custom spans
// named "task" and "turn", whose data carries "usage" only when set, as in
// Python, and spans.Embedding, spans.Retriever and spans.Prompt as custom
// spans named after their kind. A response span's "usage" is sent to a
// custom endpoint always, null when unset, and never to OpenAI's (see
// below); usage's input_tokens_details carries cache_write_tokens next to
// cached_tokens, as in Python. Times are UTC with microseconds and
// "+00:00", as Python's datetime.isoformat writes them. Span metadata is
// sent only when non-empty; a trace's agent_harness_id metadata is copied
// into every span's metadata, the trace's value winning over the span's, as
// in Python.
//
// A generation's input is sent as the chat-completions messages it holds
// (see spans.Message), and its output as the Python Runner records a
// model's message, the model_dump() of the OpenAI client's
// ChatCompletionMessage, with every key: a tool-call message is
// {"role":"assistant","content":null,"refusal":null,"annotations":[],
// "audio":null,"function_call":null,"tool_calls":[{"id":"call_1",
// "type":"function","function":{"name":"lookup","arguments":"{}"}}]}.
//
// # The OpenAI endpoint's payload rules
//
// When posting to [DefaultEndpoint] (or when [WithPayloadRules] says so),
// span_data.input and span_data.output whose compact JSON exceeds 100,000
// bytes are cut to fit: strings end in "... [truncated]", objects and arrays
// shrink their largest child first and, among children of the same size,
// the first first, as Python does, so that a list of messages stays a list
// of messages whose oldest are emptied and cut first and whose newest
// survive; when that is not enough the oldest are left out. A value with
// no JSON encoding becomes
// {"truncated":true,"original_type":...,"preview":...}, the preview
// describing the value's type and the encoding error. A generation's usage
// is rewritten to {"input_tokens","output_tokens","details":{...}}, and other
// spans' usage is left out; the endpoint answers 400 otherwise. A custom
// endpoint gets the data unchanged, within the limits below.
//
// # Limits
//
// Every field is clamped, on both endpoints, so that no value, however
// large, makes a request unbounded. Sizes are those of the field's compact
// JSON, quotes and escapes included:
//
//   - each input and output, custom span data, metadata (of the trace and of
//     each span), model config, MCP data, error message, error data, each
//     list of names (an agent's tools and handoffs, an MCP server's tools)
//     and a retriever's documents: 100,000 bytes under the OpenAI payload
//     rules, 1 MiB (1,048,576 bytes) for a custom endpoint, cut as the
//     payload rules cut inputs and outputs;
//   - each name (workflow, agent, tool, guardrail, custom span, model, MCP
//     server, handoff agents, output type, group id, a document id, each
//     entry of a list of names): 1024 bytes;
//   - trace, span and parent ids: 256 bytes of text; a longer id is sent as
//     its start, "-" and 32 hex digits of its SHA-256, the same wherever it
//     appears (a child's parent id still matches), and different for ids
//     that differ anywhere.
//
// A span is thus a few MiB at most, and requests are split to stay within
// [DefaultMaxRequestSize]; an item larger than a smaller size set with
// [WithMaxRequestSize] is dropped as processors.DropTooLarge.
//
// One value with no JSON encoding in a free-form field (metadata, custom
// data, model config, MCP data, error data, prompt variables, document
// metadata, a function's output) replaces only itself, never the span: a
// NaN or infinite float, and a json.Number that is not a finite JSON number
// (1e999, which encoding/json would write and the other side read as
// infinity), become null; a channel, a function, a complex number, a cycle,
// a value nested over 64 levels deep, and a struct or a MarshalJSON or
// MarshalText method that fails or panics become a short description,
// "<type: reason>". Maps, slices and pointers are walked to the bad value;
// a struct is replaced whole, since its fields follow encoding/json's tag
// rules.
//
// # Retries and errors
//
// A POST is tried [DefaultMaxAttempts] times in all, waiting 1 s, then 2 s,
// doubling up to 30 s, plus 0-10 % jitter. 5xx answers and network errors are
// retried; 4xx answers, 429 included, are not, as in the Python SDK, and
// Retry-After is not consulted. [Exporter.Shutdown] interrupts retry waits at
// once, and an export in progress then starts no new POST: the API-key groups
// of its batch not yet posted are dropped as processors.DropExportFailed,
// with an error saying the exporter was shut down. Errors go back to the
// processor, which counts and logs them; they never reach the traced
// program, and neither errors nor logs ever contain an API key, whole or in
// part (an echo of the key in a server's answer or status line is redacted,
// also where the quoted part of the answer is cut), nor the endpoint URL's
// user information (user name and password), which is never quoted. The
// organization and project values and the endpoint's query values are
// redacted the same way, and each secret also as percent-encoded and
// JSON-escaped.
//
// A key, organization or project holding a control character (CR, LF, NUL),
// which net/http refuses in a header, fails each POST at once, without
// retries; [New] warns about the exporter's own. An endpoint that is plain
// http to a host other than this machine (localhost, a loopback address)
// gets one warning at New: the key would travel in clear. See
// [WithHTTPClient] for redirects.
//
// Malformed items (a trace start without a trace, a span end without a span,
// a span with no trace, such as a zero tracing.Span, or whose data is a nil
// pointer, as that of a span started with a typed nil is until it ends) are
// dropped as processors.DropExportFailed, and so would be an item whose
// encoding panicked despite the above; the rest of the batch still goes
// out.
//
// # Differences from the Python SDK
//
//   - A function's output that is not a string is sent as its JSON text
//     ({"eta_days":2,"status":"shipped"}); Python sends str(value), which for
//     a dict is its repr ({'status': 'shipped', 'eta_days': 2}). A bool is
//     sent as Python's str() writes it, "True" or "False". A string, of any named string
//     type too, is sent as is, an error as its message, a json.RawMessage as
//     its compact text (as is when it is not valid JSON), a pointer as what
//     it points to. As in Python since v0.17.4 (str(output) whenever output
//     is not None), only Go's None is sent as null: nil, a nil pointer, map,
//     slice, function or channel, and an empty json.RawMessage; zero values
//     are sent ("" as "", 0 as "0", false as "False", an empty map as "{}").
//     A value with no JSON encoding is sent with the bad parts replaced (see
//     Limits): a cyclic map as {"self":"<map[string]interface {}: a cycle>"},
//     where Python's repr writes {'self': {...}}.
//   - Empty strings are unset: a function input, model, handoff agent or MCP
//     server of "" is sent as null. Python's equivalents are None by default
//     too; the Agents SDK sends "{}" for a call without arguments, and so must
//     a Go caller that wants the same.
//   - Fields the Python format has no key for are not sent: a generation's
//     Tools, Provider, FinishReason, ResponseID, Stream and FirstTokenAt, a
//     function's CallID, a response's Model, Provider, Input and Output, and
//     an agent's Input and Output.
//   - Usage always carries every key; TotalTokens of zero is sent as
//     InputTokens+OutputTokens, and Requests as given (Python's runner
//     always records 1 per model call).
//   - A value that cannot be encoded in metadata, custom data, model_config
//     or error data replaces only itself (see Limits); in Python the export
//     would raise.
//   - A span under a "no-op" span is recognised through the parent ids of
//     the batch it is exported in and of the spans already left out; in
//     Python every span under a disabled span is itself a no-op. A
//     descendant two or more levels down that is exported in an earlier
//     batch than its "no-op" ancestor's child is sent. The usual way to leave
//     a span and its subtree out in Go is tracing.WithSpanDisabled.
//   - A missing key is warned about once per exporter, not once per batch.
//   - The exact cut points of truncated values may differ from Python's by a
//     few characters; the limit, the suffix and the largest-child-first rule
//     are the same.
//
// # Concurrency
//
// An [Exporter] is safe for concurrent use. Export posts the groups of a batch
// one after another, on the caller's goroutine, and returns by the deadline
// of its context.
package openaiexport
