package anthropictrace

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/agenttrace/agenttrace-go/spans"
)

// requestData fills gen from a request body: model, tools, model config
// and, when content is set, the system prompt and messages. It reports
// whether the body decoded.
func requestData(gen *spans.Generation, body []byte, content bool) bool {
	var w wireRequest
	if content {
		if json.Unmarshal(body, &w) != nil {
			return false
		}
		gen.Input = inputMessages(w.System, w.Messages)
	} else if json.Unmarshal(body, &w.wireSettings) != nil {
		return false
	}
	gen.Model = w.Model
	gen.Stream = w.Stream
	gen.Tools = convertTools(w.Tools)
	gen.ModelConfig = modelConfig(&w.wireSettings)
	return true
}

// responseData fills gen from a decoded message: its id, model, stop
// reason, usage and, when content is set, the output message.
func responseData(gen *spans.Generation, r *wireResponse, content bool) {
	if r.ID != "" {
		gen.ResponseID = r.ID
	}
	if r.Model != "" {
		gen.Model = r.Model
	}
	if r.StopReason != "" {
		gen.FinishReason = r.StopReason
	}
	if r.Usage != nil {
		gen.Usage = convertUsage(r.Usage)
	}
	if content {
		gen.Output = []spans.Message{outputMessage(blockList(r.Content))}
	}
}

// modelConfig returns the request parameters worth recording, under
// their Anthropic names; a request has at least max_tokens.
func modelConfig(w *wireSettings) map[string]any {
	cfg := make(map[string]any, 4)
	if w.MaxTokens != nil {
		cfg["max_tokens"] = *w.MaxTokens
	}
	if w.Temperature != nil {
		cfg["temperature"] = *w.Temperature
	}
	if w.TopP != nil {
		cfg["top_p"] = *w.TopP
	}
	if w.TopK != nil {
		cfg["top_k"] = *w.TopK
	}
	if len(w.StopSequences) > 0 {
		cfg["stop_sequences"] = w.StopSequences
	}
	if tc := w.ToolChoice; tc != nil && tc.Type != "" {
		if tc.Type == "tool" {
			cfg["tool_choice"] = map[string]any{"type": "tool", "name": tc.Name}
		} else {
			cfg["tool_choice"] = tc.Type
		}
		if tc.DisableParallelToolUse {
			cfg["disable_parallel_tool_use"] = true
		}
	}
	if th := w.Thinking; th != nil && th.Type != "" {
		cfg["thinking"] = th.Type
		if th.BudgetTokens > 0 {
			cfg["thinking_budget_tokens"] = th.BudgetTokens
		}
	}
	if oc := w.OutputConfig; oc != nil {
		if oc.Effort != "" {
			cfg["effort"] = oc.Effort
		}
		if oc.Format != nil && oc.Format.Type != "" {
			cfg["output_format"] = oc.Format.Type
		}
	}
	if w.ServiceTier != "" {
		cfg["service_tier"] = w.ServiceTier
	}
	if len(cfg) == 0 {
		return nil
	}
	return cfg
}

// convertUsage returns the usage of a message. Anthropic counts the
// tokens read from and written to the prompt cache apart from input_tokens;
// spans.Usage counts them as parts of InputTokens, as OpenTelemetry's GenAI
// conventions do.
func convertUsage(u *wireUsage) *spans.Usage {
	if u == nil {
		return nil
	}
	out := &spans.Usage{
		InputTokens:           val(u.InputTokens) + val(u.CacheCreationInputTokens) + val(u.CacheReadInputTokens),
		OutputTokens:          val(u.OutputTokens),
		CachedInputTokens:     val(u.CacheReadInputTokens),
		CacheWriteInputTokens: val(u.CacheCreationInputTokens),
	}
	if d := u.OutputTokensDetails; d != nil {
		out.ReasoningTokens = val(d.ThinkingTokens)
	}
	return out
}

// mergeUsage overrides the counts of u with those that d carries: the
// counts of a message_delta event are running totals for the message.
func mergeUsage(u *wireUsage, d *wireUsage) {
	if d == nil {
		return
	}
	set := func(dst **int64, src *int64) {
		if src != nil {
			v := *src
			*dst = &v
		}
	}
	set(&u.InputTokens, d.InputTokens)
	set(&u.OutputTokens, d.OutputTokens)
	set(&u.CacheCreationInputTokens, d.CacheCreationInputTokens)
	set(&u.CacheReadInputTokens, d.CacheReadInputTokens)
	if d.OutputTokensDetails != nil && d.OutputTokensDetails.ThinkingTokens != nil {
		u.OutputTokensDetails = d.OutputTokensDetails
	}
}

func val(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// convertTools returns the tools offered. A server tool (web search, code
// execution, ...) has no description or schema: its type stands in for
// the description.
func convertTools(raw []json.RawMessage) []spans.Tool {
	if len(raw) == 0 {
		return nil
	}
	out := make([]spans.Tool, 0, len(raw))
	for _, r := range raw {
		var t wireTool
		if json.Unmarshal(r, &t) != nil {
			continue
		}
		st := spans.Tool{Name: t.Name, Description: t.Description, Strict: t.Strict}
		if len(t.InputSchema) > 0 {
			st.Parameters = compactJSON(t.InputSchema)
		}
		if st.Description == "" && t.Type != "" && t.Type != "custom" {
			st.Description = t.Type
		}
		out = append(out, st)
	}
	return out
}

// inputMessages returns the system prompt, as a "system" message, and the
// messages of a request in the chat-completions shape of spans.Message.
func inputMessages(system, messages json.RawMessage) []spans.Message {
	var list []wireMessage
	if len(messages) > 0 && json.Unmarshal(messages, &list) != nil {
		list = nil
	}
	out := make([]spans.Message, 0, len(list)+1)
	if s, ok := systemMessage(system); ok {
		out = append(out, s)
	}
	for _, m := range list {
		out = appendMessage(out, m.Role, m.Content)
	}
	return out
}

// systemMessage converts a request's system prompt: a string, or a list of
// text blocks.
func systemMessage(raw json.RawMessage) (spans.Message, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return spans.Message{}, false
	}
	var out []spans.Message
	out = appendMessage(out, "system", raw)
	if len(out) == 0 {
		return spans.Message{}, false
	}
	return out[0], true
}

// appendMessage appends the spans messages of one Anthropic message to out.
// Its content is a string or a list of blocks (see [appendBlocks]).
func appendMessage(out []spans.Message, role string, content json.RawMessage) []spans.Message {
	content = bytes.TrimSpace(content)
	if len(content) > 0 && content[0] == '"' {
		var s string
		if json.Unmarshal(content, &s) == nil {
			out = append(out, spans.Message{Role: role, Content: s})
		}
		return out
	}
	return appendBlocks(out, role, blockList(content))
}

// appendBlocks appends the spans messages that the content blocks of one
// message make. Each tool_result block becomes a "tool" message of its own,
// in the order of the blocks; tool_use blocks become ToolCalls, thinking
// blocks ReasoningContent, and the other blocks content parts.
func appendBlocks(out []spans.Message, role string, blocks []wireBlock) []spans.Message {
	cur := spans.Message{Role: role}
	open := false
	flush := func() {
		if open {
			out = append(out, finishParts(cur))
		}
		cur, open = spans.Message{Role: role}, false
	}
	for _, b := range blocks {
		switch b.Type {
		case "tool_result":
			flush()
			out = append(out, toolMessage(b))
		case "tool_use", "server_tool_use", "mcp_tool_use":
			cur.ToolCalls = append(cur.ToolCalls, spans.ToolCall{
				ID: b.ID, Type: "function", Name: b.Name, Arguments: arguments(b.Input),
			})
			open = true
		case "thinking":
			if cur.ReasoningContent != "" {
				cur.ReasoningContent += "\n"
			}
			cur.ReasoningContent += b.Thinking
			open = true
		case "redacted_thinking":
			// encrypted: nothing readable to record
		default:
			cur.Parts = append(cur.Parts, blockParts(b)...)
			open = true
		}
	}
	flush()
	return out
}

// outputMessage converts the content blocks of a response into the one
// assistant message they make.
func outputMessage(blocks []wireBlock) spans.Message {
	out := appendBlocks(nil, "assistant", blocks)
	if len(out) == 0 {
		return spans.Message{Role: "assistant"}
	}
	m := out[0]
	for _, extra := range out[1:] { // a response has no tool results; keep what comes regardless
		m.Parts = append(m.Parts, extra.Parts...)
		m.ToolCalls = append(m.ToolCalls, extra.ToolCalls...)
		if extra.Content != "" {
			m.Parts = append(m.Parts, spans.Part{Type: spans.PartText, Text: extra.Content})
		}
	}
	return m
}

// finishParts gives a message with one text part, or none, plain content.
func finishParts(m spans.Message) spans.Message {
	switch {
	case len(m.Parts) == 0:
		m.Parts = nil
	case len(m.Parts) == 1 && m.Parts[0].Type == spans.PartText:
		m.Content, m.Parts = m.Parts[0].Text, nil
	}
	return m
}

// toolMessage converts a tool_result block into a "tool" message.
func toolMessage(b wireBlock) spans.Message {
	m := spans.Message{Role: "tool", ToolCallID: b.ToolUseID}
	c := bytes.TrimSpace(b.Content)
	if len(c) > 0 && c[0] == '"' {
		_ = json.Unmarshal(c, &m.Content)
		return m
	}
	for _, inner := range blockList(c) {
		m.Parts = append(m.Parts, blockParts(inner)...)
	}
	return finishParts(m)
}

// blockParts converts a text, image or document block (or a block of
// another type, kept with its type and any text) into content parts.
func blockParts(b wireBlock) []spans.Part {
	switch b.Type {
	case "text":
		return []spans.Part{{Type: spans.PartText, Text: b.Text}}
	case "image":
		var s wireSource
		_ = json.Unmarshal(b.Source, &s)
		switch s.Type {
		case "base64":
			return []spans.Part{{Type: spans.PartImageURL, URL: dataURL(s.MediaType, s.Data)}}
		case "url":
			return []spans.Part{{Type: spans.PartImageURL, URL: s.URL}}
		case "file":
			return []spans.Part{{Type: spans.PartFile, FileID: s.FileID}}
		}
	case "document":
		var s wireSource
		_ = json.Unmarshal(b.Source, &s)
		switch s.Type {
		case "base64":
			return []spans.Part{{Type: spans.PartFile, Data: dataURL(s.MediaType, s.Data), Filename: b.Title}}
		case "url":
			return []spans.Part{{Type: spans.PartFile, Data: s.URL, Filename: b.Title}}
		case "file":
			return []spans.Part{{Type: spans.PartFile, FileID: s.FileID, Filename: b.Title}}
		case "text":
			return []spans.Part{{Type: spans.PartText, Text: s.Data}}
		case "content":
			c := bytes.TrimSpace(s.Content)
			if len(c) > 0 && c[0] == '"' {
				var text string
				_ = json.Unmarshal(c, &text)
				return []spans.Part{{Type: spans.PartText, Text: text}}
			}
			var parts []spans.Part
			for _, inner := range blockList(c) {
				parts = append(parts, blockParts(inner)...)
			}
			return parts
		}
	}
	return []spans.Part{{Type: b.Type, Text: b.Text}}
}

// blockList decodes a list of content blocks one by one, so that a block
// of an unknown shape does not lose the others.
func blockList(raw json.RawMessage) []wireBlock {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	out := make([]wireBlock, 0, len(items))
	for _, it := range items {
		var b wireBlock
		if json.Unmarshal(it, &b) != nil {
			var typed struct {
				Type string `json:"type"`
			}
			_ = json.Unmarshal(it, &typed)
			b = wireBlock{Type: typed.Type}
		}
		out = append(out, b)
	}
	return out
}

// arguments returns a tool call's input as compact JSON text; "{}" when
// there is none.
func arguments(input json.RawMessage) string {
	if len(bytes.TrimSpace(input)) == 0 {
		return "{}"
	}
	return compactJSON(input)
}

// compactJSON returns raw without insignificant space, or raw as is when it
// is not valid JSON.
func compactJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

func dataURL(mediaType, data string) string {
	var b strings.Builder
	b.Grow(len("data:;base64,") + len(mediaType) + len(data))
	b.WriteString("data:")
	b.WriteString(mediaType)
	b.WriteString(";base64,")
	b.WriteString(data)
	return b.String()
}
