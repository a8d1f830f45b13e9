package processors

// Selective is implemented by an [Exporter] that sends only some kinds of
// items. A [Batcher] counts only the items of those kinds toward its batch
// size, so that each batch holds up to the batch size of items the exporter
// sends; the others ride along uncounted. The OpenAI traces exporter, for
// instance, sends no trace ends: a batch of 128 gives it 128 items to post,
// as the Python SDK's batches do.
type Selective interface {
	// Sends reports whether the exporter sends items of event ev.
	Sends(ev Event) bool
}

// eventSet is a set of the events an exporter receives.
type eventSet [SpanEnded + 1]bool

// has reports whether ev is in the set; an unknown event always is.
func (s *eventSet) has(ev Event) bool { return int(ev) >= len(s) || s[ev] }

// countedEvents returns the events a Batcher counts toward its batch size:
// those exp sends when it is Selective, every event otherwise. A Sends
// method that panics counts its event.
func countedEvents(exp Exporter) eventSet {
	var s eventSet
	sel, ok := exp.(Selective)
	for ev := range s {
		s[ev] = !ok || isNil(exp) || sends(sel, Event(ev))
	}
	return s
}

func sends(sel Selective, ev Event) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = true
		}
	}()
	return sel.Sends(ev)
}
