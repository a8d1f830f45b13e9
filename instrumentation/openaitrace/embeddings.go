package openaitrace

import (
	"bytes"
	"encoding/base64"
	"encoding/json"

	"github.com/agenttrace/agenttrace-go/spans"
)

// embeddingRequest fills e from an Embeddings request body: the model, the
// inputs (token arrays as their JSON text; counted only when content is
// false) and the dimensions asked for.
func embeddingRequest(body []byte, e *spans.Embedding, content bool) {
	var req struct {
		Model      string          `json:"model"`
		Input      json.RawMessage `json:"input"`
		Dimensions int             `json:"dimensions"`
	}
	if json.Unmarshal(body, &req) != nil {
		return
	}
	e.Model, e.Dimensions = req.Model, req.Dimensions
	in := embeddingInputs(req.Input)
	e.Count = len(in)
	if content {
		e.Input = in
	}
}

// embeddingInputs returns the texts of an embeddings input: a string, a
// list of strings, a token array or a list of token arrays.
func embeddingInputs(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	var s string
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) == nil {
			return []string{s}
		}
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return nil
	}
	if c := bytes.TrimSpace(list[0]); len(c) > 0 && c[0] != '"' && c[0] != '[' {
		return []string{string(raw)} // one token array
	}
	out := make([]string, 0, len(list))
	for _, it := range list {
		if json.Unmarshal(it, &s) == nil {
			out = append(out, s)
		} else {
			out = append(out, string(bytes.TrimSpace(it)))
		}
	}
	return out
}

// embeddingResponseJSON is an Embeddings response.
type embeddingResponseJSON struct {
	Data []struct {
		Embedding json.RawMessage `json:"embedding"`
	} `json:"data"`
	Model string     `json:"model"`
	Usage *chatUsage `json:"usage"`
}

// embeddingResponse fills e from an Embeddings response body: the count
// and length of the vectors, the usage and, when the request named none,
// the model. It returns false when the body is not an embeddings list.
func embeddingResponse(body []byte, e *spans.Embedding) bool {
	var res embeddingResponseJSON
	if json.Unmarshal(body, &res) != nil || (res.Data == nil && res.Usage == nil) {
		return false
	}
	e.Count = len(res.Data)
	if len(res.Data) > 0 {
		if n := vectorLen(res.Data[0].Embedding); n > 0 {
			e.Dimensions = n
		}
	}
	setEmbeddingTail(e, res.Model, res.Usage)
	return true
}

// setEmbeddingTail fills in the model and usage of an embeddings response.
func setEmbeddingTail(e *spans.Embedding, model string, u *chatUsage) {
	if e.Model == "" {
		e.Model = model
	}
	if u != nil {
		e.Usage = u.usage()
		e.Usage.OutputTokens = 0
	}
}

// vectorLen returns the length of an embedding: a list of numbers, or
// base64 little-endian float32s; 0 when it is neither.
func vectorLen(raw json.RawMessage) int {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0
		}
		return base64.StdEncoding.DecodedLen(len(s)) / 4 // padding never reaches a whole float
	}
	var v []json.RawMessage
	if json.Unmarshal(raw, &v) != nil {
		return 0
	}
	return len(v)
}
