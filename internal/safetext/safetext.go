// Package safetext turns errors and recovered panic values into text for
// logs and error messages, without ever panicking and without formatting
// arbitrary values with fmt (which has no cycle check and can recurse until
// the stack overflows, a crash no recover can stop).
package safetext

import (
	"fmt"
	"reflect"
	"unicode/utf8"
)

// maxPanicText bounds the length of Panic's description.
const maxPanicText = 256

// Error returns err's message, or "" for a nil err. When the Error method
// panics it returns "<nil>" for a nil pointer (as fmt prints one) and a
// description of err's type otherwise.
func Error(err error) (s string) {
	if err == nil {
		return ""
	}
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("<%T: Error method panicked>", err)
			if isNilPointer(err) {
				s = "<nil>"
			}
		}
	}()
	return err.Error()
}

// Panic describes a value recovered from a panic: the text of a string, an
// error or a fmt.Stringer, or of a basic value, else its type, clipped to a
// few hundred bytes on a rune boundary.
func Panic(r any) (s string) {
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("a %T", r)
		}
	}()
	switch x := r.(type) {
	case string:
		s = x
	case error:
		s = Error(x)
	case fmt.Stringer:
		s = x.String()
	default:
		switch reflect.ValueOf(r).Kind() {
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
			s = fmt.Sprint(r)
		default:
			s = fmt.Sprintf("a %T", r)
		}
	}
	return clip(s, maxPanicText)
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
