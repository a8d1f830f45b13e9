// Package otlpexport exports agent traces over OTLP/HTTP (protobuf) so that
// they show up in Coze Loop (扣子罗盘) with the right span types, inputs,
// outputs, model, token counts and errors, and render just as well in Arize
// Phoenix, Langfuse, Jaeger and backends that follow the OpenTelemetry GenAI
// semantic conventions.
//
// The package is named otlpexport so that it does not clash with the
// OpenTelemetry packages whose protocol it speaks. It posts requests itself
// (protobuf, gzip, headers, TLS) and reads every OTLP variable itself, so
// that a malformed variable is an error and never a log line quoting it.
//
// # Quick start
//
// With the OTLP variables (or Coze Loop's) set, [InstallFromEnv] exports
// every trace through a batch processor. It returns [ErrNotConfigured] and a
// nil provider (whose methods do nothing) when no destination is
// configured, and another error when the configuration is unusable:
//
//	tp, err := otlpexport.InstallFromEnv(otlpexport.WithServiceName("support-bot"))
//	switch {
//	case errors.Is(err, otlpexport.ErrNotConfigured):
//		log.Print("no OTLP destination configured: traces are not exported")
//	case err != nil:
//		return err
//	}
//	defer func() {
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		if err := tp.Shutdown(ctx); err != nil { // nil-safe
//			log.Print("traces not exported: ", err)
//		}
//	}()
//
// [WithProviderOptions] and [WithBatcherOptions] configure the provider
// (sensitive data, more processors) and the Batcher (queue size, delay);
// [BatcherOf] returns the Batcher, for its Stats. [NewFromEnv] makes just
// the exporter, for a provider with other processors too. To build the
// pipeline yourself:
//
//	exp, err := otlpexport.New(otlpexport.WithServiceName("support-bot"))
//	if err != nil {
//		return err
//	}
//	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)))
//	tracing.SetDefault(tp)
//	defer tp.Shutdown(context.Background())
//
// [New] reads the same variables as NewFromEnv; without a destination it
// posts to https://localhost:4318/v1/traces.
//
// # Coze Loop setup
//
// Coze Loop's documented OpenTelemetry setup works unchanged:
//
//	OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://api.coze.cn/v1/loop/opentelemetry/v1/traces
//	OTEL_EXPORTER_OTLP_HEADERS=cozeloop-workspace-id=<id>,Authorization=Bearer <token>
//
// So do the variables of Coze Loop's own SDKs, read by [New], [NewFromEnv]
// and [InstallFromEnv]: COZELOOP_WORKSPACE_ID and COZELOOP_API_TOKEN, with
// COZELOOP_API_BASE_URL for the international site (https://api.coze.com)
// or a self-hosted server. When OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
// OTEL_EXPORTER_OTLP_ENDPOINT is set too (a platform may inject it), that
// endpoint wins and a warning says the COZELOOP_* credentials are ignored.
// In code, use the preset (an empty workspace id or token is an error):
//
//	exp, err := otlpexport.New(otlpexport.WithCozeLoop(workspaceID, token))
//	if err != nil {
//		return err
//	}
//	tp := tracing.NewProvider(tracing.WithProcessor(processors.NewBatcher(exp)))
//	defer tp.Shutdown(context.Background())
//
// The exporter shapes spans for Coze Loop (see below) when the preset is
// used, when the endpoint has Coze Loop's path (given in code, as
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or as the base URL in
// OTEL_EXPORTER_OTLP_ENDPOINT), or when the requests carry a
// cozeloop-workspace-id header (a self-hosted server behind a proxy).
//
// Coze Loop answers errors with HTTP 200 and {"code":...,"msg":...}; the
// exporter reads every reply and reports such answers (any code but 0,
// whatever the types of the other fields), non-2xx statuses and OTLP
// partial successes as failures that the processors count (see
// [processors.Stats]), with the server's message and never a credential.
//
// # How spans are mapped
//
// The trace becomes the root span, named after the workflow; every span
// becomes its child or grandchild. A trace that joined an OTel span (an
// otelhttp request, a traceparent) has its root parented to that span. A
// span can carry three attribute
// families at once: OTel GenAI (gen_ai.*), OpenInference (openinference.*,
// input.value, output.value, llm.*) and Coze Loop (cozeloop.*, and the keys
// of the other two that Coze Loop reads). [WithAttributes] chooses them: by
// default all three, except for Coze Loop, which gets [ProfileCozeLoop]:
// each thing it reads or shows once, so that its 51 custom tags per span
// (the rest are dropped at random) go to what users read. The table names
// the values of each family's kind keys:
//
//	agent span     OTel name                  kind     gen_ai.operation.name  openinference  cozeloop.span_type
//	trace (root)   {workflow}                 INTERNAL invoke_workflow        AGENT          agent
//	agent          invoke_agent {name}        INTERNAL invoke_agent           AGENT          agent
//	generation     chat {model}               CLIENT   chat                   LLM            model
//	response       chat {model}               CLIENT   chat                   LLM            model
//	function       execute_tool {name}        INTERNAL execute_tool           TOOL           tool
//	guardrail      guardrail {name}           INTERNAL -                      GUARDRAIL      guardrail
//	handoff        handoff to {to}            INTERNAL -                      CHAIN          handoff
//	transcription  speech_to_text {model}     CLIENT   speech_to_text         LLM            model
//	speech         text_to_speech {model}     CLIENT   text_to_speech         LLM            model
//	speech_group   speech_group               INTERNAL -                      CHAIN          speech_group
//	custom         {name}                     INTERNAL -                      CHAIN          custom
//	mcp_tools      mcp_tools {server}         CLIENT   -                      CHAIN          mcp_tools
//	task           task {name}                INTERNAL invoke_workflow        CHAIN          agent
//	turn           turn {n} {agent}           INTERNAL -                      CHAIN          turn
//
// Inputs and outputs go to input.value and cozeloop.input (output.value and
// cozeloop.output) with the same text and input.mime_type (only
// cozeloop.input and cozeloop.output under [ProfileCozeLoop]). Model spans use
// the OpenAI chat-completions shapes that Coze Loop renders as a chat: input
// {"messages":[...],"tools":[...]} with tool parameters as objects, output
// {"choices":[{"index":0,"finish_reason":...,"message":{...}}]}, tool_calls an
// array or absent, and "content":null for a message that only calls tools.
// Transcription and speech spans have no messages: for Coze Loop their
// input and output are a user message (the audio placeholder, or the text)
// and the assistant's reply in those shapes, so that its model view shows
// them as a chat; elsewhere they are plain text. Coze Loop's chat view accepts only tool parameters that are a JSON object
// whose every "type" is a string: for Coze Loop, a list of types (OpenAI
// strict mode's "type":["string","null"]) becomes its first type other than
// "null" with "nullable":true, parameters that are not a JSON object are left
// out, and the tools as given are kept in gen_ai.tool.definitions (within
// 1024 bytes). Model, provider and usage appear as gen_ai.request.model,
// llm.model_name, gen_ai.system, gen_ai.provider.name, llm.provider,
// gen_ai.usage.input_tokens/output_tokens and llm.token_count.* (with
// cached, cache-creation and reasoning tokens also as the custom tags Coze
// Loop's token badges read: input_cached_tokens,
// input_creation_cached_tokens, reasoning_tokens); gen_ai.response.finish_reasons
// is a string array, but for Coze Loop, which shows arrays as the JSON of
// their protobuf form, the reason as a string; well-known
// ModelConfig keys as gen_ai.request.* and the whole config as
// llm.invocation_parameters: integers as exact ints, and integral numbers
// as ints for the int-typed max_tokens, seed and choice.count (a uint64
// beyond the int64 range is a double). Tool spans add gen_ai.tool.name,
// gen_ai.tool.call.id, gen_ai.tool.call.arguments and gen_ai.tool.call.result
// (never tool.* keys, which Coze Loop reads as the input); for Coze Loop the
// last two are left out, since it reads input.value and output.value first
// and they would only add to the span's size. The group id
// becomes session.id and gen_ai.conversation.id. For Coze Loop every span
// carries the resource's service.name too, which its newer converter reads
// from spans (into its psm field). Task and turn usage goes to
// agenttrace.usage.*, so that backends that add up tokens do not count the
// model calls inside twice.
//
// Model spans also carry their messages as gen_ai.input.messages /
// gen_ai.output.messages (role and parts; a message that only calls tools
// has only tool_call parts) and llm.input_messages.N.* /
// llm.output_messages.N.* for backends that read only those, except when sending to Coze Loop, which
// would read them in place of input.value; see [WithMessageAttributes].
// The flattened llm.*_messages.N.* take at most 48 attributes for the input
// and 24 for the output (an OpenTelemetry SDK keeps 128 a span by default):
// a longer conversation keeps its first message, a marker message
// ("…[k messages truncated]") and the newest messages that fit; the whole
// conversation is in input.value and gen_ai.input.messages.
//
// An error sets the span status to ERROR with the message, adds an
// "exception" event (exception.type, exception.message and the error data
// as agenttrace.error.data) and sets error.type (Coze Loop ignores the
// status). Coze Loop builds one "error" tag from all of these and cuts it at
// 1024 bytes, which would leave invalid JSON: for Coze Loop the type, the
// message and the data are cut so that the tag fits whole. A guardrail that
// trips is not an error.
//
// User metadata (the trace's and the span's, and a custom span's data)
// becomes attributes under its own keys, up to 16 a span, and a "metadata"
// JSON attribute (under [ProfileCozeLoop], only when it holds more keys
// than went out on their own) that stays a JSON object: when shortening its strings is
// not enough to fit its limit, its largest keys are left out and counted in
// its "_truncated" key. A key that
// would collide with a reserved key or prefix (tool*, error*, exception*,
// gen_ai., llm., input, output, model, reasoning_tokens, ...) is renamed with a "metadata."
// prefix, never dropped; a key over 100 bytes keeps its first 90 and a hash
// of itself, so that long keys stay apart.
//
// User values are sent as they are when they can be: strings, booleans and
// numbers as themselves; errors (and, as attributes of their own, Stringers)
// as their text, "<nil>" for a nil pointer whose method panics and
// "<T: String method panicked>" (or Error) for another; anything
// else as JSON. A part that JSON cannot hold
// never costs the rest of the value: NaN and infinities become the strings
// "NaN", "+Inf" and "-Inf" (in every attribute, gen_ai.request.* included),
// channels, funcs and complex numbers "<unencodable T>", a map or slice that
// contains itself "<unencodable T: cycle>" where it repeats, and a value
// whose own encoding fails "<T: error>" (whose MarshalJSON or MarshalText
// panics, "<T: encoding panicked>"): the span is always kept. Bytes of tool output are text when
// they are UTF-8, else "<binary: N bytes>".
//
// A trace still open when the exporter shuts down (a signal arrived
// mid-run, say) gets its root span at Shutdown, ending then and marked
// agenttrace.trace.ended=false, so that its spans are not orphans; the
// exporter remembers up to 4096 open traces, forgetting the oldest.
//
// Ids are exactly those the trace's and spans' contexts carried to the OTel
// spans and traceparent headers made inside them ([tracing.Span.SpanContext]):
// "trace_" + 32 hex digits is the 16-byte OTel trace id; a span id made by
// the tracing package carries its OTel span id in its last 16 hex digits;
// any other id is hashed whole (SHA-256), stably, never to zero
// ([tracing.OTelSpanID]). The root span has an id of its own per trace,
// fixed when the trace starts, so spans exported before their trace ends
// name the right parent and two traces sharing a trace id never share a
// root. Flags carry the W3C trace flags and whether the parent is remote, as
// the OTel SDK's exporter sends them. Spans keep
// their own start and end times. Every request carries a resource with
// service.name ([WithServiceName] or OTEL_SERVICE_NAME), telemetry.sdk.* and
// OTEL_RESOURCE_ATTRIBUTES.
//
// # Limits and sensitive data
//
// Every string is sent as valid UTF-8 (OTLP requires it, and one bad string
// would fail the whole request): invalid bytes become U+FFFD.
//
// Values are clipped to Coze Loop's limits before sending, on rune
// boundaries, ending in "…[truncated]": inputs and outputs (and the other
// content attributes) to 1 MiB, the span name and other strings to 1024
// bytes, keys to 100 bytes. JSON stays valid and keeps its shape: the
// longest strings inside it are shortened first, to the length that fits
// once encoded (escapes counted). When that would leave every string a few
// bytes long (a conversation of very many messages, say), the array or map
// with the most children is shrunk instead: an array keeps its first
// element and its newest ones, a marker element (a message, among messages)
// standing for the ones left out; a map leaves out its largest keys and
// counts them in "_truncated". Requests are split so that no body exceeds
// [DefaultMaxRequestSize] (20 MiB) before compression; a span that alone
// exceeds it is dropped and counted (too_large). For Coze Loop, which
// rejects a span whose JSON form exceeds 10 MiB (after replying success),
// each span's JSON size is estimated with escapes counted and its content
// clipped further to fit; a span that still cannot fit is dropped and
// counted (too_large).
//
// When the provider leaves out sensitive data (tracing.WithSensitiveData(false)
// or OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA=false), spans reach the
// exporter without content and no content attribute of any family is sent.
// Errors of tool and model calls, which tend to quote their input, are sent
// as a fixed notice then ("Tool execution failed. Error details are
// redacted.", as the Python Agents SDK writes it, or "Model call failed.
// Error details are redacted."), without their type or data; other spans'
// errors are sent as they are.
//
// # Delivery
//
// Each Export is bounded by its context and the exporter's timeout
// ([DefaultTimeout], OTEL_EXPORTER_OTLP_TIMEOUT). Within it, 429, 5xx and
// network errors (refused and reset connections and unknown hosts
// included) are retried with exponential backoff and jitter, waiting at
// least as long as a Retry-After header asks. Other statuses, Coze Loop
// error codes, TLS certificate errors, unsupported URL schemes (after a
// redirect: [New] rejects endpoints that are not http or https) and a 2xx
// reply that is neither an OTLP response nor Coze Loop's JSON (an HTML page,
// say; the error quotes its content type and start) fail at once.
// Redirects are followed as net/http follows them (307 and 308 post the
// request again) and only the final reply counts, with two exceptions: a
// redirect from https to http is refused (the export fails at once), and
// once a redirect leaves the endpoint's origin (scheme, host and port) no
// configured header goes with it or with any later hop. The returned
// [*processors.PartialError]s say how many spans were not delivered and why;
// the batch processor counts them.
//
// # Credentials
//
// Errors and logs never contain a credential. Every configured header value
// counts as one, whatever the header's name (an x-honeycomb-team or
// uptrace-dsn value as much as an Authorization), and so does every query
// value of the endpoint, its user information (which is not sent) and the
// Coze Loop token. Each is redacted, whole, as written, percent-encoded and
// JSON-escaped, as the credential after any scheme (Bearer, bearer, Token,
// ...) and, for Basic, decoded. Server text is scrubbed before it is cut to
// fit an error, and what is left at the cut of a secret that straddled it is
// redacted too. A malformed OTEL_EXPORTER_OTLP_[TRACES_]HEADERS is an error
// from [New] naming the variable and the position of the pair at fault,
// never its text; a header value holding a control character (CR, LF, NUL),
// which net/http would refuse in every request, is an error from New too.
//
// The endpoint's scheme alone decides between TLS and plain http, as the
// OpenTelemetry specification says for OTLP/HTTP:
// OTEL_EXPORTER_OTLP_[TRACES_]INSECURE, which applies only to OTLP/gRPC
// endpoints without a scheme, is not read, so it never turns https:// into
// http://. Plain http to a host other than this machine (localhost, a
// loopback address) with configured headers or a query is allowed, for
// collectors reached inside a cluster, but New logs one warning through
// [slog.Default] naming the headers and the host (never a value).
//
// # Performance
//
// Conversion runs on the batch processor's goroutine, never on the traced
// one. Attribute values of one export come from an arena and the message
// JSON is written without reflection, each text escaped once for both the
// chat and the GenAI shapes. [ProfileCozeLoop] sends a third of the bytes
// of [ProfileAll] for the benchmark's spans (BenchmarkExport,
// impl=agenttrace-cozeloop). Requests are encoded by the exporter's own
// protobuf encoder (the bytes proto.Marshal writes, in about a third of
// its time, BenchmarkEncode), into buffers and a compressor kept from one
// request to the next, as are the arena chunks of the conversion; batches
// are of [DefaultBatchSize] spans.
//
// bench_test.go compares the whole pipeline (provider, Batcher at its
// defaults, this exporter) with the OpenTelemetry SDK's (tracer,
// BatchSpanProcessor, otlptracehttp, batches of 512) sending the same
// attributes to a loopback sink, and with the floor: proto.Marshal and gzip
// of the same requests alone. On a shared 2-core machine (8 interleaved
// runs, benchstat medians, 2026-12-02) ours delivered 2.45 times the SDK's
// spans per second with gzip off (92.6k against 37.9k; 0.44 times its CPU
// time per span) and 2.48 times with gzip on (67.7k against 27.3k; 0.41
// times its CPU time), with 0.1 % and 0.8 % fewer bytes per span and a third
// of its allocations. With gzip on, ours is within 1.12 times the floor's
// spans per second (not significant; 1.07 times its CPU time); with gzip
// off the floor is proto.Marshal alone and ours takes 1.74 times it,
// mostly for the conversion (typed span data to attributes, message lists
// to JSON), which costs about as much as the marshalling:
//
//	go test -c -o /tmp/otlp.test ./processors/otlpexport/
//	for i in 1 2 3 4 5 6 7 8; do /tmp/otlp.test -test.run '^$' -test.bench Pipeline -test.benchmem -test.benchtime 2s; done > /tmp/otlp-bench.txt
//	benchstat -col /impl /tmp/otlp-bench.txt
//
// (one run of every implementation at a time, so that drift on a shared
// machine hits all alike).
package otlpexport
