// Package spans defines the typed data a span carries: one Go type per kind of
// operation in an agent run (an agent turn, an LLM generation, a tool call, a
// guardrail check, a handoff, speech and transcription, MCP tool listing, and
// free-form custom spans).
//
// Every type implements the sealed [Data] interface and reports its [Kind]. A
// span is started with a pointer to one of these values; fields may be filled
// in until the span ends, when the tracing package takes a shallow copy (see
// [Snapshot]). Values stay typed Go data until an exporter encodes them on its
// own goroutine, so recording a span never pays for JSON.
//
// # Field conventions
//
// Empty strings, nil slices, nil maps and nil pointers mean "not set"; wire
// formats that distinguish null from empty (the OpenAI traces format does)
// encode them as null. Audio is kept as raw bytes and base64-encoded by
// exporters. Inputs and outputs of tools are JSON text, or any Go value that
// exporters encode with encoding/json.
//
// # Sensitive data
//
// Model and tool inputs and outputs, and audio, are content that may hold
// personal data. [Snapshot] with redact set clears exactly those fields and
// keeps names, models, model configuration, usage and structure. The tracing
// package applies it when the provider is configured not to include sensitive
// data.
//
// This package imports nothing else of the module.
package spans
