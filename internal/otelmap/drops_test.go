package otelmap

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/processors"
)

func TestDrops(t *testing.T) {
	var none Drops
	if errs := none.Errors("otlpexport", 1000); errs != nil {
		t.Fatalf("nothing dropped, errors %v", errs)
	}
	var d Drops
	d.Add("otlpexport", errors.New("first"))
	d.Add("otlpexport", fmt.Errorf("wrapped: %w", ErrSpanTooLarge))
	d.Add("otlpexport", errors.New("second"))
	d.Add("otlpexport", ErrSpanTooLarge)
	errs := d.Errors("otlpexport", 1000)
	if len(errs) != 2 {
		t.Fatalf("errors %v, want one per reason", errs)
	}
	for i, want := range []struct {
		reason  processors.DropReason
		dropped int
		text    string
	}{
		{processors.DropExportFailed, 2, "otlpexport: first (and 1 more spans)"},
		{processors.DropTooLarge, 2, "otlpexport: 2 spans each exceed Coze Loop's 1000-byte per-span JSON limit"},
	} {
		var pe *processors.PartialError
		if !errors.As(errs[i], &pe) || pe.Reason != want.reason || pe.Dropped != want.dropped || !strings.Contains(pe.Error(), want.text) {
			t.Errorf("error %d = %v, want %s of %d quoting %q", i, errs[i], want.reason, want.dropped, want.text)
		}
	}
}
