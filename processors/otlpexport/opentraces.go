package otlpexport

import (
	"context"
	"fmt"

	"github.com/agenttrace/agenttrace-go/internal/otelmap"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// exportOpen sends the root spans of traces still open at Shutdown, within
// ctx and the export timeout. A trace that has ended meanwhile (its end
// never reached the exporter) gets its ordinary root span.
func (e *Exporter) exportOpen(ctx context.Context, open []*tracing.Trace) error {
	items := make([]processors.Item, len(open))
	for i, t := range open {
		items[i] = processors.Item{Event: otelmap.EventOpenTrace, Trace: t}
	}
	if err := e.export(ctx, items, false); err != nil {
		noun := "traces"
		if len(open) == 1 {
			noun = "trace"
		}
		return fmt.Errorf("otlpexport: root spans of %d %s still open at shutdown: %w", len(open), noun, err)
	}
	return nil
}
