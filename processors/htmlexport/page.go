package htmlexport

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// MaxValueBytes bounds each input, output or data section of a page; longer
// values are cut and marked so.
const MaxValueBytes = 64 << 10

// page is what the template renders.
type page struct {
	Title    string
	TraceID  string
	GroupID  string
	Started  string
	Duration string
	Ended    bool
	Spans    []row
	Errors   int
	Tokens   string
	Trace    []section // the trace's own input, output and metadata
	Ticks    []string  // time axis labels at 0, 25, 50, 75 and 100 %
}

// row is one span of the waterfall.
type row struct {
	ID       string
	Depth    int
	Indent   template.CSS // the name column's padding for Depth
	Kind     string
	Name     string
	Bar      template.CSS // the bar's left and width, in % of the trace
	Start    string       // offset from the trace's start
	Duration string
	Model    string
	Tokens   string
	Error    string
	Notes    []string // short facts of the kind: "triggered", "stream", ...
	Sections []section
}

// section is an expandable block of a span: a label and its text. Inputs,
// outputs and errors start open, the rest closed.
type section struct {
	Label string
	Text  string
}

// Open reports whether the section starts expanded.
func (s section) Open() bool {
	switch s.Label {
	case "input", "output", "error data", "data":
		return true
	}
	return false
}

// buildPage lays out a trace and its ended spans: depth-first in start
// order, with bars placed on the trace's time line.
func buildPage(t *tracing.Trace, list []*tracing.Span, ended bool) page {
	start, end := t.StartTime(), t.EndTime()
	for _, s := range list {
		if start.IsZero() || s.StartTime().Before(start) {
			start = s.StartTime()
		}
		if s.EndTime().After(end) {
			end = s.EndTime()
		}
	}
	total := end.Sub(start)
	p := page{
		Title:   t.Name(),
		TraceID: t.ID(),
		GroupID: t.GroupID(),
		Ended:   ended,
	}
	if !start.IsZero() {
		p.Started = start.UTC().Format("2006-01-02 15:04:05.000 UTC")
	}
	p.Duration = formatDuration(total)
	for i := range 5 {
		p.Ticks = append(p.Ticks, formatDuration(total*time.Duration(i)/4))
	}
	p.Trace = appendValue(p.Trace, "input", t.Input())
	p.Trace = appendValue(p.Trace, "output", t.Output())
	if md := t.Metadata(); len(md) > 0 {
		p.Trace = appendValue(p.Trace, "metadata", md)
	}

	children := map[string][]*tracing.Span{}
	known := map[string]bool{}
	for _, s := range list {
		known[s.ID()] = true
	}
	for _, s := range list {
		parent := s.ParentID()
		if !known[parent] {
			parent = "" // a root span, or the child of a span that never ended
		}
		children[parent] = append(children[parent], s)
	}
	for _, c := range children {
		slices.SortFunc(c, func(a, b *tracing.Span) int {
			return cmp.Or(a.StartTime().Compare(b.StartTime()), a.EndTime().Compare(b.EndTime()), cmp.Compare(a.ID(), b.ID()))
		})
	}
	var in, out int64
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, s := range children[parent] {
			r := buildRow(s, depth, start, total)
			if r.Error != "" {
				p.Errors++
			}
			if u := usageOf(s.Data()); u != nil && s.Kind() != spans.KindTask && s.Kind() != spans.KindTurn {
				in, out = in+u.InputTokens, out+u.OutputTokens
			}
			p.Spans = append(p.Spans, r)
			walk(s.ID(), depth+1)
		}
	}
	walk("", 0)
	if in > 0 || out > 0 {
		p.Tokens = fmt.Sprintf("%d in / %d out", in, out)
	}
	return p
}

func buildRow(s *tracing.Span, depth int, start time.Time, total time.Duration) row {
	d := s.Data()
	r := row{
		ID:       s.ID(),
		Depth:    depth,
		Indent:   template.CSS("padding-left:" + strconv.Itoa(8+depth*18) + "px"),
		Kind:     s.Kind().String(),
		Name:     spanLabel(s),
		Start:    "+" + formatDuration(s.StartTime().Sub(start)),
		Duration: formatDuration(s.EndTime().Sub(s.StartTime())),
		Model:    modelOf(d),
	}
	left, width := 0.0, 100.0
	if total > 0 {
		left = 100 * float64(s.StartTime().Sub(start)) / float64(total)
		width = 100 * float64(s.EndTime().Sub(s.StartTime())) / float64(total)
	}
	left = min(max(left, 0), 100)
	width = min(max(width, 0.4), 100-left)
	r.Bar = template.CSS(fmt.Sprintf("left:%.3f%%;width:%.3f%%", left, width))
	if u := usageOf(d); u != nil {
		r.Tokens = fmt.Sprintf("%d in / %d out", u.InputTokens, u.OutputTokens)
	}
	if err := s.Error(); err != nil {
		r.Error = err.Message
		if len(err.Data) > 0 {
			r.Sections = appendValue(r.Sections, "error data", err.Data)
		}
	}
	r.Notes, r.Sections = describe(d, r.Sections)
	if md := s.Metadata(); len(md) > 0 {
		r.Sections = appendValue(r.Sections, "metadata", md)
	}
	return r
}

// spanLabel is the span's name as the console prints it: the model of a
// model call goes in its own column instead.
func spanLabel(s *tracing.Span) string {
	switch d := s.Data().(type) {
	case *spans.Generation:
		return cmp.Or(d.Model, "generation")
	case *spans.Turn:
		return d.AgentName
	case nil:
		return s.Name()
	default:
		return s.Name()
	}
}

func modelOf(d spans.Data) string {
	switch d := d.(type) {
	case *spans.Generation:
		return d.Model
	case *spans.Response:
		return d.Model
	case *spans.Transcription:
		return d.Model
	case *spans.Speech:
		return d.Model
	case *spans.Embedding:
		return d.Model
	}
	return ""
}

func usageOf(d spans.Data) *spans.Usage {
	switch d := d.(type) {
	case *spans.Generation:
		return d.Usage
	case *spans.Response:
		return d.Usage
	case *spans.Embedding:
		return d.Usage
	case *spans.Task:
		return d.Usage
	case *spans.Turn:
		return d.Usage
	}
	return nil
}

// describe returns the short facts of a span's kind and appends its input,
// output and other data to secs.
func describe(d spans.Data, secs []section) ([]string, []section) {
	var notes []string
	switch d := d.(type) {
	case *spans.Agent:
		secs = appendValue(secs, "input", d.Input)
		secs = appendValue(secs, "output", d.Output)
		if len(d.Tools) > 0 {
			notes = append(notes, "tools: "+strings.Join(d.Tools, ", "))
		}
		if len(d.Handoffs) > 0 {
			notes = append(notes, "handoffs: "+strings.Join(d.Handoffs, ", "))
		}
	case *spans.Generation:
		secs = appendValue(secs, "input", nonNil(d.Input))
		secs = appendValue(secs, "output", nonNil(d.Output))
		if len(d.Tools) > 0 {
			secs = appendValue(secs, "tools", d.Tools)
		}
		if len(d.ModelConfig) > 0 {
			secs = appendValue(secs, "model config", d.ModelConfig)
		}
		if d.Stream {
			notes = append(notes, "stream")
		}
		if d.FinishReason != "" {
			notes = append(notes, "finish: "+d.FinishReason)
		}
	case *spans.Function:
		secs = appendValue(secs, "input", jsonText(d.Input))
		secs = appendValue(secs, "output", d.Output)
		if len(d.MCPData) > 0 {
			secs = appendValue(secs, "mcp", d.MCPData)
		}
	case *spans.Guardrail:
		if d.Triggered {
			notes = append(notes, "triggered")
		} else {
			notes = append(notes, "passed")
		}
	case *spans.Handoff:
		notes = append(notes, d.From+" → "+d.To)
	case *spans.Transcription:
		if len(d.Input) > 0 {
			secs = append(secs, section{"input", audioNote(len(d.Input), d.InputFormat)})
		}
		secs = appendValue(secs, "output", d.Output)
	case *spans.Speech:
		secs = appendValue(secs, "input", d.Input)
		if len(d.Output) > 0 {
			secs = append(secs, section{"output", audioNote(len(d.Output), d.OutputFormat)})
		}
	case *spans.SpeechGroup:
		secs = appendValue(secs, "input", d.Input)
	case *spans.Custom:
		secs = appendValue(secs, "data", nonNilMap(d.Data))
	case *spans.Response:
		secs = appendValue(secs, "input", d.Input)
		secs = appendValue(secs, "output", d.Output)
	case *spans.MCPListTools:
		secs = appendValue(secs, "output", nonNil(d.Result))
	case *spans.Embedding:
		secs = appendValue(secs, "input", nonNil(d.Input))
	case *spans.Retriever:
		secs = appendValue(secs, "input", d.Query)
		secs = appendValue(secs, "output", nonNil(d.Documents))
	case *spans.Prompt:
		secs = appendValue(secs, "template", nonNil(d.Template))
		secs = appendValue(secs, "variables", nonNilMap(d.Variables))
		secs = appendValue(secs, "output", nonNil(d.Output))
	case *spans.Turn:
		notes = append(notes, "turn "+strconv.Itoa(d.Turn))
	}
	return notes, secs
}

// nonNil turns an empty slice into nil, so that it shows no section.
func nonNil[T any](s []T) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nonNilMap(m map[string]any) any {
	if len(m) == 0 {
		return nil
	}
	return m
}

// jsonText is JSON text to indent, or plain text when it is not JSON.
type jsonText string

func audioNote(n int, format string) string {
	return fmt.Sprintf("(%d bytes of %s audio)", n, cmp.Or(format, "unknown"))
}

// appendValue appends v as a section labelled label, unless v is empty.
// Strings are shown as they are, JSON text indented, anything else as
// indented JSON; a value that cannot be encoded is described instead.
func appendValue(secs []section, label string, v any) []section {
	var text string
	switch v := v.(type) {
	case nil:
		return secs
	case string:
		if v == "" {
			return secs
		}
		text = v
	case jsonText:
		if v == "" {
			return secs
		}
		var buf bytes.Buffer
		if json.Indent(&buf, []byte(v), "", "  ") == nil {
			text = buf.String()
		} else {
			text = string(v)
		}
	case json.RawMessage:
		var buf bytes.Buffer
		if json.Indent(&buf, v, "", "  ") == nil {
			text = buf.String()
		} else {
			text = string(v)
		}
	default:
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			text = fmt.Sprintf("(not encodable as JSON: %v)", err)
		} else {
			text = string(b)
		}
	}
	return append(secs, section{Label: label, Text: clip(text)})
}

// clip cuts s to MaxValueBytes at a rune boundary, saying how much was left
// out.
func clip(s string) string {
	if len(s) <= MaxValueBytes {
		return s
	}
	cut := MaxValueBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n… (%d more bytes)", len(s)-cut)
}

// formatDuration prints a duration with three significant digits at most.
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		return trimFloat(float64(d)/float64(time.Microsecond)) + "µs"
	case d < time.Second:
		return trimFloat(float64(d)/float64(time.Millisecond)) + "ms"
	case d < time.Minute:
		return trimFloat(d.Seconds()) + "s"
	}
	return d.Round(time.Second).String()
}

func trimFloat(f float64) string {
	prec := 0
	switch {
	case f < 10:
		prec = 2
	case f < 100:
		prec = 1
	}
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
