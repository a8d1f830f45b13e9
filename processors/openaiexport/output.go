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
// str(self.output) if self.output else None, so an output is unset when it
// is nil, a nil pointer, or falsy as Python reckons it (see isFalsy); a
// pointer counts as what it points to. Otherwise an error is sent as its
// message, a string (of any named string type) as is, a json.RawMessage as
// its compact text (as is when it is not valid JSON), and anything else as
// its compact JSON encoding, or, when it has none (or encoding it panics), as
// a description of its type and of the encoding error. fmt's %v is never
// used: it has no cycle check and would overflow the stack on a cyclic value.
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
	if isFalsy(rv) {
		return "", false
	}
	if raw, isRaw := v.(json.RawMessage); isRaw {
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return string(raw), true
		}
		return buf.String(), true
	}
	if rv.Kind() == reflect.String {
		return rv.String(), true
	}
	b, err := safeCompact(v)
	if err != nil {
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

// isFalsy reports whether Python would find the value rv stands for false:
// false, a numeric zero, or an empty string, map, slice or array. Structs,
// functions and channels are truthy, as Python objects are by default.
func isFalsy(rv reflect.Value) bool {
	switch rv.Kind() {
	case reflect.Bool:
		return !rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return rv.Float() == 0
	case reflect.Complex64, reflect.Complex128:
		return rv.Complex() == 0
	case reflect.String, reflect.Map, reflect.Slice, reflect.Array:
		return rv.Len() == 0
	}
	return false
}

// describe stands in for a value v that has no JSON encoding: its type and
// the encoding error, never the value itself.
func describe(v any, err error) string {
	return fmt.Sprintf("<%T: %s>", v, safetext.Error(err))
}
