package spans

// Kind identifies the type of a span's data. Its String method returns the
// name the OpenAI traces format uses for span_data.type.
type Kind uint8

// The kinds of span data. The zero Kind is invalid.
const (
	KindAgent Kind = iota + 1
	KindGeneration
	KindFunction
	KindGuardrail
	KindHandoff
	KindTranscription
	KindSpeech
	KindSpeechGroup
	KindCustom
	KindResponse
	KindMCPListTools
	KindTask
	KindTurn
	KindEmbedding
	KindRetriever
	KindPrompt
	kindEnd
)

var kindNames = [...]string{
	KindAgent:         "agent",
	KindGeneration:    "generation",
	KindFunction:      "function",
	KindGuardrail:     "guardrail",
	KindHandoff:       "handoff",
	KindTranscription: "transcription",
	KindSpeech:        "speech",
	KindSpeechGroup:   "speech_group",
	KindCustom:        "custom",
	KindResponse:      "response",
	KindMCPListTools:  "mcp_tools",
	KindTask:          "task",
	KindTurn:          "turn",
	KindEmbedding:     "embedding",
	KindRetriever:     "retriever",
	KindPrompt:        "prompt",
}

// String returns the wire name of k ("agent", "generation", "mcp_tools", ...),
// or "unknown" for a value outside the defined kinds.
func (k Kind) String() string {
	if k == 0 || k >= kindEnd {
		return "unknown"
	}
	return kindNames[k]
}

// Kinds returns every defined kind in declaration order.
func Kinds() []Kind {
	out := make([]Kind, 0, int(kindEnd)-1)
	for k := KindAgent; k < kindEnd; k++ {
		out = append(out, k)
	}
	return out
}
