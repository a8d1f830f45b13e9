package otelmap

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"

	"github.com/agenttrace/agenttrace-go/internal/clip"
)

// User values (metadata, custom data, tool results, model config, error
// data) are encoded as JSON text. encoding/json refuses some values (NaN
// and infinities, channels, funcs, complex numbers, cycles) and fails for
// the whole value, and encodes error values as {}. encodeJSON never fails
// and never drops the whole value for one bad part: the bad part alone is
// replaced by a marker. It never formats arbitrary values with fmt, whose
// recursion has no cycle detection (a cyclic map overflows the stack, a
// fatal error that recover cannot stop).

// maxSanitizeDepth bounds how deep values are walked; deeper parts are
// replaced by a marker.
const maxSanitizeDepth = 200

// jsonText encodes v as JSON text (see encodeJSON) clipped to limit bytes,
// keeping it valid.
func jsonText(v any, limit int) string {
	return clip.JSON(string(encodeJSON(v)), limit)
}

// encodeJSON returns the JSON encoding of v (without HTML escaping), with
// the parts encoding/json cannot encode replaced:
//
//   - NaN, +Inf and -Inf by the strings "NaN", "+Inf" and "-Inf";
//   - channels, funcs, complex numbers and unsafe pointers by
//     "<unencodable T>";
//   - a map or slice that contains itself by "<unencodable T: cycle>" where
//     it repeats, and parts nested over 200 deep by "<unencodable T: too deep>";
//   - errors (that are not json.Marshalers) by their text, "<nil>" for a nil
//     pointer whose Error method panics and "<T: Error method panicked>"
//     for another whose Error method panics;
//   - a struct or a json.Marshaler that fails to encode by "<T: error>",
//     one whose MarshalJSON or MarshalText panics by
//     "<T: encoding panicked>";
//   - an invalid json.Number by its text, as a string.
//
// The common case costs one walk of the generic containers (map[string]any,
// []any) without allocating and one encoding; other containers are walked
// only when that encoding fails.
func encodeJSON(v any) []byte {
	z := sanitizer{}
	w, _ := z.walk(v, 0)
	b, err := marshalSafe(w)
	if err == nil {
		return b
	}
	z = sanitizer{deep: true}
	w, _ = z.walk(v, 0)
	if b, err := marshalSafe(w); err == nil {
		return b
	}
	b, _ = clip.MarshalNoEscape(failedText(v, err))
	return b
}

// errEncodingPanicked stands for a panic of a value's own MarshalJSON or
// MarshalText method while encoding/json encoded it.
var errEncodingPanicked = errors.New("encoding panicked")

// marshalSafe is clip.MarshalNoEscape, returning errEncodingPanicked when
// a method of v panics, so that the value is described and its span kept.
func marshalSafe(v any) (b []byte, err error) {
	defer func() {
		if recover() != nil {
			b, err = nil, errEncodingPanicked
		}
	}()
	return clip.MarshalNoEscape(v)
}

// failedText describes a value that failed to encode by its type and the
// error, never by its contents.
func failedText(v any, err error) string { return fmt.Sprintf("<%T: %v>", v, err) }

// unencodable is the marker of a value JSON has no form for.
func unencodable(v any, why string) string {
	if why == "" {
		return fmt.Sprintf("<unencodable %T>", v)
	}
	return fmt.Sprintf("<unencodable %T: %s>", v, why)
}

// floatText returns the text of a NaN or infinite f and true, as the
// metadata of every span and the model parameters send them.
func floatText(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "NaN", true
	case math.IsInf(f, 1):
		return "+Inf", true
	case math.IsInf(f, -1):
		return "-Inf", true
	}
	return "", false
}

// methodText returns f(), the method name of v, or when it panics a
// description: "<nil>" for a nil pointer (as fmt prints it), else
// "<T: name method panicked>". The value is described, never formatted,
// and the span keeps its other attributes.
func methodText(v any, name string, f func() string) (s string) {
	defer func() {
		if r := recover(); r != nil {
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
				s = "<nil>"
				return
			}
			s = fmt.Sprintf("<%T: %s method panicked>", v, name)
		}
	}()
	return f()
}

// errorText returns the text of e (see methodText).
func errorText(e error) string { return methodText(e, "Error", e.Error) }

// stringerText returns the text of s (see methodText).
func stringerText(s fmt.Stringer) string { return methodText(s, "String", s.String) }

// sanitizer walks a value, returning a copy with the parts encoding/json
// cannot encode replaced; parts that need no change are shared, not copied.
// The quick walk (deep unset) enters only map[string]any and []any; the
// deep walk enters every map, slice, array and pointer.
type sanitizer struct {
	deep bool
	// The containers being walked, for cycles: the first len(near) in
	// near (no allocation for the usual shallow values), the rest in far.
	depth int
	near  [16]pathEntry
	far   []pathEntry
}

// pathEntry identifies a container: its address and, for a slice, its
// length (a slice and its prefix share an address).
type pathEntry struct {
	ptr uintptr
	n   int
}

// enter adds a container to the path, or reports false when it is already
// on it: a cycle.
func (z *sanitizer) enter(p uintptr, n int) bool {
	e := pathEntry{p, n}
	if slices.Contains(z.near[:min(z.depth, len(z.near))], e) || slices.Contains(z.far, e) {
		return false
	}
	if z.depth < len(z.near) {
		z.near[z.depth] = e
	} else {
		z.far = append(z.far, e)
	}
	z.depth++
	return true
}

func (z *sanitizer) leave() {
	z.depth--
	if z.depth >= len(z.near) {
		z.far = z.far[:z.depth-len(z.near)]
	}
}

// walk returns v or its replacement, and whether it was replaced.
func (z *sanitizer) walk(v any, depth int) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr:
		return v, false
	case float64:
		if s, bad := floatText(x); bad {
			return s, true
		}
		return v, false
	case float32:
		if s, bad := floatText(float64(x)); bad {
			return s, true
		}
		return v, false
	case json.Number:
		if z.deep && !isNumber(string(x)) {
			return string(x), true
		}
		return v, false
	case map[string]any:
		return z.mapAny(v, x, depth)
	case []any:
		return z.sliceAny(v, x, depth)
	case json.Marshaler:
		return z.viaEncoder(v)
	case error:
		return errorText(x), true
	case encoding.TextMarshaler:
		return z.viaEncoder(v)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return unencodable(v, ""), true
	case reflect.Float32, reflect.Float64:
		if s, bad := floatText(rv.Float()); bad {
			return s, true
		}
		return v, false
	}
	if !z.deep {
		return v, false
	}
	return z.reflectValue(v, rv, depth)
}

// mapAny walks x, which v holds (returned as is when nothing changes, so
// that it is not boxed again).
func (z *sanitizer) mapAny(v any, x map[string]any, depth int) (any, bool) {
	if len(x) == 0 {
		return v, false
	}
	if depth >= maxSanitizeDepth {
		return unencodable(x, "too deep"), true
	}
	if !z.enter(reflect.ValueOf(v).Pointer(), -1) {
		return unencodable(x, "cycle"), true
	}
	defer z.leave()
	var out map[string]any
	for k, e := range x {
		if w, changed := z.walk(e, depth+1); changed {
			if out == nil {
				out = maps.Clone(x)
			}
			out[k] = w
		}
	}
	if out == nil {
		return v, false
	}
	return out, true
}

// sliceAny walks x, which v holds (see mapAny).
func (z *sanitizer) sliceAny(v any, x []any, depth int) (any, bool) {
	if len(x) == 0 {
		return v, false
	}
	if depth >= maxSanitizeDepth {
		return unencodable(x, "too deep"), true
	}
	if !z.enter(reflect.ValueOf(v).Pointer(), len(x)) {
		return unencodable(x, "cycle"), true
	}
	defer z.leave()
	var out []any
	for i, e := range x {
		if w, changed := z.walk(e, depth+1); changed {
			if out == nil {
				out = append([]any(nil), x...)
			}
			out[i] = w
		}
	}
	if out == nil {
		return v, false
	}
	return out, true
}

// isNumber reports whether s is a JSON number, as a json.Number must be.
func isNumber(s string) bool {
	return s != "" && (s[0] == '-' || '0' <= s[0] && s[0] <= '9') && json.Valid([]byte(s))
}

// viaEncoder keeps a value that encodes itself (a json.Marshaler, a
// TextMarshaler, a struct) when encoding/json accepts it; only the deep walk
// tries, and replaces it by a description when it fails.
func (z *sanitizer) viaEncoder(v any) (any, bool) {
	if !z.deep {
		return v, false
	}
	if _, err := marshalSafe(v); err != nil {
		return failedText(v, err), true
	}
	return v, false
}

// reflectValue is the deep walk of the containers other than map[string]any
// and []any: they become map[string]any and []any of walked values.
func (z *sanitizer) reflectValue(v any, rv reflect.Value, depth int) (any, bool) {
	if depth >= maxSanitizeDepth {
		return unencodable(v, "too deep"), true
	}
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return v, false
		}
		if rv.Elem().Kind() == reflect.Struct {
			return z.viaEncoder(v)
		}
		if !z.enter(rv.Pointer(), -2) {
			return unencodable(v, "cycle"), true
		}
		defer z.leave()
		w, _ := z.walk(rv.Elem().Interface(), depth+1)
		return w, true
	case reflect.Map:
		if rv.IsNil() {
			return v, false
		}
		if !z.enter(rv.Pointer(), -1) {
			return unencodable(v, "cycle"), true
		}
		defer z.leave()
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k, ok := mapKey(it.Key())
			if !ok {
				return failedText(v, fmt.Errorf("json: unsupported map key type %s", rv.Type().Key())), true
			}
			out[k], _ = z.walk(it.Value().Interface(), depth+1)
		}
		return out, true
	case reflect.Slice:
		if rv.IsNil() || rv.Type().Elem().Kind() == reflect.Uint8 {
			return v, false // nil, or bytes (base64)
		}
		if !z.enter(rv.Pointer(), rv.Len()) {
			return unencodable(v, "cycle"), true
		}
		defer z.leave()
		return z.elements(rv, depth), true
	case reflect.Array:
		return z.elements(rv, depth), true
	case reflect.Struct:
		return z.viaEncoder(v)
	}
	return v, false
}

func (z *sanitizer) elements(rv reflect.Value, depth int) []any {
	out := make([]any, rv.Len())
	for i := range out {
		out[i], _ = z.walk(rv.Index(i).Interface(), depth+1)
	}
	return out
}

// mapKey returns a map key as encoding/json writes it: a string kind as is,
// a TextMarshaler's text, an integer in decimal. A key whose MarshalText
// fails or panics is not a key.
func mapKey(k reflect.Value) (key string, ok bool) {
	defer func() {
		if recover() != nil {
			key, ok = "", false
		}
	}()
	if k.Kind() == reflect.String {
		return k.String(), true
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", true
		}
		b, err := tm.MarshalText()
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
