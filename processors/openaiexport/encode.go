package openaiexport

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// The JSON objects below mirror the Python SDK's export() dictionaries, key
// for key and in the same order. Pointer and interface fields encode as null
// when unset; nil slices and maps encode as null too, as Python's None does.
// The few keys Python adds only when set are tagged omitempty.

type traceJSON struct {
	Object       string         `json:"object"`
	ID           string         `json:"id"`
	WorkflowName string         `json:"workflow_name"`
	GroupID      *string        `json:"group_id"`
	Metadata     map[string]any `json:"metadata"`
}

type spanJSON struct {
	Object    string         `json:"object"`
	ID        string         `json:"id"`
	TraceID   string         `json:"trace_id"`
	ParentID  *string        `json:"parent_id"`
	StartedAt *string        `json:"started_at"`
	EndedAt   *string        `json:"ended_at"`
	SpanData  any            `json:"span_data"`
	Error     *errorJSON     `json:"error"`
	Metadata  map[string]any `json:"metadata,omitempty"`
}

type errorJSON struct {
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

type agentJSON struct {
	Type       string   `json:"type"`
	Name       string   `json:"name"`
	Handoffs   []string `json:"handoffs"`
	Tools      []string `json:"tools"`
	OutputType *string  `json:"output_type"`
}

type generationJSON struct {
	Type        string         `json:"type"`
	Input       any            `json:"input"`
	Output      any            `json:"output"`
	Model       *string        `json:"model"`
	ModelConfig map[string]any `json:"model_config"`
	Usage       any            `json:"usage"`
}

type functionJSON struct {
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Input   any            `json:"input"`
	Output  any            `json:"output"`
	MCPData map[string]any `json:"mcp_data"`
}

type guardrailJSON struct {
	Type      string `json:"type"`
	Name      string `json:"name"`
	Triggered bool   `json:"triggered"`
}

type handoffJSON struct {
	Type      string  `json:"type"`
	FromAgent *string `json:"from_agent"`
	ToAgent   *string `json:"to_agent"`
}

type audioJSON struct {
	Data   string `json:"data"`
	Format string `json:"format"`
}

type transcriptionJSON struct {
	Type        string         `json:"type"`
	Input       any            `json:"input"`
	Output      any            `json:"output"`
	Model       *string        `json:"model"`
	ModelConfig map[string]any `json:"model_config"`
}

type speechJSON struct {
	Type           string         `json:"type"`
	Input          any            `json:"input"`
	Output         any            `json:"output"`
	Model          *string        `json:"model"`
	ModelConfig    map[string]any `json:"model_config"`
	FirstContentAt *string        `json:"first_content_at"`
}

type speechGroupJSON struct {
	Type  string `json:"type"`
	Input any    `json:"input"`
}

type customJSON struct {
	Type string `json:"type"`
	Name string `json:"name"`
	Data any    `json:"data"`
}

// responseJSON is a response span for the OpenAI endpoint, which takes usage
// on generation spans only.
type responseJSON struct {
	Type       string  `json:"type"`
	ResponseID *string `json:"response_id"`
}

// responseFullJSON is a response span for a custom endpoint: Python sends
// "usage": self.usage, null when unset.
type responseFullJSON struct {
	Type       string     `json:"type"`
	ResponseID *string    `json:"response_id"`
	Usage      *usageJSON `json:"usage"`
}

type mcpToolsJSON struct {
	Type   string   `json:"type"`
	Server *string  `json:"server"`
	Result []string `json:"result"`
}

// taskDataJSON is the data of a task span. Python adds usage only when it is
// not None.
type taskDataJSON struct {
	SDKSpanType string     `json:"sdk_span_type"`
	Name        string     `json:"name"`
	Usage       *taskUsage `json:"usage,omitempty"`
}

type taskUsage struct {
	Requests              int64 `json:"requests"`
	InputTokens           int64 `json:"input_tokens"`
	OutputTokens          int64 `json:"output_tokens"`
	TotalTokens           int64 `json:"total_tokens"`
	CachedInputTokens     int64 `json:"cached_input_tokens"`
	CacheWriteInputTokens int64 `json:"cache_write_input_tokens"`
}

// turnDataJSON is the data of a turn span. Python adds usage only when it is
// not None.
type turnDataJSON struct {
	SDKSpanType string     `json:"sdk_span_type"`
	Turn        int        `json:"turn"`
	AgentName   string     `json:"agent_name"`
	Usage       *turnUsage `json:"usage,omitempty"`
}

type turnUsage struct {
	InputTokens           int64 `json:"input_tokens"`
	OutputTokens          int64 `json:"output_tokens"`
	CachedInputTokens     int64 `json:"cached_input_tokens"`
	CacheWriteInputTokens int64 `json:"cache_write_input_tokens"`
}

// embeddingDataJSON, retrieverDataJSON and promptDataJSON are the data of
// the kinds the Python SDK does not have, sent as custom spans in the way
// task and turn spans are: name the kind, data.sdk_span_type too.
type embeddingDataJSON struct {
	SDKSpanType string     `json:"sdk_span_type"`
	Model       *string    `json:"model"`
	Input       any        `json:"input"`
	Dimensions  int        `json:"dimensions,omitempty"`
	Count       int        `json:"count,omitempty"`
	Usage       *usageJSON `json:"usage,omitempty"`
}

type retrieverDataJSON struct {
	SDKSpanType string         `json:"sdk_span_type"`
	Name        string         `json:"name"`
	Query       any            `json:"query"`
	TopK        int            `json:"top_k,omitempty"`
	Documents   []documentJSON `json:"documents"`
}

type documentJSON struct {
	ID       string         `json:"id,omitempty"`
	Content  string         `json:"content"`
	Score    float64        `json:"score,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

type promptDataJSON struct {
	SDKSpanType string         `json:"sdk_span_type"`
	Name        string         `json:"name"`
	Template    any            `json:"template"`
	Variables   map[string]any `json:"variables"`
	Output      any            `json:"output"`
}

// usageJSON is a model call's usage as the Python SDK records it.
type usageJSON struct {
	Requests            int64         `json:"requests"`
	InputTokens         int64         `json:"input_tokens"`
	OutputTokens        int64         `json:"output_tokens"`
	TotalTokens         int64         `json:"total_tokens"`
	InputTokensDetails  cachedJSON    `json:"input_tokens_details"`
	OutputTokensDetails reasoningJSON `json:"output_tokens_details"`
}

// ingestUsageJSON is usageJSON rewritten for the OpenAI endpoint, which
// accepts only input_tokens, output_tokens and details.
type ingestUsageJSON struct {
	InputTokens  int64              `json:"input_tokens"`
	OutputTokens int64              `json:"output_tokens"`
	Details      ingestUsageDetails `json:"details"`
}

type ingestUsageDetails struct {
	Requests            int64         `json:"requests"`
	TotalTokens         int64         `json:"total_tokens"`
	InputTokensDetails  cachedJSON    `json:"input_tokens_details"`
	OutputTokensDetails reasoningJSON `json:"output_tokens_details"`
}

type cachedJSON struct {
	CachedTokens int64 `json:"cached_tokens"`
}

type reasoningJSON struct {
	ReasoningTokens int64 `json:"reasoning_tokens"`
}

// encoder turns traces and spans into the JSON items of an ingest request.
// rules says whether the OpenAI endpoint's payload rules apply.
type encoder struct {
	rules bool
	buf   bytes.Buffer
}

// marshal encodes v compactly without HTML escaping, as Python's json does.
func (e *encoder) marshal(v any) ([]byte, error) {
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.Clone(bytes.TrimSuffix(e.buf.Bytes(), []byte{'\n'})), nil
}

func (e *encoder) trace(t *tracing.Trace) ([]byte, error) {
	b, err := e.marshal(traceJSON{
		Object:       "trace",
		ID:           t.ID(),
		WorkflowName: t.Name(),
		GroupID:      optString(t.GroupID()),
		Metadata:     t.Metadata(),
	})
	if err != nil {
		return nil, fmt.Errorf("openaiexport: encode trace %s: %w", t.ID(), err)
	}
	return b, nil
}

// span encodes s, whose trace tr and data d the caller has read from s and
// checked: neither is nil.
func (e *encoder) span(s *tracing.Span, tr *tracing.Trace, d spans.Data) ([]byte, error) {
	out := spanJSON{
		Object:    "trace.span",
		ID:        s.ID(),
		TraceID:   tr.ID(),
		ParentID:  optString(s.ParentID()),
		StartedAt: optTime(s.StartTime()),
		EndedAt:   optTime(s.EndTime()),
		SpanData:  e.spanData(d),
	}
	if se := s.Error(); se != nil {
		out.Error = &errorJSON{Message: se.Message, Data: se.Data}
	}
	if md := s.Metadata(); len(md) > 0 {
		out.Metadata = md
	}
	b, err := e.marshal(out)
	if err != nil {
		return nil, fmt.Errorf("openaiexport: encode span %s: %w", s.ID(), err)
	}
	return b, nil
}

// spanData maps typed span data to the span_data object of its kind. d must
// not be a nil pointer (see isNilData).
func (e *encoder) spanData(d spans.Data) any {
	switch d := d.(type) {
	case *spans.Agent:
		return agentJSON{Type: "agent", Name: d.Name, Handoffs: d.Handoffs, Tools: d.Tools,
			OutputType: optString(d.OutputType)}
	case *spans.Generation:
		g := generationJSON{Type: "generation", Model: optString(d.Model), ModelConfig: d.ModelConfig}
		if d.Input != nil {
			g.Input = e.field(d.Input)
		}
		if d.Output != nil {
			g.Output = e.field(d.Output)
		}
		if d.Usage != nil {
			if e.rules {
				g.Usage = ingestUsage(d.Usage)
			} else {
				g.Usage = fullUsage(d.Usage)
			}
		}
		return g
	case *spans.Function:
		f := functionJSON{Type: "function", Name: d.Name, MCPData: d.MCPData}
		if d.Input != "" {
			f.Input = e.field(d.Input)
		}
		if out, ok := functionOutput(d.Output); ok {
			f.Output = e.field(out)
		}
		return f
	case *spans.Guardrail:
		return guardrailJSON{Type: "guardrail", Name: d.Name, Triggered: d.Triggered}
	case *spans.Handoff:
		return handoffJSON{Type: "handoff", FromAgent: optString(d.From), ToAgent: optString(d.To)}
	case *spans.Transcription:
		t := transcriptionJSON{Type: "transcription", Model: optString(d.Model), ModelConfig: d.ModelConfig}
		t.Input = e.field(audioJSON{Data: base64.StdEncoding.EncodeToString(d.Input), Format: audioFormat(d.InputFormat)})
		if d.Output != "" {
			t.Output = e.field(d.Output)
		}
		return t
	case *spans.Speech:
		s := speechJSON{Type: "speech", Model: optString(d.Model), ModelConfig: d.ModelConfig,
			FirstContentAt: optTime(d.FirstContentAt)}
		if d.Input != "" {
			s.Input = e.field(d.Input)
		}
		s.Output = e.field(audioJSON{Data: base64.StdEncoding.EncodeToString(d.Output), Format: audioFormat(d.OutputFormat)})
		return s
	case *spans.SpeechGroup:
		g := speechGroupJSON{Type: "speech_group"}
		if d.Input != "" {
			g.Input = e.field(d.Input)
		}
		return g
	case *spans.Custom:
		data := d.Data
		if data == nil {
			data = map[string]any{} // Python's custom_span sends data or {}
		}
		return customJSON{Type: "custom", Name: d.Name, Data: data}
	case *spans.Response:
		if e.rules { // the OpenAI endpoint takes usage on generations only
			return responseJSON{Type: "response", ResponseID: optString(d.ResponseID)}
		}
		r := responseFullJSON{Type: "response", ResponseID: optString(d.ResponseID)}
		if d.Usage != nil {
			u := fullUsage(d.Usage)
			r.Usage = &u
		}
		return r
	case *spans.MCPListTools:
		return mcpToolsJSON{Type: "mcp_tools", Server: optString(d.Server), Result: d.Result}
	case *spans.Task:
		td := taskDataJSON{SDKSpanType: "task", Name: d.Name}
		if u := d.Usage; u != nil {
			td.Usage = &taskUsage{Requests: u.Requests, InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
				TotalTokens: u.Total(), CachedInputTokens: u.CachedInputTokens, CacheWriteInputTokens: u.CacheWriteInputTokens}
		}
		return customJSON{Type: "custom", Name: "task", Data: td}
	case *spans.Turn:
		td := turnDataJSON{SDKSpanType: "turn", Turn: d.Turn, AgentName: d.AgentName}
		if u := d.Usage; u != nil {
			td.Usage = &turnUsage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
				CachedInputTokens: u.CachedInputTokens, CacheWriteInputTokens: u.CacheWriteInputTokens}
		}
		return customJSON{Type: "custom", Name: "turn", Data: td}
	case *spans.Embedding:
		ed := embeddingDataJSON{SDKSpanType: "embedding", Model: optString(d.Model), Dimensions: d.Dimensions, Count: d.Count}
		if d.Input != nil {
			ed.Input = e.field(d.Input)
		}
		if d.Usage != nil {
			u := fullUsage(d.Usage)
			ed.Usage = &u
		}
		return customJSON{Type: "custom", Name: "embedding", Data: ed}
	case *spans.Retriever:
		rd := retrieverDataJSON{SDKSpanType: "retriever", Name: d.Name, TopK: d.TopK}
		if d.Query != "" {
			rd.Query = e.field(d.Query)
		}
		for _, doc := range d.Documents {
			rd.Documents = append(rd.Documents, documentJSON{doc.ID, doc.Content, doc.Score, doc.Metadata})
		}
		return customJSON{Type: "custom", Name: "retriever", Data: rd}
	case *spans.Prompt:
		pd := promptDataJSON{SDKSpanType: "prompt", Name: d.Name, Variables: d.Variables}
		if d.Template != nil {
			pd.Template = e.field(d.Template)
		}
		if d.Output != nil {
			pd.Output = e.field(d.Output)
		}
		return customJSON{Type: "custom", Name: "prompt", Data: pd}
	}
	return nil
}

// field returns an input or output value, truncated under the payload rules.
func (e *encoder) field(v any) any {
	if !e.rules {
		return v
	}
	return truncateField(v, maxFieldBytes)
}

func fullUsage(u *spans.Usage) usageJSON {
	return usageJSON{
		Requests: u.Requests, InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, TotalTokens: u.Total(),
		InputTokensDetails:  cachedJSON{u.CachedInputTokens},
		OutputTokensDetails: reasoningJSON{u.ReasoningTokens},
	}
}

// ingestUsage is the usage rewrite the OpenAI endpoint requires: the two
// token counts on top and everything else under details.
func ingestUsage(u *spans.Usage) ingestUsageJSON {
	return ingestUsageJSON{
		InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
		Details: ingestUsageDetails{
			Requests: u.Requests, TotalTokens: u.Total(),
			InputTokensDetails:  cachedJSON{u.CachedInputTokens},
			OutputTokensDetails: reasoningJSON{u.ReasoningTokens},
		},
	}
}

// audioFormat defaults to "pcm", as the Python SDK does.
func audioFormat(f string) string {
	if f == "" {
		return "pcm"
	}
	return f
}

// isNilData reports whether d is nil or a nil pointer: the data of a zero
// tracing.Span, or of a span started with a typed nil and not yet ended.
func isNilData(d spans.Data) bool {
	if d == nil {
		return true
	}
	rv := reflect.ValueOf(d)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := formatTime(t)
	return &s
}

// formatTime formats t as Python's datetime.isoformat() does for an aware
// UTC time: microseconds (truncated, not rounded), omitted when zero, and
// "+00:00".
func formatTime(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05+00:00")
	}
	return t.Format("2006-01-02T15:04:05.000000+00:00")
}
