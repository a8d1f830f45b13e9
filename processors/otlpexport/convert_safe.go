package otlpexport

import (
	"fmt"
	"reflect"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/agenttrace/agenttrace-go/processors"
)

// safeConvert converts one item, containing a panic (from a user value's
// String or MarshalJSON method, say) so that it costs only that item: the
// error names the span and the panic. For Coze Loop, a span whose JSON
// cannot be brought within the per-span limit yields errSpanTooLarge.
func safeConvert(c converter, it processors.Item) (ps *tracepb.Span, err error) {
	defer func() {
		if r := recover(); r != nil {
			ps, err = nil, fmt.Errorf("otlpexport: converting %s panicked: %s", describeItem(it), panicText(r))
		}
	}()
	ps = c.convert(it)
	if ps != nil && c.coze && !fitSpanJSON(ps, c.spanLimit) {
		return nil, errSpanTooLarge
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
		return fmt.Sprintf("%s span %q", it.Span.Kind(), clipText(name, 128))
	case it.Trace != nil:
		return fmt.Sprintf("trace %q", clipText(it.Trace.Name(), 128))
	}
	return "item"
}

// panicText describes a recovered value: the text of a string, an error or
// a Stringer, or of a basic value, else its type. It never panics itself
// and never formats composite values with fmt (which could recurse forever).
func panicText(r any) (s string) {
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("%T", r)
		}
	}()
	switch x := r.(type) {
	case string:
		s = x
	case error:
		s = x.Error()
	case fmt.Stringer:
		s = x.String()
	default:
		switch reflect.ValueOf(r).Kind() {
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64, reflect.String:
			s = fmt.Sprint(r)
		default:
			s = fmt.Sprintf("a %T", r)
		}
	}
	return clipText(s, 256)
}
