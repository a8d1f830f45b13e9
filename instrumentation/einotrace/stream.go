package einotrace

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/spans"
)

// errStreamPanic ends a span whose stream could not be read to its end.
var errStreamPanic = errors.New("einotrace: reading the stream panicked")

// closeStream closes a stream the handler does not read: every copy eino
// hands a handler must be closed, or the source is never released.
func closeStream[T any](sr *schema.StreamReader[T]) {
	if sr != nil {
		sr.Close()
	}
}

// readAll reads the handler's copy of a stream to its end and closes it. It
// returns the chunks, when the first chunk carrying output arrived (the
// zero time when now is nil or none did), and the error that ended the
// stream early (nil at io.EOF). A panic while reading is contained and
// returned as an error.
func readAll[T any](sr *schema.StreamReader[T], now func() time.Time) (chunks []any, first time.Time, err error) {
	if sr == nil {
		return nil, first, nil
	}
	defer sr.Close()
	defer func() {
		if p := recover(); p != nil {
			logPanic("reading a stream")
			err = errStreamPanic
		}
	}()
	for {
		c, rerr := sr.Recv()
		if rerr == io.EOF {
			return chunks, first, nil
		}
		if rerr != nil {
			return chunks, first, rerr
		}
		if now != nil && first.IsZero() && carriesOutput(c) {
			first = now()
		}
		chunks = append(chunks, c)
	}
}

// carriesOutput reports whether a model's stream chunk carries output (text,
// reasoning or a tool call), not only a role or usage.
func carriesOutput(c any) bool {
	out := model.ConvCallbackOutput(c)
	if out == nil || out.Message == nil {
		return false
	}
	m := out.Message
	return m.Content != "" || m.ReasoningContent != "" || len(m.ToolCalls) > 0 ||
		len(m.AssistantGenMultiContent) > 0 || len(m.MultiContent) > 0
}

// setStreamOutput records the output of a run whose output streamed. It
// runs under the run's lock.
func setStreamOutput(r *run, chunks []any, first time.Time) {
	if d, ok := r.data.(*spans.Generation); ok {
		d.Stream = true
		d.FirstTokenAt = first
		setOutput(r, modelStreamOutput(chunks))
		return
	}
	setOutput(r, concatChunks(chunks))
}

// concatChunks joins the chunks of a stream as eino does for the types it
// streams: messages with schema.ConcatMessages, message lists (a tools
// node's output) with schema.ConcatMessageArray, strings and tool outputs
// by concatenation, maps key by key. Other chunks, or chunks that do not
// join, are kept as a list.
func concatChunks(chunks []any) any {
	switch len(chunks) {
	case 0:
		return nil
	case 1:
		return chunks[0]
	}
	switch chunks[0].(type) {
	case *schema.Message:
		if ms, ok := all[*schema.Message](chunks); ok {
			if m, err := schema.ConcatMessages(ms); err == nil {
				return m
			}
			return ms
		}
	case []*schema.Message:
		if ms, ok := all[[]*schema.Message](chunks); ok {
			if m, err := schema.ConcatMessageArray(ms); err == nil {
				return m
			}
		}
	case string:
		if ss, ok := all[string](chunks); ok {
			return strings.Join(ss, "")
		}
	case *tool.CallbackOutput:
		if outs, ok := all[*tool.CallbackOutput](chunks); ok {
			var b strings.Builder
			for _, o := range outs {
				if o != nil {
					b.WriteString(o.Response)
				}
			}
			return b.String()
		}
	case map[string]any:
		if ms, ok := all[map[string]any](chunks); ok {
			return mergeMaps(ms)
		}
	}
	return chunks
}

// all returns the chunks as a []T when every one is a T.
func all[T any](chunks []any) ([]T, bool) {
	out := make([]T, len(chunks))
	for i, c := range chunks {
		t, ok := c.(T)
		if !ok {
			return nil, false
		}
		out[i] = t
	}
	return out, true
}

// mergeMaps merges streamed map chunks: string values of a key are
// concatenated, any other value replaced by the later chunk's.
func mergeMaps(ms []map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			if s, ok := v.(string); ok {
				if prev, ok := out[k].(string); ok {
					out[k] = prev + s
					continue
				}
			}
			out[k] = v
		}
	}
	return out
}
