package processors

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// sizedRecorder records batches and asks for batches of size.
type sizedRecorder struct {
	fakeRecorder
	size int
}

func (r *sizedRecorder) BatchSize() int { return r.size }

// panickySizer is a BatchSizer whose BatchSize panics.
type panickySizer struct{ fakeRecorder }

func (*panickySizer) BatchSize() int { panic("batch size exploded") }

// TestBatcherUsesExportersBatchSize exports 600 items through Batchers
// whose exporter asks for a batch size, or does not, with and without
// WithMaxBatchSize.
func TestBatcherUsesExportersBatchSize(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, tc := range []struct {
		name string
		exp  interface {
			Exporter
			sizes() []int
		}
		opts []BatcherOption
		want []int
	}{
		{"sizer", &sizedRecorder{size: 256}, nil, []int{256, 256, 88}},
		{"option wins", &sizedRecorder{size: 256}, []BatcherOption{WithMaxBatchSize(300)}, []int{300, 300}},
		{"zero option leaves the sizer", &sizedRecorder{size: 256}, []BatcherOption{WithMaxBatchSize(0)}, []int{256, 256, 88}},
		{"non-positive size means the default", &sizedRecorder{size: -1}, nil, []int{128, 128, 128, 128, 88}},
		{"panicking size means the default", &panickySizer{}, nil, []int{128, 128, 128, 128, 88}},
		{"plain", &fakeRecorder{}, nil, []int{128, 128, 128, 128, 88}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBatcher(tc.exp, append(tc.opts, WithScheduleDelay(time.Hour), WithLogger(discardLogger()))...)
			for range 600 {
				b.OnSpanEnd(nil)
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
