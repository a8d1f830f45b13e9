package htmlexport

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// MaxOpen is how many open traces an [Exporter] holds; past it, the oldest
// is written early, marked "not ended".
const MaxOpen = 1024

// Exporter is a [processors.Exporter] that writes one HTML page per trace
// into a directory. It is safe for concurrent use.
type Exporter struct {
	dir string

	mu      sync.Mutex
	pending map[string]*pendingTrace
	seq     uint64
	written []string
}

type pendingTrace struct {
	trace *tracing.Trace
	spans []*tracing.Span
	seq   uint64
}

var _ processors.Exporter = (*Exporter)(nil)

// New returns an exporter writing into dir, which it creates when missing.
func New(dir string) (*Exporter, error) {
	if dir == "" {
		return nil, errors.New("htmlexport: empty directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("htmlexport: %w", err)
	}
	return &Exporter{dir: dir, pending: map[string]*pendingTrace{}}, nil
}

// Export holds spans until their trace ends, then writes the trace's page.
// It returns the errors of the pages it could not write.
func (e *Exporter) Export(_ context.Context, items []processors.Item) error {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for _, it := range items {
		switch {
		case it.Event == processors.TraceStarted && it.Trace != nil:
			errs = append(errs, e.entry(it.Trace.ID(), it.Trace))
		case it.Event == processors.SpanEnded && it.Span != nil && it.Span.Trace() != nil:
			id := it.Span.TraceID()
			errs = append(errs, e.entry(id, it.Span.Trace()))
			p := e.pending[id]
			p.spans = append(p.spans, it.Span)
		case it.Event == processors.TraceEnded && it.Trace != nil:
			p := e.pending[it.Trace.ID()]
			if p == nil {
				p = &pendingTrace{}
			}
			p.trace = it.Trace
			delete(e.pending, it.Trace.ID())
			errs = append(errs, e.write(p, true))
		}
	}
	return errors.Join(errs...)
}

// entry makes sure trace id has a pending entry, writing the oldest one
// early when MaxOpen are held.
func (e *Exporter) entry(id string, t *tracing.Trace) error {
	if p := e.pending[id]; p != nil {
		if p.trace == nil {
			p.trace = t
		}
		return nil
	}
	var err error
	if len(e.pending) >= MaxOpen {
		var oldestID string
		var oldest *pendingTrace
		for k, v := range e.pending {
			if oldest == nil || v.seq < oldest.seq {
				oldestID, oldest = k, v
			}
		}
		delete(e.pending, oldestID)
		err = e.write(oldest, false)
	}
	e.seq++
	e.pending[id] = &pendingTrace{trace: t, seq: e.seq}
	return err
}

// Shutdown writes the pages of the traces that have not ended.
func (e *Exporter) Shutdown(context.Context) error {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	list := make([]*pendingTrace, 0, len(e.pending))
	for _, p := range e.pending {
		list = append(list, p)
	}
	slices.SortFunc(list, func(a, b *pendingTrace) int { return int(a.seq - b.seq) })
	var errs []error
	for _, p := range list {
		errs = append(errs, e.write(p, false))
	}
	clear(e.pending)
	return errors.Join(errs...)
}

// Written returns the paths of the pages written so far, in order.
func (e *Exporter) Written() []string {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.written)
}

// write renders p and writes it to <dir>/<trace id>.html, through a
// temporary file so that a reader never sees half a page.
func (e *Exporter) write(p *pendingTrace, ended bool) error {
	if p == nil || p.trace == nil {
		return nil
	}
	var b strings.Builder
	if err := render(&b, buildPage(p.trace, p.spans, ended)); err != nil {
		return fmt.Errorf("htmlexport: rendering trace %s: %w", p.trace.ID(), err)
	}
	path := filepath.Join(e.dir, fileName(p.trace.ID()))
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("htmlexport: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("htmlexport: %w", err)
	}
	e.written = append(e.written, path)
	return nil
}

// fileName returns the page's file name for a trace id, keeping only
// characters safe in any file system.
func fileName(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		b.WriteString("trace")
	}
	return b.String() + ".html"
}
