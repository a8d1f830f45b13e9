package safetext

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
)

// selfErr wraps itself: errors.Is and errors.As loop forever on it.
type selfErr struct{}

func (e *selfErr) Error() string { return "self" }
func (e *selfErr) Unwrap() error { return e }

// pingErr and pongErr wrap each other.
type pingErr struct{ pong *pongErr }
type pongErr struct{ ping *pingErr }

func (e *pingErr) Error() string { return "ping" }
func (e *pingErr) Unwrap() error { return e.pong }
func (e *pongErr) Error() string { return "pong" }
func (e *pongErr) Unwrap() error { return e.ping }

// deepErr is a value that unwraps to a new, deeper value, without end.
type deepErr struct{ n int }

func (e deepErr) Error() string { return fmt.Sprint("depth ", e.n) }
func (e deepErr) Unwrap() error { return deepErr{e.n + 1} }

// unwrapPanics is an error whose Unwrap panics.
type unwrapPanics struct{}

func (unwrapPanics) Error() string { return "unwrap panics" }
func (unwrapPanics) Unwrap() error { panic("boom") }

// asPanics is an error whose As and Is panic.
type asPanics struct{}

func (asPanics) Error() string { return "as panics" }
func (asPanics) As(any) bool   { panic("boom") }
func (asPanics) Is(error) bool { panic("boom") }
func (asPanics) Unwrap() error { return io.EOF }

// uncomparable is a comparable type (a struct of an interface) holding an
// uncomparable value: comparing two of them panics.
type uncomparable struct{ v any }

func (uncomparable) Error() string { return "uncomparable" }

func TestWalkEnds(t *testing.T) {
	ping := &pingErr{}
	ping.pong = &pongErr{ping: ping}
	wide := make([]error, 3*MaxChainErrors)
	for i := range wide {
		wide[i] = errors.New("leaf")
	}
	for _, tc := range []struct {
		name     string
		err      error
		complete bool
		visits   int
	}{
		{"self-wrapping", &selfErr{}, false, 1},
		{"two-cycle", ping, false, 2},
		{"endless values", deepErr{}, false, MaxChainDepth + 1},
		{"wide join", errors.Join(wide...), false, MaxChainErrors},
		{"unwrap panics", fmt.Errorf("w: %w", unwrapPanics{}), false, 2},
		{"plain chain", fmt.Errorf("a: %w", fmt.Errorf("b: %w", io.EOF)), true, 3},
		{"join", errors.Join(io.EOF, context.Canceled), true, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			got := Walk(tc.err, func(error) (bool, bool) { n++; return true, true })
			if got != tc.complete || n != tc.visits {
				t.Errorf("Walk = %v after %d visits, want %v after %d", got, n, tc.complete, tc.visits)
			}
		})
	}
}

func TestAsAndIsBounded(t *testing.T) {
	ping := &pingErr{}
	ping.pong = &pongErr{ping: ping}
	for _, err := range []error{&selfErr{}, ping, deepErr{}, unwrapPanics{}, asPanics{}} {
		if _, ok := As[*SpanLike](err); ok {
			t.Errorf("As(%T) found a *SpanLike", err)
		}
		if Is(err, context.Canceled) {
			t.Errorf("Is(%T, Canceled)", err)
		}
	}
	want := &SpanLike{"x"}
	if got, ok := As[*SpanLike](fmt.Errorf("w: %w", errors.Join(io.EOF, want))); !ok || got != want {
		t.Errorf("As = %v, %v", got, ok)
	}
	if got, ok := As[interface {
		error
		Timeout() bool
	}](fmt.Errorf("w: %w", timeoutErr{})); !ok || !got.Timeout() {
		t.Errorf("As interface = %v, %v", got, ok)
	}
	if !Is(fmt.Errorf("w: %w", asPanics{}), io.EOF) {
		t.Error("Is missed io.EOF below an error whose Is panics")
	}
	if Is(uncomparable{v: []int{1}}, uncomparable{v: []int{1}}) {
		t.Error("Is compared uncomparable values equal")
	}
	if !Is(fmt.Errorf("w: %w", context.DeadlineExceeded), context.DeadlineExceeded) {
		t.Error("Is missed DeadlineExceeded")
	}
}

func TestBounded(t *testing.T) {
	if err := fmt.Errorf("w: %w", io.EOF); Bounded(err) != err {
		t.Error("Bounded replaced a finite chain")
	}
	b := Bounded(fmt.Errorf("wrapped: %w", &selfErr{}))
	if b.Error() != "wrapped: self" || errors.Unwrap(b) != nil {
		t.Errorf("Bounded = %q unwrapping to %v", b, errors.Unwrap(b))
	}
	if Bounded(nil) != nil {
		t.Error("Bounded(nil) != nil")
	}
}

type SpanLike struct{ msg string }

func (e *SpanLike) Error() string { return e.msg }

type timeoutErr struct{}

func (timeoutErr) Error() string { return "timeout" }
func (timeoutErr) Timeout() bool { return true }
