package openaiexport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// maxIndirections bounds how many pointers functionOutput follows, so that a
// pointer that points to itself cannot loop.
const maxIndirections = 16

// functionOutput renders a function's output as the text sent, or reports
// false when the output is unset and sent as null. Python sends
// str(self.output) whenever self.output is not None (since v0.17.4), so an
// output is unset only when it is Go's None: nil, or a nil pointer,
// interface, map, slice, function or channel (an empty json.RawMessage
// too, which holds no value); a pointer counts as what it points to. Zero
// values are sent: 0 as "0", false as "False" (a bool, like Python's str(),
// is "True" or "False"), "" as "". An error is sent
// as its message, a string (of any named string type) as is, a
// json.RawMessage as its compact text (as is when it is not valid JSON), and
// anything else as its compact JSON encoding, with the values that have
// none replaced (see clean). fmt's %v is never used: it has no cycle check
// and would overflow the stack on a cyclic value.
func functionOutput(v any) (string, bool) {
	if v == nil {
		return "", false
	}
	rv, ok := indirect(reflect.ValueOf(v))
	if !ok {
		return "", false
	}
	if err, isErr := v.(error); isErr { // an error is truthy, as Python's exceptions are
		return safetext.Error(err), true
	}
	if raw, isRaw := v.(json.RawMessage); isRaw {
		if len(raw) == 0 {
			return "", false
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return string(raw), true
		}
		return buf.String(), true
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), true
	case reflect.Bool: // Python's str(): "True", "False"
		if rv.Bool() {
			return "True", true
		}
		return "False", true
	}
	b, err := safeCompact(v)
	if err == nil {
		return string(b), true
	}
	c := clean(v)
	if s, isText := c.(string); isText { // v as a whole has no encoding: its description
		return s, true
	}
	if b, err = safeCompact(c); err != nil { // clean's result always encodes
		return describe(v, err), true
	}
	return string(b), true
}

// safeCompact is compact, with a panic (in a MarshalJSON method, say) turned
// into an error.
func safeCompact(v any) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("panic: %s", safetext.Panic(r))
		}
	}()
	return compact(v)
}

// indirect follows pointers and interfaces from rv to the value they lead
// to. It reports false when one of them, or the value itself, is nil.
func indirect(rv reflect.Value) (reflect.Value, bool) {
	for range maxIndirections {
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if rv.IsNil() {
				return rv, false
			}
			rv = rv.Elem()
			continue
		case reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.UnsafePointer:
			if rv.IsNil() {
				return rv, false
			}
		case reflect.Invalid:
			return rv, false
		}
		return rv, true
	}
	return rv, true // a chain this long is not followed further; it is truthy
}

// describe stands in for a value v that has no JSON encoding: its type and
// the encoding error, never the value itself.
func describe(v any, err error) string {
	return fmt.Sprintf("<%T: %s>", v, safetext.Error(err))
}
