package openaiexport

import (
	"sync"

	"github.com/agenttrace/agenttrace-go/processors"
)

// noopID is the id the Python SDK gives a disabled trace or span. Such
// items are never exported, nor the spans under them.
const noopID = "no-op"

// maxNoopMemory bounds how many ids of spans left out under a no-op id an
// exporter remembers, to leave out their descendants that end later.
const maxNoopMemory = 4096

// noopMemory remembers the ids of spans left out because they are, or are
// under, a no-op span, oldest forgotten first.
type noopMemory struct {
	mu    sync.Mutex
	ids   map[string]struct{}
	order []string
}

func (m *noopMemory) has(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.ids[id]
	return ok
}

func (m *noopMemory) empty() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ids) == 0
}

func (m *noopMemory) add(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.ids[id]; ok {
		return
	}
	if m.ids == nil {
		m.ids = map[string]struct{}{}
	}
	if len(m.order) == maxNoopMemory {
		delete(m.ids, m.order[0])
		m.order = m.order[1:]
	}
	m.ids[id] = struct{}{}
	m.order = append(m.order, id)
}

// noopItems returns which items are left out as no-op: a trace start whose
// trace id is "no-op", and a span whose trace id or own id is, or that
// descends from such a span. Descent is followed through the parent ids of
// the spans in the batch (a span ends before its parent, so its parent is
// usually later in the same batch) and through the spans left out before.
// It returns nil when nothing is left out, at the cost of one pass.
func (e *Exporter) noopItems(items []processors.Item) []bool {
	found := !e.noop.empty()
	for _, it := range items {
		if found {
			break
		}
		switch {
		case it.Event == processors.TraceStarted && it.Trace != nil:
			found = it.Trace.ID() == noopID
		case it.Event == processors.SpanEnded && it.Span != nil:
			s := it.Span
			found = s.ID() == noopID || s.ParentID() == noopID || s.TraceID() == noopID
		}
	}
	if !found {
		return nil
	}
	parent := map[string]string{}
	for _, it := range items {
		if it.Event == processors.SpanEnded && it.Span != nil && it.Span.ID() != noopID {
			parent[it.Span.ID()] = it.Span.ParentID()
		}
	}
	under := func(id string) bool {
		for range len(parent) + 1 {
			if id == noopID || e.noop.has(id) {
				return true
			}
			p, ok := parent[id]
			if !ok || p == "" {
				return false
			}
			id = p
		}
		return false // a cycle of parent ids
	}
	skip := make([]bool, len(items))
	for i, it := range items {
		switch {
		case it.Event == processors.TraceStarted && it.Trace != nil:
			skip[i] = it.Trace.ID() == noopID
		case it.Event == processors.SpanEnded && it.Span != nil:
			s := it.Span
			skip[i] = s.TraceID() == noopID || under(s.ID())
		}
	}
	for i, it := range items {
		if skip[i] && it.Span != nil && it.Span.ID() != noopID {
			e.noop.add(it.Span.ID())
		}
	}
	return skip
}
