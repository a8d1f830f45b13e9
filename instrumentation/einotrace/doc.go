// Package einotrace traces programs built with eino
// (github.com/cloudwego/eino), ByteDance's Go framework for LLM
// applications: an eino callback handler that records every graph, chain,
// agent and component run as a typed span, so that the whole run reaches
// Coze Loop, any OpenTelemetry backend, the OpenAI traces dashboard or the
// console through the processors of the tracing package.
//
// # Setup
//
// Two lines, next to the exporter setup (see processors/otlpexport):
//
//	tp, err := otlpexport.InstallFromEnv() // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS
//	callbacks.AppendGlobalHandlers(einotrace.NewHandler())
//
// or, for one run only, compose.WithCallbacks(einotrace.NewHandler()) among
// the run's options.
//
// # What is recorded
//
// Each run becomes a span nested as eino nests the runs, with eino's
// component and implementation type as the metadata eino.component and
// eino.type:
//
//	eino component                 span kind    recorded
//	Graph, Chain, Workflow         agent        name, input, output (the ReAct agent, ADK agents, your graphs)
//	ChatModel                      generation   input messages, tools offered, model, config, output message
//	                                            with tool calls, finish reason, token usage, stream, first token
//	Tool                           function     name, call id, arguments, result
//	Tool transfer_to_agent (ADK)   handoff      from agent, to agent
//	Retriever                      retriever    query, top k, documents; filter and score threshold as metadata
//	Embedding                      embedding    model, texts, vector count and length, token usage
//	ChatTemplate                   prompt       template messages, variables, rendered messages
//	Indexer, Loader,               custom       documents, ids, source
//	DocumentTransformer
//	Lambda, ToolsNode, others      custom       input and output
//
// Errors are recorded on the span of every run that reports one. An
// interrupt of eino's checkpoint mechanism is not an error: the spans it
// ends carry eino.interrupted=true, and the resumed run is a new trace.
//
// Models that report their own callbacks (eino-ext's models) give the
// tools, config (model name, temperature, max tokens, top p, stop, tool
// choice) and token usage. For models whose callbacks compose injects
// (models that do not implement IsCallbacksEnabled), eino passes only the
// messages: the usage is taken from the reply's ResponseMeta, and the model
// name is unknown.
//
// Inputs and outputs are content: a provider that excludes sensitive data
// (OPENAI_AGENTS_TRACE_INCLUDE_SENSITIVE_DATA=0) gets none of them, and the
// handler does not convert them. Messages become [spans.Message] (see
// [Message]); values other than messages, documents, strings and numbers are
// recorded as their JSON encoding, taken when the callback runs, because
// eino passes the same values on to the nodes that follow.
//
// # Traces
//
// A run with no trace in its context starts one, named after the run (the
// top-level graph or agent; [WithTraceName] names it), with the group id
// and metadata of [WithGroupID] and [WithMetadata], and the run's input and
// output. The trace ends when the last of its spans has ended. A run inside
// a trace records into it, under the span of the context:
//
//	ctx, tr := tracing.StartTrace(ctx, "Support chat", tracing.WithGroupID(threadID))
//	defer tr.End()
//	out, err := agent.Generate(ctx, msgs) // its spans are children of the trace
//
// With [WithoutNewTraces] the handler records only inside such a trace.
//
// eino's ADK runner reports no callbacks of its own: an agent that an ADK
// agent transfers to runs outside the callbacks of the first, so without an
// outer trace each agent of the run starts a trace of its own. Those traces
// share a group id, kept in the ADK session; start a trace around
// runner.Run (and read its events to the end before ending it) to get one
// tree with the handoffs between the agents.
//
// # Streaming
//
// eino gives each handler its own copy of a stream. The handler reads its
// copy to the end on a goroutine of its own and closes it, so the caller's
// stream is untouched and never waits; the span ends, with the chunks
// joined (schema.ConcatMessages for messages), when the stream does. For a
// model, the span records that the output streamed and when the first chunk
// with content arrived.
//
// # Performance considerations
//
// The handler implements eino's TimingChecker: when the context holds no
// trace that would record and the handler would start none, eino does not
// call it, and does not copy streams for it.
package einotrace
