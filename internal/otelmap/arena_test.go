package otelmap

import (
	"testing"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/agenttrace/agenttrace-go/processors"
)

// TestBatchReset converts two exports with one Batch, Reset between them,
// and checks every span against a fresh Batch's: reused values start out
// empty, whatever the spans before them held.
func TestBatchReset(t *testing.T) {
	first := fuzzSpans("a first export with text long enough", "k", `{"a":1}`, 7, 0.5, true)
	second := fuzzSpans("second", "other", `[1,2]`, -3, 2, false)
	for _, cfg := range []Config{{Messages: GenAI | OpenInference}, {CozeLoop: true, Profile: CozeLoop}} {
		c := New(cfg)
		reused := c.NewBatch()
		for round, items := range [][]processors.Item{first, second, first} {
			var got []*tracepb.Span
			for _, it := range items {
				ps, err := reused.Convert(it)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ps)
			}
			fresh := c.NewBatch()
			for i, it := range items {
				want, _ := fresh.Convert(it)
				if !proto.Equal(got[i], want) {
					t.Fatalf("%+v round %d span %d: reused batch gave\n%v\nwant\n%v", cfg, round, i, got[i], want)
				}
			}
			reused.Reset()
		}
	}
}

// TestBatchResetAllocates checks that a Batch reset after an export
// allocates less for the next than a new Batch does.
func TestBatchResetAllocates(t *testing.T) {
	items := fuzzSpans("text", "k", `{"a":1}`, 7, 0.5, true)
	c := New(Config{Messages: GenAI | OpenInference})
	convert := func(b *Batch) {
		for _, it := range items {
			if _, err := b.Convert(it); err != nil {
				t.Fatal(err)
			}
		}
	}
	fresh := testing.AllocsPerRun(20, func() { convert(c.NewBatch()) })
	b := c.NewBatch()
	reused := testing.AllocsPerRun(20, func() { convert(b); b.Reset() })
	if reused >= fresh {
		t.Errorf("%.0f allocations with a reset batch, %.0f with a new one", reused, fresh)
	}
}
