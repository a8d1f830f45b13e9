package openaiexport

import (
	"bytes"
	"fmt"

	"github.com/agenttrace/agenttrace-go/internal/safetext"
	"github.com/agenttrace/agenttrace-go/processors"
)

// group is the encoded items of one API key, in queue order.
type group struct {
	key   string
	items [][]byte
}

// malformedError says why an item cannot be exported whatever its data: it
// lacks the trace, span or data the wire format needs.
type malformedError struct{ what string }

func (e *malformedError) Error() string { return "openaiexport: malformed item: " + e.what }

// dropTally counts the items dropped for one cause and keeps the first
// error, which names one of them.
type dropTally struct {
	n     int
	first error
}

func (d *dropTally) add(err error) {
	d.n++
	if d.first == nil {
		d.first = err
	}
}

// partial returns the drops as a DropExportFailed error, or nil for none.
func (d *dropTally) partial() error {
	if d.n == 0 {
		return nil
	}
	return &processors.PartialError{Dropped: d.n, Reason: processors.DropExportFailed, Err: d.first}
}

// group encodes the items the ingest endpoint takes and groups them by key,
// the groups in order of their first item. Items under a no-op id (see
// noopItems) are left out, as trace ends are. Malformed items and items
// that fail to encode are left out and reported as errors, one per cause.
func (e *Exporter) group(items []processors.Item) ([]*group, []error) {
	enc := newEncoder(e.rules)
	var groups []*group
	byKey := map[string]*group{}
	var malformed, failed dropTally
	noop := e.noopItems(items)
	for i, it := range items {
		if noop != nil && noop[i] {
			continue
		}
		key, b, ok, err := enc.item(it)
		if !ok {
			continue
		}
		if err != nil {
			if _, isMalformed := safetext.As[*malformedError](err); isMalformed { // bounded: err may wrap a MarshalJSON error that wraps itself
				malformed.add(err)
			} else {
				failed.add(err)
			}
			continue
		}
		if key == "" {
			key = e.apiKey
		}
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, b)
	}
	var errs []error
	for _, d := range []*dropTally{&malformed, &failed} {
		if err := d.partial(); err != nil {
			errs = append(errs, err)
		}
	}
	return groups, errs
}

// item encodes one item and returns it with its trace's own API key. It
// reports ok false for the items the endpoint does not take (trace ends and
// unknown events). A malformed item gives a [*malformedError]; an item that
// cannot be encoded, or whose encoding panics (in a MarshalJSON method, say),
// another error. It never panics.
func (e *encoder) item(it processors.Item) (key string, b []byte, ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			key, b, ok, err = "", nil, true, fmt.Errorf("openaiexport: encode %s: panic: %s", itemName(it), safetext.Panic(r))
		}
	}()
	switch it.Event {
	case processors.TraceStarted:
		if it.Trace == nil {
			return "", nil, true, &malformedError{"a trace start without a trace"}
		}
		b, err = e.trace(it.Trace)
		return it.Trace.TracingAPIKey(), b, true, err
	case processors.SpanEnded:
		s := it.Span
		if s == nil {
			return "", nil, true, &malformedError{"a span end without a span"}
		}
		// Read the trace before any accessor that goes through it.
		tr := s.Trace()
		if tr == nil {
			return "", nil, true, &malformedError{fmt.Sprintf("span %q has no trace (spans must come from tracing.StartSpan)", s.ID())}
		}
		d := s.Data()
		if isNilData(d) {
			return "", nil, true, &malformedError{fmt.Sprintf("span %q has no data (%T; was it ended?)", s.ID(), d)}
		}
		b, err = e.span(s, tr, d)
		return tr.TracingAPIKey(), b, true, err
	}
	return "", nil, false, nil
}

// itemName names an item in an error.
func itemName(it processors.Item) string {
	switch {
	case it.Span != nil:
		return "span " + it.Span.ID()
	case it.Trace != nil:
		return "trace " + it.Trace.ID()
	}
	return "item"
}

// body joins encoded items into {"data":[...]}.
func body(items [][]byte) []byte {
	n := len(`{"data":[]}`) + len(items)
	for _, it := range items {
		n += len(it)
	}
	var b bytes.Buffer
	b.Grow(n)
	b.WriteString(`{"data":[`)
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// countSent counts the items Export would send, or drop as malformed: the
// trace starts and span ends.
func countSent(items []processors.Item) int {
	n := 0
	for _, it := range items {
		if it.Event == processors.TraceStarted || it.Event == processors.SpanEnded {
			n++
		}
	}
	return n
}
