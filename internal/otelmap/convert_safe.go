package otelmap

import (
	"fmt"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/internal/clip"
	"github.com/agenttrace/agenttrace-go/internal/safetext"
	"github.com/agenttrace/agenttrace-go/processors"
)

// safeConvert converts one item, containing a panic (from a user value's
// String or MarshalJSON method, say) so that it costs only that item: the
// error names the span and the panic. For Coze Loop, a span whose JSON
// cannot be brought within the per-span limit yields ErrSpanTooLarge.
func safeConvert(c converter, it processors.Item) (ps *tracepb.Span, err error) {
	defer func() {
		if r := recover(); r != nil {
			ps, err = nil, fmt.Errorf("converting %s panicked: %s", describeItem(it), safetext.Panic(r))
		}
	}()
	ps = c.convert(it)
	if ps != nil && c.coze && !clip.FitSpanJSON(ps, c.spanLimit) {
		return nil, ErrSpanTooLarge
	}
	return ps, nil
}

// describeItem names an item's span for errors: its kind and name.
func describeItem(it processors.Item) string {
	switch {
	case it.Span != nil:
		name := ""
		if d := it.Span.Data(); d != nil {
			name = d.SpanName()
		}
		return fmt.Sprintf("%s span %q", it.Span.Kind(), clip.Text(name, 128))
	case it.Trace != nil:
		return fmt.Sprintf("trace %q", clip.Text(it.Trace.Name(), 128))
	}
	return "item"
}
