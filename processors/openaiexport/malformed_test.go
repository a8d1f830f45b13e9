package openaiexport

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// panicky has a MarshalJSON method that panics.
type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("marshal exploded") }

// exportNoPanic exports items to a capture server, failing t if Export
// panics, and returns the ids posted and Export's error.
func exportNoPanic(t *testing.T, items []processors.Item) (posted []string, err error) {
	t.Helper()
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Export panicked: %v", r)
			}
		}()
		err = exp.Export(context.Background(), items)
	}()
	for _, r := range srv.requests() {
		posted = append(posted, ids(t, r.Body)...)
	}
	return posted, err
}

// TestMalformedItemsDropped mixes malformed items into a batch: each is
// dropped as export_failed with a clear error, and the rest goes out.
func TestMalformedItemsDropped(t *testing.T) {
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, open := tracing.StartSpan(ctx, (*spans.Generation)(nil)) // its data is a nil pointer until it ends
	defer open.End()
	_, good := tracing.StartSpan(ctx, &spans.Custom{Name: "good"})
	good.End()
	tr.End()
	items := rec.Items() // trace start, good span, trace end
	for _, tc := range []struct {
		name string
		item processors.Item
		want string
	}{
		{"zero span", processors.SpanItem(&tracing.Span{}), `span "" has no trace`},
		{"open span with nil data", processors.SpanItem(open), "has no data (*spans.Generation; was it ended?)"},
		{"span end without a span", processors.Item{Event: processors.SpanEnded}, "a span end without a span"},
		{"trace start without a trace", processors.Item{Event: processors.TraceStarted}, "a trace start without a trace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			batch := append([]processors.Item{items[0], tc.item, tc.item}, items[1:]...)
			posted, err := exportNoPanic(t, batch)
			if got := processors.Dropped(err, len(batch)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropExportFailed: 2}) {
				t.Errorf("Dropped = %v (err %v), want 2 export_failed", got, err)
			}
			if err == nil || !strings.Contains(err.Error(), "openaiexport: malformed item: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v does not say %q", err, tc.want)
			}
			if want := []string{"trace_00000000000000000000000000000001", "span_000000000000000000000002"}; !cmp.Equal(posted, want) {
				t.Errorf("posted %v, want %v", posted, want)
			}
		})
	}
	// Trace ends are never sent, so one without a trace loses nothing.
	if _, err := exportNoPanic(t, []processors.Item{{Event: processors.TraceEnded}}); err != nil {
		t.Errorf("trace end without a trace: %v", err)
	}
}
