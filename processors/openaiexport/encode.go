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

// encoder turns traces and spans into the JSON items of an ingest request.
// rules says whether the OpenAI endpoint's payload rules apply; limit is the
// field limit (see limits.go), which follows from rules.
type encoder struct {
	rules bool
	limit int
	buf   bytes.Buffer

	fieldBuf bytes.Buffer // scratch for field encodings (see field)
	fieldEnc *json.Encoder
}

func newEncoder(rules bool) encoder {
	e := encoder{rules: rules, limit: maxCustomFieldBytes}
	if rules {
		e.limit = maxFieldBytes
	}
	return e
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
		ID:           clampID(t.ID()),
		WorkflowName: clampName(t.Name()),
		GroupID:      optName(t.GroupID()),
		Metadata:     e.dataMap(t.Metadata()),
	})
	if err != nil {
		return nil, fmt.Errorf("openaiexport: encode trace %s: %w", clampID(t.ID()), err)
	}
	return b, nil
}

// span encodes s, whose trace tr and data d the caller has read from s and
// checked: neither is nil.
func (e *encoder) span(s *tracing.Span, tr *tracing.Trace, d spans.Data) ([]byte, error) {
	out := spanJSON{
		Object:    "trace.span",
		ID:        clampID(s.ID()),
		TraceID:   clampID(tr.ID()),
		ParentID:  optString(clampID(s.ParentID())),
		StartedAt: optTime(s.StartTime()),
		EndedAt:   optTime(s.EndTime()),
		SpanData:  e.spanData(d),
	}
	if se := s.Error(); se != nil {
		out.Error = &errorJSON{Message: clampString(se.Message, e.limit), Data: e.dataMap(se.Data)}
	}
	if md := spanMetadata(s, tr); len(md) > 0 {
		out.Metadata = e.data(md)
	}
	b, err := e.marshal(out)
	if err != nil {
		return nil, fmt.Errorf("openaiexport: encode span %s: %w", clampID(s.ID()), err)
	}
	return b, nil
}

// spanData maps typed span data to the span_data object of its kind. d must
// not be a nil pointer (see isNilData). Every field is clamped (see
// limits.go).
func (e *encoder) spanData(d spans.Data) any {
	switch d := d.(type) {
	case *spans.Agent:
		return agentJSON{Type: "agent", Name: clampName(d.Name), Handoffs: e.names(d.Handoffs), Tools: e.names(d.Tools),
			OutputType: optName(d.OutputType)}
	case *spans.Generation:
		g := generationJSON{Type: "generation", Model: optName(d.Model), ModelConfig: e.dataMap(d.ModelConfig)}
		if d.Input != nil {
			g.Input = e.content(d.Input)
		}
		if d.Output != nil {
			g.Output = e.content(outputMessages(d.Output))
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
		f := functionJSON{Type: "function", Name: clampName(d.Name), MCPData: e.dataMap(d.MCPData)}
		if d.Input != "" {
			f.Input = e.content(d.Input)
		}
		if out, ok := functionOutput(d.Output); ok {
			f.Output = e.content(out)
		}
		return f
	case *spans.Guardrail:
		return guardrailJSON{Type: "guardrail", Name: clampName(d.Name), Triggered: d.Triggered}
	case *spans.Handoff:
		return handoffJSON{Type: "handoff", FromAgent: optName(d.From), ToAgent: optName(d.To)}
	case *spans.Transcription:
		t := transcriptionJSON{Type: "transcription", Model: optName(d.Model), ModelConfig: e.dataMap(d.ModelConfig)}
		t.Input = e.content(audioJSON{Data: base64.StdEncoding.EncodeToString(d.Input), Format: clampName(audioFormat(d.InputFormat))})
		if d.Output != "" {
			t.Output = e.content(d.Output)
		}
		return t
	case *spans.Speech:
		s := speechJSON{Type: "speech", Model: optName(d.Model), ModelConfig: e.dataMap(d.ModelConfig),
			FirstContentAt: optTime(d.FirstContentAt)}
		if d.Input != "" {
			s.Input = e.content(d.Input)
		}
		s.Output = e.content(audioJSON{Data: base64.StdEncoding.EncodeToString(d.Output), Format: clampName(audioFormat(d.OutputFormat))})
		return s
	case *spans.SpeechGroup:
		g := speechGroupJSON{Type: "speech_group"}
		if d.Input != "" {
			g.Input = e.content(d.Input)
		}
		return g
	case *spans.Custom:
		data := emptyObject // Python's custom_span sends data or {}
		if m := customData(d); m != nil {
			data = e.data(m)
		}
		return customJSON{Type: "custom", Name: clampName(d.Name), Data: data}
	case *spans.Response:
		if e.rules { // the OpenAI endpoint takes usage on generations only
			return responseJSON{Type: "response", ResponseID: optName(d.ResponseID)}
		}
		r := responseFullJSON{Type: "response", ResponseID: optName(d.ResponseID)}
		if d.Usage != nil {
			u := fullUsage(d.Usage)
			r.Usage = &u
		}
		return r
	case *spans.MCPListTools:
		return mcpToolsJSON{Type: "mcp_tools", Server: optName(d.Server), Result: e.names(d.Result)}
	case *spans.Task:
		td := taskDataJSON{SDKSpanType: "task", Name: clampName(d.Name)}
		if u := d.Usage; u != nil {
			td.Usage = &taskUsage{Requests: u.Requests, InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
				TotalTokens: u.Total(), CachedInputTokens: u.CachedInputTokens, CacheWriteInputTokens: u.CacheWriteInputTokens}
		}
		return customJSON{Type: "custom", Name: "task", Data: td}
	case *spans.Turn:
		td := turnDataJSON{SDKSpanType: "turn", Turn: d.Turn, AgentName: clampName(d.AgentName)}
		if u := d.Usage; u != nil {
			td.Usage = &turnUsage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
				CachedInputTokens: u.CachedInputTokens, CacheWriteInputTokens: u.CacheWriteInputTokens}
		}
		return customJSON{Type: "custom", Name: "turn", Data: td}
	case *spans.Embedding:
		ed := embeddingDataJSON{SDKSpanType: "embedding", Model: optName(d.Model), Dimensions: d.Dimensions, Count: d.Count}
		if d.Input != nil {
			ed.Input = e.content(d.Input)
		}
		if d.Usage != nil {
			u := fullUsage(d.Usage)
			ed.Usage = &u
		}
		return customJSON{Type: "custom", Name: "embedding", Data: ed}
	case *spans.Retriever:
		rd := retrieverDataJSON{SDKSpanType: "retriever", Name: clampName(d.Name), TopK: d.TopK}
		if d.Query != "" {
			rd.Query = e.content(d.Query)
		}
		if d.Documents != nil {
			docs := make([]documentJSON, len(d.Documents))
			for i, doc := range d.Documents {
				docs[i] = documentJSON{ID: clampName(doc.ID), Content: doc.Content, Score: doc.Score}
				if doc.Metadata != nil {
					docs[i].Metadata = e.data(doc.Metadata)
				}
			}
			rd.Documents = e.content(docs)
		}
		return customJSON{Type: "custom", Name: "retriever", Data: rd}
	case *spans.Prompt:
		pd := promptDataJSON{SDKSpanType: "prompt", Name: clampName(d.Name), Variables: e.dataMap(d.Variables)}
		if d.Template != nil {
			pd.Template = e.content(d.Template)
		}
		if d.Output != nil {
			pd.Output = e.content(d.Output)
		}
		return customJSON{Type: "custom", Name: "prompt", Data: pd}
	}
	return nil
}

// emptyObject is the data of a custom span that has none.
var emptyObject = json.RawMessage("{}")

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

// customData returns a custom span's data with its input and output, when
// set, under the keys "input" and "output" (keys of data by those names
// win): Python's custom spans have data only. The span's map is not
// changed.
func customData(d *spans.Custom) map[string]any {
	if d.Input == nil && d.Output == nil {
		return d.Data
	}
	m := make(map[string]any, len(d.Data)+2)
	if d.Input != nil {
		m["input"] = d.Input
	}
	if d.Output != nil {
		m["output"] = d.Output
	}
	for k, v := range d.Data {
		m[k] = v
	}
	return m
}
