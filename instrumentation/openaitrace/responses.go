package openaitrace

import (
	"bytes"
	"encoding/json"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// responseRequest fills r from a Responses API request body: the model, the
// tools offered, the model config (every other request field) and, unless
// content is false, the input (with the instructions, when given, as a
// leading system message). It reports whether the request asks for a
// stream.
func responseRequest(body []byte, r *spans.Response, content bool) (stream bool) {
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		return false
	}
	var instructions string
	_ = json.Unmarshal(req["model"], &r.Model)
	_ = json.Unmarshal(req["stream"], &stream)
	_ = json.Unmarshal(req["instructions"], &instructions)
	if content {
		r.Input = responseInput(req["input"], instructions)
	}
	r.Tools = toolList(req["tools"])
	r.ModelConfig = modelConfig(req, responseNotConfig)
	return stream
}

// responseNotConfig are the Responses request fields left out of the model
// config: those with a field of their own on the span, and those holding
// content (instructions are recorded with the input).
var responseNotConfig = []string{"model", "input", "instructions", "tools", "stream"}

// responseInput returns the input of a Responses request as recorded: a
// string input as a string and a list of items as its JSON text; with
// instructions, a list of items whose first is a system message holding
// them. It returns nil when there is neither.
func responseInput(input json.RawMessage, instructions string) any {
	input = bytes.TrimSpace(input)
	var text string
	isText := len(input) > 0 && input[0] == '"' && json.Unmarshal(input, &text) == nil
	isList := len(input) > 0 && input[0] == '['
	if instructions == "" {
		switch {
		case isText:
			return text
		case isList:
			return input
		}
		return nil
	}
	items := []any{inputMessage{"message", "system", instructions}}
	switch {
	case isText:
		items = append(items, inputMessage{"message", "user", text})
	case isList:
		var list []json.RawMessage
		if json.Unmarshal(input, &list) == nil {
			for _, it := range list {
				items = append(items, it)
			}
		}
	}
	return items
}

// inputMessage is a Responses input message with text content.
type inputMessage struct {
	Type    string `json:"type"`
	Role    string `json:"role"`
	Content string `json:"content"`
}

// responseJSON is a Responses API response object.
type responseJSON struct {
	ID     string          `json:"id"`
	Model  string          `json:"model"`
	Status string          `json:"status"`
	Output json.RawMessage `json:"output"`
	Usage  *responseUsage  `json:"usage"`
	Error  *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	IncompleteDetails *struct {
		Reason string `json:"reason"`
	} `json:"incomplete_details"`
}

// outcome is what a response body says beyond the span data: an error the
// API reports with a 2xx status, and metadata for the span.
type outcome struct {
	err      *tracing.SpanError
	metaKey  string
	metaText string
}

// responseResponse fills r from a Responses API response body (the output
// unless content is false) and returns the error (a failed response) or
// the incompleteness it reports. It returns false when the body is not a
// response object.
func responseResponse(body []byte, r *spans.Response, content bool) (outcome, bool) {
	var res responseJSON
	if json.Unmarshal(body, &res) != nil || res.ID == "" {
		return outcome{}, false
	}
	return setResponse(r, &res, content), true
}

// setResponse fills r from a decoded response.
func setResponse(r *spans.Response, res *responseJSON, content bool) outcome {
	r.ResponseID = res.ID
	if r.Model == "" {
		r.Model = res.Model
	}
	if out := bytes.TrimSpace(res.Output); content && len(out) > 0 && string(out) != "null" {
		r.Output = json.RawMessage(out)
	}
	r.Usage = res.Usage.usage()
	var o outcome
	if e := res.Error; e != nil && (e.Message != "" || e.Code != "") {
		o.err = &tracing.SpanError{Message: e.Message, Data: map[string]any{"code": e.Code}}
		if o.err.Message == "" {
			o.err.Message = "response failed: " + e.Code
		}
	}
	if d := res.IncompleteDetails; d != nil && d.Reason != "" {
		o.metaKey, o.metaText = "incomplete_reason", d.Reason
	}
	return o
}
