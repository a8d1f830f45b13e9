package safetext

import (
	"reflect"
)

// Bounds of every walk of an error chain. errors.Is and errors.As have none:
// an error whose Unwrap returns itself makes them loop forever, and a
// recursive walk of one overflows the stack, a crash no recover stops.
const (
	// MaxChainDepth is how deep a walk goes below the error it starts from.
	MaxChainDepth = 64
	// MaxChainErrors is how many errors a walk visits in all (a tree of
	// joined errors may be wide as well as deep).
	MaxChainErrors = 1024
)

// Walk visits err and the errors it wraps, depth first in the order errors.Is
// and errors.As use (Unwrap() error, or each of Unwrap() []error in turn),
// within [MaxChainDepth] and [MaxChainErrors], and never twice along one path
// (a pointer error that wraps itself, directly or further down, is visited
// once). visit returns whether to look inside e and whether to go on at all.
// An Unwrap method that panics ends its branch. Walk reports whether it saw
// the whole chain: false when a bound, a cycle or a panic cut it short, or
// when visit stopped it.
func Walk(err error, visit func(e error) (inside, more bool)) (complete bool) {
	if err == nil {
		return true
	}
	w := walker{visit: visit, complete: true}
	w.walk(err, 0)
	return w.complete && !w.stopped
}

type walker struct {
	visit    func(error) (bool, bool)
	path     [MaxChainDepth + 1]uintptr // the pointers of the errors above, for cycles
	seen     int
	stopped  bool
	complete bool
}

func (w *walker) walk(e error, depth int) {
	if w.stopped {
		return
	}
	if w.seen >= MaxChainErrors || depth > MaxChainDepth {
		w.complete = false
		return
	}
	p := pointerOf(e)
	if p != 0 {
		for _, q := range w.path[:depth] {
			if q == p {
				w.complete = false // a cycle: this error is already above
				return
			}
		}
	}
	w.path[depth] = p
	w.seen++
	inside, more := w.visit(e)
	if !more {
		w.stopped = true
		return
	}
	if !inside {
		return
	}
	many, ok, one := unwrap(e)
	if !ok {
		w.complete = false
		return
	}
	if one != nil {
		w.walk(one, depth+1)
	}
	for _, inner := range many {
		if inner != nil {
			w.walk(inner, depth+1)
		}
	}
}

// unwrap calls e's Unwrap method, if any, and returns what it gives: many
// errors, or one; ok is false when it panicked.
func unwrap(e error) (many []error, ok bool, one error) {
	defer func() {
		if recover() != nil {
			many, ok, one = nil, false, nil
		}
	}()
	switch x := e.(type) {
	case interface{ Unwrap() error }:
		return nil, true, x.Unwrap()
	case interface{ Unwrap() []error }:
		return x.Unwrap(), true, nil
	}
	return nil, true, nil
}

// pointerOf returns the address held by a pointer-shaped error (a pointer,
// map, chan or func value), or 0: the identity used to find cycles without
// comparing values, which may panic.
func pointerOf(e error) uintptr {
	v := reflect.ValueOf(e)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.UnsafePointer:
		return v.Pointer()
	}
	return 0
}

// As is errors.As for a bounded walk (see [Walk]): the first error of type T
// in err's chain, or one that an As method of the chain sets. Methods that
// panic count as no match.
func As[T error](err error) (T, bool) {
	var found T
	ok := false
	Walk(err, func(e error) (bool, bool) {
		if t, is := e.(T); is {
			found, ok = t, true
			return false, false
		}
		if a, has := e.(interface{ As(any) bool }); has && callAs(a, &found) {
			ok = true
			return false, false
		}
		return true, true
	})
	return found, ok
}

func callAs[T any](a interface{ As(any) bool }, target *T) (ok bool) {
	defer func() {
		if recover() != nil {
			var zero T
			*target, ok = zero, false
		}
	}()
	return a.As(target)
}

// Is is errors.Is for a bounded walk (see [Walk]): whether err's chain holds
// an error equal to target (compared only when target's type is comparable)
// or one whose Is method says so. Methods and comparisons that panic count
// as no match.
func Is(err, target error) bool {
	if err == nil || target == nil {
		return err == target
	}
	comparable := reflect.TypeOf(target).Comparable()
	match := false
	Walk(err, func(e error) (bool, bool) {
		if (comparable && equal(e, target)) || callIs(e, target) {
			match = true
			return false, false
		}
		return true, true
	})
	return match
}

func equal(a, b error) (eq bool) {
	defer func() {
		if recover() != nil {
			eq = false // a comparable type holding an uncomparable value
		}
	}()
	return a == b
}

func callIs(e, target error) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	x, has := e.(interface{ Is(error) bool })
	return has && x.Is(target)
}

// Bounded returns err when its chain can be walked whole within the bounds
// of [Walk], so that errors.Is and errors.As end on it; otherwise an error
// with err's message (see [Error]) that wraps nothing. A nil err stays nil.
func Bounded(err error) error {
	if err == nil || Walk(err, func(error) (bool, bool) { return true, true }) {
		return err
	}
	return &flat{msg: Error(err)}
}

// flat is an error cut off from the chain it was described from.
type flat struct{ msg string }

func (e *flat) Error() string { return e.msg }
