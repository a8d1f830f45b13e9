package otlpexport

import (
	"context"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// TestNilExporter checks that a nil *Exporter (what `exp, _ := New(...)`
// gives on error) is a shut-down exporter: Export drops every item as
// DropAfterShutdown, Shutdown returns nil, nothing panics, also behind the
// processors.
func TestNilExporter(t *testing.T) {
	var exp *Exporter
	items := makeItems(2, 1)
	err := exp.Export(context.Background(), items)
	if d := processors.Dropped(err, len(items)); d[processors.DropAfterShutdown] != len(items) {
		t.Errorf("nil Export: dropped %v (err %v), want all %d after_shutdown", d, err, len(items))
	}
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Errorf("nil Shutdown = %v", err)
	}
	var pe processors.Exporter = exp // a typed nil, as a user may pass it
	for _, proc := range []tracing.Processor{processors.NewBatcher(pe), processors.NewSync(pe)} {
		tp := tracing.NewProvider(tracing.WithProcessor(proc), tracing.WithDisabled(false))
		ctx, tr := tp.StartTrace(context.Background(), "w")
		_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
		sp.End()
		tr.End()
		tp.Shutdown(context.Background())
	}
}

// TestShutDownExporterDropsAfterShutdown checks that exports after
// Shutdown count their items as DropAfterShutdown.
func TestShutDownExporterDropsAfterShutdown(t *testing.T) {
	s := newSink(t, nil)
	exp, err := New(WithEndpointURL(s.URL + "/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	exp.Shutdown(context.Background())
	items := makeItems(1, 1)
	err = exp.Export(context.Background(), items)
	if d := processors.Dropped(err, len(items)); d[processors.DropAfterShutdown] != len(items) {
		t.Errorf("dropped %v (err %v)", d, err)
	}
	if len(s.requests()) != 0 {
		t.Error("sent after Shutdown")
	}
}
