package safetext

import (
	"errors"
	"strings"
	"testing"
)

type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg }

type panicErr struct{}

func (panicErr) Error() string { panic("boom") }

type stringer struct{}

func (stringer) String() string { return "a stringer" }

func TestError(t *testing.T) {
	var typedNil *nilErr
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("plain"), "plain"},
		{typedNil, "<nil>"},
		{panicErr{}, "<safetext.panicErr: Error method panicked>"},
	} {
		if got := Error(tc.err); got != tc.want {
			t.Errorf("Error(%T) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestPanic(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic // fmt would recurse until the stack overflows
	var typedNil *nilErr
	for _, tc := range []struct {
		r    any
		want string
	}{
		{"text", "text"},
		{errors.New("an error"), "an error"},
		{typedNil, "<nil>"},
		{stringer{}, "a stringer"},
		{42, "42"},
		{cyclic, "a map[string]interface {}"},
		{[]int{1}, "a []int"},
	} {
		if got := Panic(tc.r); got != tc.want {
			t.Errorf("Panic(%T) = %q, want %q", tc.r, got, tc.want)
		}
	}
	long := Panic(strings.Repeat("é", 500))
	if len(long) > maxPanicText+len("…") || !strings.HasSuffix(long, "…") || !strings.HasPrefix(long, "é") {
		t.Errorf("long panic text not clipped on a rune boundary: %d bytes", len(long))
	}
}

func TestVariants(t *testing.T) {
	if v := Variants(""); v != nil {
		t.Errorf("Variants(\"\") = %q, want none", v)
	}
	got := Variants(`a b/<&>"`)
	for _, want := range []string{
		`a b/<&>"`,                 // as written
		`a+b%2F%3C%26%3E%22`,       // query
		`a%20b%2F%3C&%3E%22`,       // path
		`a b/\u003c\u0026\u003e\"`, // JSON with HTML escapes
		`a b/<&>\"`,                // JSON without
	} {
		found := false
		for _, v := range got {
			found = found || v == want
		}
		if !found {
			t.Errorf("Variants lacks %q: %q", want, got)
		}
	}
}
