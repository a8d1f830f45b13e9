package otelmap

import (
	"errors"
	"fmt"

	"github.com/agenttrace/agenttrace-go/processors"
)

// Drops tallies the items of a batch that [Batch.Convert] could not
// convert, for the exporter to report as dropped.
type Drops struct {
	failed   []error
	oversize int
}

// Add counts one conversion error: [ErrSpanTooLarge] as too large, any
// other as failed, named by pkg (the exporter's package, "otlpexport").
func (d *Drops) Add(pkg string, err error) {
	if errors.Is(err, ErrSpanTooLarge) {
		d.oversize++
		return
	}
	d.failed = append(d.failed, fmt.Errorf("%s: %w", pkg, err))
}

// Errors returns the drops as [processors.PartialError]s, one per reason:
// export_failed quoting the first failure (and how many more there were),
// and too_large naming limit, the per-span JSON limit. It returns none when
// nothing was dropped.
func (d *Drops) Errors(pkg string, limit int) []error {
	var errs []error
	if len(d.failed) > 0 {
		err := d.failed[0]
		if len(d.failed) > 1 {
			err = fmt.Errorf("%w (and %d more spans)", err, len(d.failed)-1)
		}
		errs = append(errs, &processors.PartialError{Dropped: len(d.failed), Reason: processors.DropExportFailed, Err: err})
	}
	if d.oversize > 0 {
		errs = append(errs, &processors.PartialError{Dropped: d.oversize, Reason: processors.DropTooLarge,
			Err: fmt.Errorf("%s: %d spans each exceed Coze Loop's %d-byte per-span JSON limit after clipping", pkg, d.oversize, limit)})
	}
	return errs
}
