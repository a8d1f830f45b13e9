package benchmarks

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// TestSameContent sends a few spans through every implementation's whole
// pipeline to a loopback sink and checks that each request carries the
// shared content: the model, every message and both token counts.
func TestSameContent(t *testing.T) {
	const n = 3
	for _, im := range impls {
		if !slices.Contains(im.modes, toSink) {
			continue
		}
		for _, gz := range []bool{false, true} {
			if gz && !im.gzip {
				continue
			}
			t.Run(im.name+"/gzip="+strconv.FormatBool(gz), func(t *testing.T) {
				s := newSink(t, true)
				r := im.newRig(t, setup{mode: toSink, url: s.URL, gzip: gz})
				for i := range n {
					r.record(r.ctx, i)
				}
				r.flush()
				r.stop()
				var all []byte
				for _, kb := range s.kept() {
					all = append(all, readable(t, kb)...)
				}
				want := []string{model, systemPrompt, answer, strconv.Itoa(inputTokens), strconv.Itoa(outputTokens)}
				for i := range n {
					want = append(want, question(i))
				}
				for _, w := range want {
					if !bytes.Contains(all, []byte(w)) {
						t.Errorf("no %q in what reached the sink (%d requests)", w, s.requests.Load())
					}
				}
			})
		}
	}
}

// readable returns a kept body as text: OTLP protobuf as protojson, JSON as
// it is.
func readable(t *testing.T, kb keptBody) []byte {
	if !strings.HasSuffix(kb.path, "/v1/traces") {
		return kb.body
	}
	var req coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(kb.body, &req); err != nil {
		t.Fatalf("%s: %v", kb.path, err)
	}
	b, err := protojson.Marshal(&req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCounted checks the discarding exporters the span and delivery cases
// read: every generation span recorded into the batch processor is counted
// once, and none when tracing is off.
func TestCounted(t *testing.T) {
	const n = 10
	for _, im := range impls {
		for _, m := range []mode{batched, disabled} {
			if !slices.Contains(im.modes, m) {
				continue
			}
			t.Run(im.name+"/"+[]string{batched: "batched", disabled: "disabled"}[m], func(t *testing.T) {
				r := im.newRig(t, setup{mode: m})
				for i := range n {
					r.record(r.ctx, i)
				}
				r.stop()
				want := int64(n)
				if m == disabled {
					want = 0
				}
				if got := r.exported(); got != want {
					t.Errorf("exported %d spans, want %d", got, want)
				}
			})
		}
	}
}

// TestCapturedWire checks that the OpenTelemetry side of Export reproduces
// every attribute agenttrace-go sends.
func TestCapturedWire(t *testing.T) {
	w := capturedWire(t)
	if w.scope == "" || w.resource.Len() == 0 {
		t.Fatalf("scope %q, %d resource attributes", w.scope, w.resource.Len())
	}
	for i, sp := range w.spans {
		if len(sp.attrs) < 5 {
			t.Fatalf("span %d: %d attributes", i, len(sp.attrs))
		}
	}
}
