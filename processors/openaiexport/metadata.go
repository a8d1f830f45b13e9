package openaiexport

import "github.com/agenttrace/agenttrace-go/tracing"

// harnessKey is the trace metadata key the Python SDK copies onto the
// metadata of every span of the trace.
const harnessKey = "agent_harness_id"

// spanMetadata returns the metadata sent with s: its own, with the trace's
// agent_harness_id copied in when the trace has one, the trace's value
// winning over the span's, as in the Python SDK. Neither map is changed.
func spanMetadata(s *tracing.Span, tr *tracing.Trace) map[string]any {
	md := s.Metadata()
	id, ok := tr.Metadata()[harnessKey]
	if !ok {
		return md
	}
	out := make(map[string]any, len(md)+1)
	for k, v := range md {
		out[k] = v
	}
	out[harnessKey] = id
	return out
}
