package otlpexport

import (
	"context"
	"sync"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
)

// TestConvertAllocations pins the cost of converting spans: attribute
// values come from the export's arena and message JSON is written by hand.
func TestConvertAllocations(t *testing.T) {
	items := makeItems(2, 20) // a model call and a tool call
	conv := otelmap.New(otelmap.Config{}).NewBatch()
	coze := otelmap.New(otelmap.Config{CozeLoop: true}).NewBatch()
	for _, tt := range []struct {
		name string
		conv *otelmap.Batch
		i    int
		max  float64
	}{
		{"generation", conv, 0, 12},
		{"function", conv, 1, 12},
		// Coze Loop mode adds the per-span JSON check (see clip.FitSpanJSON),
		// free for spans far from the limit.
		{"generation for Coze Loop", coze, 0, 12},
		{"function for Coze Loop", coze, 1, 12},
	} {
		got := testing.AllocsPerRun(200, func() {
			if ps, err := tt.conv.Convert(items[tt.i]); ps == nil || err != nil {
				t.Fatal(err)
			}
		})
		if got > tt.max {
			t.Errorf("%s: %.0f allocations a span, want at most %.0f", tt.name, got, tt.max)
		}
		t.Logf("%s: %.0f allocations a span", tt.name, got)
	}
}

// TestConcurrentExports checks that concurrent Export calls are safe (run
// with -race) and all delivered.
func TestConcurrentExports(t *testing.T) {
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL + "/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := exp.Export(context.Background(), makeItems(10, 10)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := len(s.spans()); n != 4*11 {
		t.Errorf("spans = %d, want %d", n, 4*11)
	}
}
