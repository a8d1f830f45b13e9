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
// [New] reads OPENAI_API_KEY, OPENAI_ORG_ID, OPENAI_PROJECT_ID and
// OPENAI_BASE_URL once; options override them. A trace may carry its own key
// (tracing.WithTracingAPIKey): items are grouped by key and each group is one
// POST. Items with no key at all are dropped and counted as
// processors.DropNoAPIKey, with a single warning per exporter.
//
// # Wire format
//
// Each POST to the endpoint ([DefaultEndpoint] by default) carries
// {"data":[...]} with the headers Authorization, Content-Type,
// OpenAI-Beta: traces=v1, and OpenAI-Organization and OpenAI-Project when
// set. A trace is sent when it starts ({"object":"trace", ...}, no times), a
// span when it ends ({"object":"trace.span", ...}), in the order the
// processor received them; trace ends are not sent. Span data keys are the
// Python SDK's for every kind, null when unset; spans.Task and spans.Turn go
// out as custom spans named "task" and "turn", whose data carries "usage"
// only when set, as in Python. A response span's "usage" is sent to a custom
// endpoint always, null when unset, and never to OpenAI's (see below). Times
// are UTC with microseconds and "+00:00", as Python's datetime.isoformat
// writes them. Span metadata is sent only when non-empty.
//
// # The OpenAI endpoint's payload rules
//
// When posting to [DefaultEndpoint] (or when [WithPayloadRules] says so),
// span_data.input and span_data.output whose compact JSON exceeds 100,000
// bytes are cut to fit: strings end in "... [truncated]", objects and arrays
// shrink their largest child first (so a list of messages stays a list of
// messages), and a value with no JSON encoding becomes
// {"truncated":true,"original_type":...,"preview":...}, the preview
// describing the value's type and the encoding error. A generation's usage
// is rewritten to {"input_tokens","output_tokens","details":{...}}, and other
// spans' usage is left out; the endpoint answers 400 otherwise. A custom
// endpoint gets the data unchanged.
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
// user information (user name and password), which is never quoted.
//
// Malformed items (a trace start without a trace, a span end without a span,
// a span with no trace, such as a zero tracing.Span, or whose data is a nil
// pointer, as that of a span started with a typed nil is until it ends) are
// dropped as processors.DropExportFailed, and so is an item whose encoding
// panics (in a MarshalJSON method, say); the rest of the batch still goes
// out.
//
// # Differences from the Python SDK
//
//   - A function's output that is not a string is sent as its JSON text
//     ({"eta_days":2,"status":"shipped"}); Python sends str(value), which for
//     a dict is its repr ({'status': 'shipped', 'eta_days': 2}). A string,
//     of any named string type too, is sent as is, an error as its message,
//     a json.RawMessage as its compact text (as is when it is not valid
//     JSON), a pointer as what it points to. As in Python (str(output) if
//     output else None), a falsy output is sent as null: nil, a nil pointer,
//     "", a numeric zero, false, and an empty map, slice or array; structs
//     and errors are never falsy. A value with no JSON encoding (a cyclic
//     map, say) is sent as a description of its type and of the encoding
//     error, <type: error>, where Python would send str(value).
//   - Empty strings are unset: a function input, model, handoff agent or MCP
//     server of "" is sent as null. Python's equivalents are None by default
//     too; the Agents SDK sends "{}" for a call without arguments, and so must
//     a Go caller that wants the same.
//   - Fields the Python format has no key for are not sent: a generation's
//     Tools, Provider, FinishReason and ResponseID, a function's CallID, a
//     response's Model and Input, and CacheWriteInputTokens on generation and
//     response usage.
//   - Usage always carries every key; TotalTokens of zero is sent as
//     InputTokens+OutputTokens, and Requests as given (Python's runner
//     always records 1 per model call).
//   - A value that cannot be encoded outside input and output (metadata,
//     custom data, model_config, error data) drops that one item, counted as
//     processors.DropExportFailed; in Python the export would raise.
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
