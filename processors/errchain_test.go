package processors

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.uber.org/goleak"
)

// selfWrapError's Unwrap returns itself: a recursive or unbounded walk of
// its chain never ends (a recursive one overflows the stack, which no
// recover stops).
type selfWrapError struct{}

func (e *selfWrapError) Error() string { return "self-wrapping" }
func (e *selfWrapError) Unwrap() error { return e }

// chainExporter fails every export with err.
type chainExporter struct{ err error }

func (x chainExporter) Export(context.Context, []Item) error { return x.err }
func (chainExporter) Shutdown(context.Context) error         { return nil }

// TestDroppedSelfWrappingError checks that Dropped returns for errors whose
// chain never ends, counting the whole batch as export_failed.
func TestDroppedSelfWrappingError(t *testing.T) {
	self := &selfWrapError{}
	for _, err := range []error{
		self,
		fmt.Errorf("export: %w", self),
		errors.Join(&PartialError{Dropped: 1, Reason: DropRejected}, self),
		&PartialError{Dropped: 2, Reason: DropTooLarge, Err: self}, // not looked into
	} {
		got := Dropped(err, 5)
		want := 5
		if _, ok := err.(*PartialError); ok {
			want = 0
		}
		if got[DropExportFailed] != want {
			t.Errorf("Dropped(%v, 5) = %v, want %d export_failed", err, got, want)
		}
	}
}

// TestBatcherSelfWrappingError checks that an exporter returning a
// self-wrapping error costs its batch and nothing more: the worker goes on
// and every item is accounted for.
func TestBatcherSelfWrappingError(t *testing.T) {
	defer goleak.VerifyNone(t)
	b := NewBatcher(chainExporter{err: fmt.Errorf("post: %w", &selfWrapError{})}, WithLogger(discardLogger()))
	tp := batchProvider(b)
	produceTrace(tp, 2)
	if err := b.ForceFlush(context.Background()); err == nil {
		t.Error("ForceFlush = nil, want the export's error")
	}
	b.Shutdown(context.Background())
	s := b.Stats()
	checkBatchBalance(t, s)
	if s.Dropped[DropExportFailed] != 4 {
		t.Errorf("stats %+v, want 4 export_failed", s)
	}
}
