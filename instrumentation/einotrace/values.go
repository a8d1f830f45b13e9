package einotrace

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/cloudwego/eino/adk"
	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/schema"

	"github.com/agenttrace/agenttrace-go/spans"
)

// value returns what a span records of an input or output value: messages
// converted to []spans.Message, documents to []spans.Document, strings,
// booleans and numbers as they are, and any other value as its JSON
// encoding, taken now. eino hands the same maps and structs on to the next
// node, which may change them while exporters would still be reading, so
// nothing mutable of the run is kept.
func value(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return x
	case *schema.Message:
		if x == nil {
			return nil
		}
		return []spans.Message{Message(x)}
	case []*schema.Message:
		return Messages(x)
	case *adk.AgentInput:
		if x == nil {
			return nil
		}
		return Messages(x.Messages)
	case *model.CallbackInput:
		if x == nil {
			return nil
		}
		return Messages(x.Messages)
	case *model.CallbackOutput:
		if x == nil || x.Message == nil {
			return nil
		}
		return []spans.Message{Message(x.Message)}
	case []*schema.Document:
		return documents(x)
	}
	return encode(v)
}

// encode returns v's JSON encoding as a json.RawMessage, or, for a value
// encoding/json refuses (or whose MarshalJSON panics), a short description
// of its type and the reason.
func encode(v any) (out any) {
	defer func() {
		if p := recover(); p != nil {
			out = fmt.Sprintf("<%T: not encodable: its MarshalJSON panicked>", v)
		}
	}()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("<%T: not encodable: %v>", v, err)
	}
	return json.RawMessage(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
}

// interrupted reports whether err is an interrupt of eino's checkpoint
// mechanism (an interrupt before or after a node, or a node's
// Interrupt/StatefulInterrupt) rather than a failure.
func interrupted(err error) bool {
	if _, ok := compose.ExtractInterruptInfo(err); ok {
		return true
	}
	_, ok := compose.IsInterruptRerunError(err)
	return ok
}
