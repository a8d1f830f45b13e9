package processors

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// selectiveRecorder records batches and sends no trace ends.
type selectiveRecorder struct{ fakeRecorder }

func (*selectiveRecorder) Sends(ev Event) bool { return ev != TraceEnded }

// panickySelective is Selective with a Sends method that panics.
type panickySelective struct{ fakeRecorder }

func (*panickySelective) Sends(Event) bool { panic("sends exploded") }

// TestBatcherCountsOnlySentItems fills batches of 3 with items of which
// every other one is a trace end, which a Selective exporter does not send:
// each batch holds 3 items it sends, and the trace ends ride along.
func TestBatcherCountsOnlySentItems(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, tc := range []struct {
		name string
		exp  interface {
			Exporter
			sizes() []int
		}
		want []int
	}{
		{"selective", &selectiveRecorder{}, []int{5, 6, 1}}, // SESES, ESESES, E
		{"plain", &fakeRecorder{}, []int{3, 3, 3, 3}},       // every item counts
		{"panicking Sends counts all", &panickySelective{}, []int{3, 3, 3, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBatcher(tc.exp, WithMaxBatchSize(3), WithScheduleDelay(time.Hour))
			for i := range 12 {
				if i%2 == 1 {
					b.OnTraceEnd(nil)
				} else {
					b.OnSpanEnd(nil)
				}
			}
			if err := b.ForceFlush(context.Background()); err != nil {
				t.Fatalf("ForceFlush: %v", err)
			}
			if diff := cmp.Diff(tc.want, tc.exp.sizes()); diff != "" {
				t.Errorf("batch sizes (-want +got):\n%s", diff)
			}
			if err := b.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			checkBatchBalance(t, b.Stats())
		})
	}
}
