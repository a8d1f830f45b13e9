package openaitrace

import (
	"bytes"
	"encoding/json"
)

// edgeSize is how much of the start and of the end of an overlong body
// capture keeps.
const edgeSize = 64 << 10

// capture keeps the bytes of a response body as they are read, up to
// maxBody. Past that it keeps only the first and the last edgeSize bytes,
// where the id, model and usage of a response are.
type capture struct {
	buf      []byte
	overflow bool
	head     []byte
	tail     []byte
}

// write records p.
func (c *capture) write(p []byte) {
	if len(p) == 0 {
		return
	}
	if !c.overflow {
		if len(c.buf)+len(p) <= maxBody {
			c.buf = append(c.buf, p...)
			return
		}
		c.overflow = true
		c.head = bytes.Clone(c.buf[:min(len(c.buf), edgeSize)])
		c.tail = append(c.tail, c.buf[max(len(c.buf)-edgeSize, 0):]...)
		c.buf = nil
	}
	c.tail = append(c.tail, p...)
	if len(c.tail) > 2*edgeSize {
		c.tail = c.tail[:copy(c.tail, c.tail[len(c.tail)-edgeSize:])]
	}
}

// bytes returns the body, or nil when it overflowed.
func (c *capture) bytes() []byte { return c.buf }

// fillTail fills what it can of the call's span data from the edges of an
// overlong body: the id and model from its start, the usage (and the model
// of an embeddings list) from its end, the length of the first vector of
// an embeddings list when it fits in the start. c.mu must be held.
func (c *capture) fillTail(call *call) {
	var id, model string
	valueAfter(c.head, "id", false, &id)
	valueAfter(c.head, "model", false, &model)
	switch call.ep {
	case chatCompletions:
		var u chatUsage
		if valueAfter(c.tail, "usage", true, &u) {
			call.gen.Usage = u.usage()
		}
		call.gen.ResponseID = id
		if call.gen.Model == "" {
			call.gen.Model = model
		}
	case responsesAPI:
		var u responseUsage
		if valueAfter(c.tail, "usage", true, &u) {
			call.res.Usage = u.usage()
		}
		call.res.ResponseID = id
		if call.res.Model == "" {
			call.res.Model = model
		}
	case embeddings:
		var u chatUsage
		uptr := &u
		if !valueAfter(c.tail, "usage", true, &u) {
			uptr = nil
		}
		valueAfter(c.tail, "model", true, &model)
		setEmbeddingTail(call.emb, model, uptr)
		var vec json.RawMessage
		if call.emb.Dimensions == 0 && valueAfter(c.head, "embedding", false, &vec) {
			call.emb.Dimensions = vectorLen(vec)
		}
	}
}

// valueAfter decodes into v the JSON value that follows the first (or the
// last) occurrence of the object key in b, and reports whether it could.
// A key's quotes are never unescaped inside a JSON string, so a match is a
// key, or text too short to be one.
func valueAfter(b []byte, key string, last bool, v any) bool {
	pat := []byte(`"` + key + `"`)
	for len(b) > 0 {
		var i int
		if last {
			i = bytes.LastIndex(b, pat)
		} else {
			i = bytes.Index(b, pat)
		}
		if i < 0 {
			return false
		}
		rest := bytes.TrimLeft(b[i+len(pat):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			if json.NewDecoder(bytes.NewReader(rest[1:])).Decode(v) == nil {
				return true
			}
		}
		if last {
			b = b[:i]
		} else {
			b = b[i+len(pat):]
		}
	}
	return false
}
