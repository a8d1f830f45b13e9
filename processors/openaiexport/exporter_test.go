package openaiexport

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

// ids returns the ids of the items of a request body.
func ids(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	for _, it := range data(t, body) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

// twoTraces records a trace with its own key and one without, interleaved.
func twoTraces(t *testing.T, ownKey string) []processors.Item {
	t.Helper()
	tp, rec := newProvider()
	ctxA, a := tp.StartTrace(context.Background(), "a", tracing.WithTracingAPIKey(ownKey))
	ctxB, b := tp.StartTrace(context.Background(), "b")
	_, sa := tracing.StartSpan(ctxA, &spans.Custom{Name: "a1"})
	_, sb := tracing.StartSpan(ctxB, &spans.Custom{Name: "b1"})
	sb.End()
	sa.End()
	_, sa2 := tracing.StartSpan(ctxA, &spans.Custom{Name: "a2"})
	sa2.End()
	a.End()
	b.End()
	return rec.Items()
}

func TestGroupsByAPIKey(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("sk-default"))
	defer exp.Shutdown(context.Background())

	items := twoTraces(t, "sk-trace")
	if err := exp.Export(context.Background(), items); err != nil {
		t.Fatalf("Export: %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want one per key", len(reqs))
	}
	got := map[string][]string{}
	for _, r := range reqs {
		got[r.Header.Get("Authorization")] = ids(t, r.Body)
	}
	want := map[string][]string{
		// Queue order within each key: trace at start, spans at end.
		"Bearer sk-trace":   {"trace_00000000000000000000000000000001", "span_000000000000000000000001", "span_000000000000000000000003"},
		"Bearer sk-default": {"trace_00000000000000000000000000000002", "span_000000000000000000000002"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests by key (-want +got):\n%s", diff)
	}
	// The first key seen is posted first.
	if a := reqs[0].Header.Get("Authorization"); a != "Bearer sk-trace" {
		t.Errorf("first request used %q", a)
	}
}

func TestMissingKey(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	srv := newCapture(t)
	logger, logs := logBuffer()
	exp := New(WithEndpoint(srv.URL()), WithLogger(logger))
	defer exp.Shutdown(context.Background())

	items := twoTraces(t, "sk-trace")
	for range 3 {
		err := exp.Export(context.Background(), items)
		// Five items are sent (two trace starts, three span ends); the two
		// of the keyless trace are dropped.
		if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropNoAPIKey: 2}) {
			t.Fatalf("Dropped = %v (err %v), want 2 no_api_key", got, err)
		}
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want the keyed trace's 3", len(reqs))
	}
	for _, r := range reqs {
		if a := r.Header.Get("Authorization"); a != "Bearer sk-trace" {
			t.Errorf("Authorization %q", a)
		}
	}
	if n := strings.Count(logs.String(), "no OpenAI API key"); n != 1 {
		t.Errorf("warned %d times, want once per exporter:\n%s", n, logs)
	}
}

func TestEnvironmentDefaults(t *testing.T) {
	srv := newCapture(t)
	t.Setenv("OPENAI_API_KEY", "sk-env")
	t.Setenv("OPENAI_ORG_ID", "org-env")
	t.Setenv("OPENAI_PROJECT_ID", "proj-env")
	tp, rec := newProvider()
	_, tr := tp.StartTrace(context.Background(), "w")
	tr.End()

	exp := New(WithEndpoint(srv.URL()))
	defer exp.Shutdown(context.Background())
	if err := exp.Export(context.Background(), rec.Items()); err != nil {
		t.Fatal(err)
	}
	// Options override the environment; empty org and project send no header.
	exp2 := New(WithEndpoint(srv.URL()), WithAPIKey("sk-opt"), WithOrganization(""), WithProject(""))
	defer exp2.Shutdown(context.Background())
	if err := exp2.Export(context.Background(), rec.Items()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests", len(reqs))
	}
	h := reqs[0].Header
	if h.Get("Authorization") != "Bearer sk-env" || h.Get("OpenAI-Organization") != "org-env" || h.Get("OpenAI-Project") != "proj-env" {
		t.Errorf("env headers: %v", h)
	}
	h = reqs[1].Header
	if h.Get("Authorization") != "Bearer sk-opt" {
		t.Errorf("Authorization %q", h.Get("Authorization"))
	}
	if _, ok := h["Openai-Organization"]; ok {
		t.Errorf("OpenAI-Organization sent though unset")
	}
	if _, ok := h["Openai-Project"]; ok {
		t.Errorf("OpenAI-Project sent though unset")
	}
}

func TestSkipsTraceEndsAndEmptyBatches(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	tp, rec := newProvider()
	_, tr := tp.StartTrace(context.Background(), "w")
	tr.End()
	items := rec.Items() // trace start, trace end
	if err := exp.Export(context.Background(), items[1:]); err != nil {
		t.Fatal(err)
	}
	if err := exp.Export(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d requests for nothing to send", n)
	}
	if err := exp.Export(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, srv.requests()[0].Body); !cmp.Equal(got, []string{"trace_00000000000000000000000000000001"}) {
		t.Errorf("sent %v, want only the trace start", got)
	}
}

func TestAfterShutdown(t *testing.T) {
	srv := newCapture(t)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	items := twoTraces(t, "")
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
	err := exp.Export(context.Background(), items)
	if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropAfterShutdown: 5}) {
		t.Errorf("Dropped = %v, want 5 after_shutdown", got)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d requests after shutdown", n)
	}
}

// TestShutdownSkipsRemainingGroups interrupts the first key's retry wait
// with Shutdown: the second key's group is not posted but dropped, with an
// error saying why.
func TestShutdownSkipsRemainingGroups(t *testing.T) {
	srv := newCapture(t, 500, 500, 500, 500)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("sk-default"))
	started := make(chan time.Duration, 1)
	exp.sleep = blockingSleeper(started)
	items := twoTraces(t, "sk-trace")
	done := make(chan error, 1)
	go func() { done <- exp.Export(context.Background(), items) }()
	<-started // the first group's first attempt failed
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests; the export should have given up after the interrupted attempt", n)
	}
	// 3 items of the interrupted group, 2 of the group not posted.
	if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropExportFailed: 5}) {
		t.Errorf("Dropped = %v (err %v), want 5 export_failed", got, err)
	}
	var notPosted *processors.PartialError
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			if pe, ok := e.(*processors.PartialError); ok && errors.Is(pe, errShutdown) && pe.Dropped == 2 {
				notPosted = pe
			}
		}
	}
	if notPosted == nil || !strings.Contains(notPosted.Error(), "shut down before these items were posted") {
		t.Errorf("no error for the group not posted in %v", err)
	}
}

func TestNilExporter(t *testing.T) {
	var exp *Exporter
	items := twoTraces(t, "")
	if got := processors.Dropped(exp.Export(context.Background(), items), len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropAfterShutdown: 5}) {
		t.Errorf("Dropped = %v", got)
	}
	if err := exp.Shutdown(context.Background()); err != nil || exp.Endpoint() != "" {
		t.Errorf("Shutdown = %v, Endpoint = %q", err, exp.Endpoint())
	}
}

// TestThroughSyncProcessor wires the exporter as a user would and checks the
// processor counts what it delivered.
func TestThroughSyncProcessor(t *testing.T) {
	srv := newCapture(t)
	sync := processors.NewSync(New(WithEndpoint(srv.URL()), WithAPIKey("k")))
	tp := tracing.NewProvider(tracing.WithDisabled(false), tracing.WithProcessor(sync))
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	sp.End()
	tr.End()
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("%d requests, want trace start and span end", n)
	}
	st := sync.Stats()
	if st.Exported != 3 || st.DroppedTotal() != 0 {
		t.Errorf("stats %+v, want 3 exported (trace end counts as delivered)", st)
	}
}
