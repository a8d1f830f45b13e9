package openaitrace

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/tracing"
)

// eventLog records the events an sseReader dispatches.
type eventLog struct {
	got  []string
	stop string // the data that ends the stream
}

func (l *eventLog) event(typ string, data []byte) bool {
	l.got = append(l.got, typ+"|"+string(data))
	return string(data) == l.stop
}

func (l *eventLog) finish(*tracing.SpanError, bool) {}

func TestSSEReader(t *testing.T) {
	stream := ": keep-alive comment\r\n" +
		"event: message\r\ndata: {\"a\":1}\r\n\r\n" +
		"data: line one\ndata:line two\n\n" +
		"\n\n" + // blank lines with no data dispatch nothing
		"id: 7\nretry: 100\ndata: x\n\n" +
		"data: [DONE]\n\n" +
		"data: after the end\n\n"
	want := []string{`message|{"a":1}`, "|line one\nline two", "|x", "|[DONE]"}
	// Fed whole, byte by byte and in odd pieces: the same events.
	for _, size := range []int{len(stream), 1, 3, 7} {
		log := &eventLog{stop: "[DONE]"}
		r := &sseReader{handler: log}
		ended := false
		for i := 0; i < len(stream) && !ended; i += size {
			ended = r.feed([]byte(stream[i:min(i+size, len(stream))]))
		}
		if !ended {
			t.Errorf("pieces of %d: the stream never ended", size)
		}
		if diff := cmp.Diff(want, log.got); diff != "" {
			t.Errorf("pieces of %d (-want +got):\n%s", size, diff)
		}
	}
}
