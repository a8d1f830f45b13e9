package openaiexport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/internal/retry"
	"github.com/agenttrace/agenttrace-go/processors"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
)

func oneSpan(t *testing.T) []processors.Item {
	t.Helper()
	tp, rec := newProvider()
	ctx, tr := tp.StartTrace(context.Background(), "w")
	_, sp := tracing.StartSpan(ctx, &spans.Agent{Name: "a"})
	sp.End()
	tr.End()
	return rec.Items()
}

func TestRetriesByStatus(t *testing.T) {
	for _, tc := range []struct {
		statuses []int
		attempts int
		ok       bool
	}{
		{[]int{200}, 1, true},
		{[]int{202}, 1, true},
		{[]int{500, 500, 500}, 3, false},
		{[]int{503, 503, 503}, 3, false},
		{[]int{502, 200}, 2, true},
		{[]int{500, 503, 204}, 3, true},
		{[]int{400}, 1, false},
		{[]int{401}, 1, false},
		{[]int{429}, 1, false}, // the Python SDK does not retry 429 either
		{[]int{500, 400}, 2, false},
	} {
		t.Run(fmt.Sprint(tc.statuses), func(t *testing.T) {
			srv := newCapture(t, tc.statuses...)
			var w noWait
			exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
			exp.sleep = w.sleep
			defer exp.Shutdown(context.Background())

			items := oneSpan(t)
			err := exp.Export(context.Background(), items)
			if got := len(srv.requests()); got != tc.attempts {
				t.Errorf("%d attempts, want %d", got, tc.attempts)
			}
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if len(w.Waits()) != tc.attempts-1 {
				t.Errorf("waits %v for %d attempts", w.Waits(), tc.attempts)
			}
			checkWaits(t, w.Waits(), DefaultInitialDelay, DefaultMaxDelay)
			if err != nil {
				if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropExportFailed: 2}) {
					t.Errorf("Dropped = %v", got)
				}
				last := tc.statuses[len(tc.statuses)-1]
				if !strings.Contains(err.Error(), fmt.Sprint(last)) {
					t.Errorf("error %q does not give the status %d", err, last)
				}
			}
		})
	}
}

// checkWaits checks waits double from initial, capped at maxDelay, each with
// 0-10 % jitter on top.
func checkWaits(t *testing.T, waits []time.Duration, initial, maxDelay time.Duration) {
	t.Helper()
	base := initial
	for i, w := range waits {
		if w < base || w > base+base/10 {
			t.Errorf("wait %d = %v, want %v plus up to 10 %%", i, w, base)
		}
		base = min(base*2, maxDelay)
	}
}

func TestBackoffCap(t *testing.T) {
	srv := newCapture(t, 500, 500, 500, 500, 500, 500, 500, 500)
	var w noWait
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"), WithMaxAttempts(8))
	exp.sleep = w.sleep
	defer exp.Shutdown(context.Background())
	if err := exp.Export(context.Background(), oneSpan(t)); err == nil {
		t.Fatal("want an error")
	}
	waits := w.Waits()
	if len(waits) != 7 || len(srv.requests()) != 8 {
		t.Fatalf("%d waits, %d attempts", len(waits), len(srv.requests()))
	}
	checkWaits(t, waits, time.Second, 30*time.Second) // 1 2 4 8 16 30 30

	var w2 noWait
	srv2 := newCapture(t, 500, 500, 500)
	exp2 := New(WithEndpoint(srv2.URL()), WithAPIKey("k"), WithBackoff(10*time.Millisecond, 15*time.Millisecond))
	exp2.sleep = w2.sleep
	defer exp2.Shutdown(context.Background())
	_ = exp2.Export(context.Background(), oneSpan(t))
	checkWaits(t, w2.Waits(), 10*time.Millisecond, 15*time.Millisecond)
}

func TestRetriesNetworkErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // connections are now refused

	var w noWait
	logger, logs := logBuffer()
	exp := New(WithEndpoint("http://"+addr+"/v1/traces/ingest"), WithAPIKey("sk-secret-net"), WithLogger(logger))
	exp.sleep = w.sleep
	defer exp.Shutdown(context.Background())
	items := oneSpan(t)
	err = exp.Export(context.Background(), items)
	if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropExportFailed: 2}) {
		t.Errorf("Dropped = %v (err %v)", got, err)
	}
	if n := strings.Count(logs.String(), "attempt failed"); n != 3 {
		t.Errorf("%d attempts logged, want 3:\n%s", n, logs)
	}
	if len(w.Waits()) != 2 {
		t.Errorf("waits %v, want 2 between 3 attempts", w.Waits())
	}
	if strings.Contains(logs.String()+err.Error(), "sk-secret-net") {
		t.Errorf("key leaked")
	}
}

// TestKeyNeverLogged makes the server echo the credentials back in its
// error, as some proxies do, and checks they appear neither in the error nor
// in the logs.
func TestKeyNeverLogged(t *testing.T) {
	const key = "sk-secret-1234567890"
	for _, status := range []int{401, 500} {
		srv := newCapture(t)
		srv.answer = func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error":"bad key %s"}`, r.Header.Get("Authorization"))
		}
		logger, logs := logBuffer()
		var w noWait
		exp := New(WithEndpoint(srv.URL()), WithAPIKey(key), WithLogger(logger))
		exp.sleep = w.sleep
		err := exp.Export(context.Background(), oneSpan(t))
		exp.Shutdown(context.Background())
		if err == nil {
			t.Fatal("want an error")
		}
		if strings.Contains(err.Error(), key) || strings.Contains(logs.String(), key) {
			t.Errorf("status %d: key leaked:\nerr: %v\nlogs: %s", status, err, logs)
		}
		if !strings.Contains(err.Error(), "bad key Bearer [REDACTED]") {
			t.Errorf("status %d: error lost the server's message: %v", status, err)
		}
		if !strings.Contains(logs.String(), "[REDACTED]") {
			t.Errorf("status %d: attempts not logged: %s", status, logs)
		}
	}
}

// blockingSleeper signals each wait and then waits an hour, unless ctx ends.
func blockingSleeper(started chan<- time.Duration) retry.Sleeper {
	return func(ctx context.Context, d time.Duration) error {
		started <- d
		return retry.Sleep(ctx, time.Hour)
	}
}

func TestShutdownInterruptsRetryWait(t *testing.T) {
	srv := newCapture(t, 500, 500, 500)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	started := make(chan time.Duration, 1)
	exp.sleep = blockingSleeper(started)
	items := oneSpan(t)
	done := make(chan error, 1)
	go func() { done <- exp.Export(context.Background(), items) }()
	<-started // the first attempt failed; the exporter waits to retry

	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	err := <-done // a test timeout here means the wait was not interrupted
	if got := processors.Dropped(err, len(items)); !cmp.Equal(got, map[processors.DropReason]int{processors.DropExportFailed: 2}) {
		t.Errorf("Dropped = %v (err %v)", got, err)
	}
	if !strings.Contains(err.Error(), "shut down") {
		t.Errorf("error %v does not say why the retries stopped", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d attempts, want 1: no retry after shutdown", n)
	}
}

func TestExportContextInterruptsRetryWait(t *testing.T) {
	srv := newCapture(t, 503, 503, 503)
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	defer exp.Shutdown(context.Background())
	started := make(chan time.Duration, 1)
	exp.sleep = blockingSleeper(started)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- exp.Export(ctx, oneSpan(t)) }()
	<-started
	cancel()
	err := <-done
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("err = %v", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d attempts", n)
	}
}

// TestShutdownDeadlineAbortsRequest: a request in flight is waited for until
// Shutdown's context ends, then cancelled.
func TestShutdownDeadlineAbortsRequest(t *testing.T) {
	srv := newCapture(t)
	arrived := make(chan struct{})
	srv.answer = func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done() // hang until the client gives up
	}
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	var w noWait
	exp.sleep = w.sleep
	done := make(chan error, 1)
	go func() { done <- exp.Export(context.Background(), oneSpan(t)) }()
	<-arrived

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := exp.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want its context's error", err)
	}
	if err := <-done; err == nil {
		t.Errorf("aborted export reported success")
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d attempts, want no retry after abort", n)
	}
}

func TestRedirectIsRetriedNotFollowed(t *testing.T) {
	target := newCapture(t)
	srv := newCapture(t)
	srv.answer = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL(), http.StatusTemporaryRedirect)
	}
	var w noWait
	exp := New(WithEndpoint(srv.URL()), WithAPIKey("k"))
	exp.sleep = w.sleep
	defer exp.Shutdown(context.Background())
	if err := exp.Export(context.Background(), oneSpan(t)); err == nil || !strings.Contains(err.Error(), "307") {
		t.Errorf("err = %v, want the 307", err)
	}
	if n, m := len(srv.requests()), len(target.requests()); n != 3 || m != 0 {
		t.Errorf("%d attempts at the endpoint, %d at the redirect target; want 3 and 0", n, m)
	}
}
