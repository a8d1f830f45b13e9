package openaitrace

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/agenttrace/agenttrace-go/spans"
)

// chatNotConfig are the Chat Completions request fields left out of the
// model config: those with a field of their own on the span, and those
// holding content (a predicted output is content).
var chatNotConfig = []string{"model", "messages", "tools", "functions", "stream", "prediction"}

// chatRequest fills gen from a Chat Completions request body: model, input
// messages (unless content is false: they are then not even decoded),
// tools and model config. It reports whether the request asks for a
// stream. A body that is not a JSON object fills nothing.
func chatRequest(body []byte, gen *spans.Generation, content bool) (stream bool) {
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		return false
	}
	_ = json.Unmarshal(req["model"], &gen.Model)
	_ = json.Unmarshal(req["stream"], &stream)
	if content {
		gen.Input = messages(req["messages"])
	}
	gen.Tools = tools(req["tools"], req["functions"])
	gen.ModelConfig = modelConfig(req, chatNotConfig)
	return stream
}

// completionJSON is a Chat Completions response.
type completionJSON struct {
	ID      string `json:"id"`
	Model   string `json:"model"`
	Choices []struct {
		Message      json.RawMessage `json:"message"`
		FinishReason string          `json:"finish_reason"`
	} `json:"choices"`
	Usage *chatUsage `json:"usage"`
}

// chatResponse fills gen from a Chat Completions response body: the output
// message of every choice (unless content is false), usage, the first
// choice's finish reason and the response id. It returns the model the
// response names, and false when the body is not a completion.
func chatResponse(body []byte, gen *spans.Generation, content bool) (model string, ok bool) {
	var c completionJSON
	if json.Unmarshal(body, &c) != nil || (c.ID == "" && c.Choices == nil && c.Usage == nil) {
		return "", false
	}
	setCompletion(gen, &c, content)
	return c.Model, true
}

// setCompletion fills gen from a decoded completion.
func setCompletion(gen *spans.Generation, c *completionJSON, content bool) {
	if len(c.Choices) > 0 {
		if content {
			gen.Output = make([]spans.Message, len(c.Choices))
			for i, ch := range c.Choices {
				gen.Output[i] = message(ch.Message)
			}
		}
		gen.FinishReason = c.Choices[0].FinishReason
	}
	gen.Usage = c.Usage.usage()
	gen.ResponseID = c.ID
	if gen.Model == "" {
		gen.Model = c.Model
	}
}

// messages decodes a list of chat messages in one pass, or message by
// message (see message) when one of them has a shape spans.Message does
// not read.
func messages(raw json.RawMessage) []spans.Message {
	var out []spans.Message
	if json.Unmarshal(raw, &out) == nil {
		if len(out) == 0 {
			return nil
		}
		return out
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return nil
	}
	out = make([]spans.Message, len(list))
	for i, m := range list {
		out[i] = message(m)
	}
	return out
}

// message decodes one chat message. A message of a shape spans.Message
// does not read keeps its role, and its JSON text as its content.
func message(raw json.RawMessage) spans.Message {
	var m spans.Message
	if err := json.Unmarshal(raw, &m); err == nil {
		return m
	}
	var role struct {
		Role string `json:"role"`
	}
	_ = json.Unmarshal(raw, &role)
	return spans.Message{Role: role.Role, Content: string(bytes.TrimSpace(raw))}
}

// tools decodes the tools offered: a tools list (see toolList) and the
// legacy functions list.
func tools(list, legacy json.RawMessage) []spans.Tool {
	out := toolList(list)
	var fns []json.RawMessage
	_ = json.Unmarshal(legacy, &fns)
	for _, r := range fns {
		var t spans.Tool
		if json.Unmarshal(r, &t) == nil {
			out = append(out, t)
		}
	}
	return out
}

// toolList decodes a tools list: function tools, custom tools (their
// format as the parameters); a tool of another type is named after its
// type.
func toolList(list json.RawMessage) []spans.Tool {
	var raws []json.RawMessage
	if json.Unmarshal(list, &raws) != nil || len(raws) == 0 {
		return nil
	}
	out := make([]spans.Tool, 0, len(raws))
	for _, r := range raws {
		out = append(out, tool(r))
	}
	return out
}

// tool decodes one entry of a tools list.
func tool(raw json.RawMessage) spans.Tool {
	var w struct {
		Type   string `json:"type"`
		Custom *struct {
			Name        string          `json:"name"`
			Description string          `json:"description"`
			Format      json.RawMessage `json:"format"`
		} `json:"custom"`
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &w) != nil {
		return spans.Tool{}
	}
	switch {
	case w.Type == "function" || w.Type == "":
		var t spans.Tool
		_ = json.Unmarshal(raw, &t)
		return t
	case w.Custom != nil:
		t := spans.Tool{Name: w.Custom.Name, Description: w.Custom.Description}
		if len(w.Custom.Format) > 0 {
			t.Parameters = string(w.Custom.Format)
		}
		return t
	case w.Name != "":
		return spans.Tool{Name: w.Name}
	}
	return spans.Tool{Name: w.Type}
}

// modelConfig returns the fields of req not in skip, decoded as JSON
// values (numbers as json.Number, so integers stay exact); nil when none
// remain.
func modelConfig(req map[string]json.RawMessage, skip []string) map[string]any {
	var cfg map[string]any
	for k, raw := range req {
		if slices.Contains(skip, k) {
			continue
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		if d.Decode(&v) != nil || v == nil {
			continue
		}
		if cfg == nil {
			cfg = make(map[string]any, len(req))
		}
		cfg[k] = v
	}
	return cfg
}
