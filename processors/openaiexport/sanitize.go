package openaiexport

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
)

// maxReasonBytes bounds the reason in a description of a value not sent.
const maxReasonBytes = 200

// maxCleanDepth bounds how deep clean walks into nested maps, slices and
// pointers; a value nested deeper is replaced by a description.
const maxCleanDepth = 64

var (
	numberType    = reflect.TypeFor[json.Number]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// clean returns v with every value that has no JSON encoding, or whose
// encoding is not a finite JSON number where it should be, replaced, so that
// the rest of v is still sent:
//
//   - a NaN or infinite float, and a json.Number that is not a finite JSON
//     number (1e999, "abc"), become null;
//   - a channel, a function, a complex number or an unsafe pointer, a
//     cycle, a value nested deeper than [maxCleanDepth], and a struct or a
//     value with a MarshalJSON or MarshalText method that fails to encode
//     (an error, a panic, a bad value inside) become a short description,
//     "<type: reason>".
//
// Maps, slices, arrays and pointers are walked; structs are not (their
// field names follow encoding/json's tag rules): a struct that fails to
// encode is replaced whole. The result is made of maps with string keys,
// slices, scalars and json.RawMessage, and always encodes.
func clean(v any) any {
	c := cleaner{}
	return c.value(reflect.ValueOf(v), 0)
}

// cleaner walks one value; path holds the maps, slices and pointers being
// walked, to tell a cycle from a value shared by two branches.
type cleaner struct {
	path []pathEntry
}

type pathEntry struct {
	ptr unsafe.Pointer
	len int
}

func (c *cleaner) enter(ptr unsafe.Pointer, n int) bool {
	e := pathEntry{ptr, n}
	for _, p := range c.path {
		if p == e {
			return false
		}
	}
	c.path = append(c.path, e)
	return true
}

func (c *cleaner) leave() { c.path = c.path[:len(c.path)-1] }

func (c *cleaner) value(rv reflect.Value, depth int) any {
	if !rv.IsValid() {
		return nil
	}
	t := rv.Type()
	if depth > maxCleanDepth {
		return describeType(t, "nested too deep")
	}
	if t == numberType {
		return cleanNumber(rv.String())
	}
	if (t.Implements(marshalerType) || t.Implements(textType)) && rv.Kind() != reflect.Interface {
		if (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Map || rv.Kind() == reflect.Slice) && rv.IsNil() {
			return nil // encoding/json writes null without calling the method
		}
		return c.encoded(rv, depth)
	}
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint()
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		if rv.Kind() == reflect.Float32 {
			return float32(f) // encoded with float32 precision, as encoding/json does
		}
		return f
	case reflect.String:
		return rv.String()
	case reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return c.value(rv.Elem(), depth+1)
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		if !c.enter(rv.UnsafePointer(), 0) {
			return describeType(t, "a cycle")
		}
		defer c.leave()
		return c.value(rv.Elem(), depth+1)
	case reflect.Map:
		if rv.IsNil() {
			return nil
		}
		if !c.enter(rv.UnsafePointer(), 0) {
			return describeType(t, "a cycle")
		}
		defer c.leave()
		return c.mapValue(rv, depth)
	case reflect.Slice:
		if rv.IsNil() {
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(marshalerType) &&
			!reflect.PointerTo(t.Elem()).Implements(textType) {
			return rv.Bytes() // base64, as encoding/json sends []byte
		}
		if !c.enter(rv.UnsafePointer(), rv.Len()) {
			return describeType(t, "a cycle")
		}
		defer c.leave()
		return c.list(rv, depth)
	case reflect.Array:
		return c.list(rv, depth)
	case reflect.Struct:
		return c.encoded(rv, depth)
	}
	// Chan, Func, Complex64, Complex128, UnsafePointer.
	return describeType(t, "unsupported type")
}

func (c *cleaner) list(rv reflect.Value, depth int) []any {
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = c.value(rv.Index(i), depth+1)
	}
	return out
}

func (c *cleaner) mapValue(rv reflect.Value, depth int) any {
	out := make(map[string]any, rv.Len())
	iter := rv.MapRange()
	for iter.Next() {
		k, ok := mapKey(iter.Key())
		if !ok {
			return describeType(rv.Type(), "unsupported key type")
		}
		out[k] = c.value(iter.Value(), depth+1)
	}
	return out
}

// mapKey returns a map key as encoding/json writes it: a string as is, a
// TextMarshaler's text, an integer in decimal. It reports false for other
// keys, and for a MarshalText that fails or panics.
func mapKey(k reflect.Value) (s string, ok bool) {
	if k.Kind() == reflect.String && !k.Type().Implements(textType) {
		return k.String(), true
	}
	if k.Type().Implements(textType) {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", true // encoding/json writes "" for a nil key
		}
		defer func() {
			if recover() != nil {
				s, ok = "", false
			}
		}()
		b, err := k.Interface().(encoding.TextMarshaler).MarshalText()
		return string(b), err == nil
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), true
	}
	return "", false
}

// encoded returns what encoding/json makes of a struct or of a value with its
// own marshaling method, or a description when that fails. An encoding that
// holds a number too large for a float (from a json.Number or a
// MarshalJSON) is decoded and cleaned.
func (c *cleaner) encoded(rv reflect.Value, depth int) any {
	if !rv.CanInterface() {
		return describeType(rv.Type(), "unexported")
	}
	b, err := safeCompact(rv.Interface())
	if err != nil {
		return describeType(rv.Type(), errorText(err))
	}
	if !hasBadNumber(b) {
		return json.RawMessage(b)
	}
	var g any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&g); err != nil {
		return describeType(rv.Type(), errorText(err))
	}
	return c.value(reflect.ValueOf(g), depth+1)
}

// cleanNumber returns s as a json.Number when it is a finite JSON number
// literal, and nil otherwise. An empty Number is 0, as encoding/json writes
// it.
func cleanNumber(s string) any {
	if s == "" {
		return json.Number("0")
	}
	if (s[0] != '-' && (s[0] < '0' || s[0] > '9')) || !json.Valid([]byte(s)) {
		return nil
	}
	if f, _ := strconv.ParseFloat(s, 64); math.IsInf(f, 0) {
		return nil
	}
	return json.Number(s)
}

// hasBadNumber reports whether the JSON text b holds a number literal too
// large for a float64 (1e999): valid JSON, which encoding/json writes from a
// json.Number or a MarshalJSON method, but which parses as infinity on the
// other side.
func hasBadNumber(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case c == '-' || ('0' <= c && c <= '9'):
			j, exp := i, false
			for ; j < len(b) && isNumberByte(b[j]); j++ {
				exp = exp || b[j] == 'e' || b[j] == 'E'
			}
			// Without an exponent only a literal of over 308 digits overflows.
			if exp || j-i > 300 {
				if f, _ := strconv.ParseFloat(string(b[i:j]), 64); math.IsInf(f, 0) {
					return true
				}
			}
			i = j - 1
		}
	}
	return false
}

func isNumberByte(c byte) bool {
	return ('0' <= c && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// describeType stands in for a value of type t that cannot be sent.
func describeType(t reflect.Type, reason string) string {
	return fmt.Sprintf("<%s: %s>", t, reason)
}

// errorText is err's message for a description: never more than
// maxReasonBytes, cut on a rune boundary.
func errorText(err error) string {
	s := safetext.Error(err)
	if len(s) <= maxReasonBytes {
		return s
	}
	k := maxReasonBytes
	for k > 0 && !utf8.RuneStart(s[k]) {
		k--
	}
	return s[:k] + "..."
}
