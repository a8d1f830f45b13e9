package openaitrace

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

var rateLimited = reply{
	status: 429,
	header: map[string]string{"Retry-After-Ms": "1"},
	body:   `{"error":{"message":"Rate limit reached for gpt-4.1-mini.","type":"requests","param":null,"code":"rate_limit_exceeded"}}`,
}

var serverError = reply{
	status: 500,
	header: map[string]string{"Retry-After-Ms": "1"},
	body:   `{"error":{"message":"The server had an error.","type":"server_error","param":null,"code":null}}`,
}

// TestRetryThenSuccess: a 429, then an answer. One span, two attempts, no
// error, the answer's output.
func TestRetryThenSuccess(t *testing.T) {
	api := newFakeAPI(t, rateLimited, reply{body: okReply})
	ctx, end := recorded(t)
	completion, err := api.client().Chat.Completions.New(ctx, shortParams("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if completion.RawJSON() != okReply {
		t.Errorf("the program got %s", completion.RawJSON())
	}
	rec := end()
	want := &tracingtest.Node{Kind: "trace", Name: "test", Children: []*tracingtest.Node{{Kind: "generation", Name: "gpt-4.1-mini"}}}
	if diff := cmp.Diff(want, rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	span := rec.Spans()[0]
	if got := span.Metadata()["attempts"]; got != 2 {
		t.Errorf("attempts = %v, want 2", got)
	}
	if gen := span.Data().(*spans.Generation); len(gen.Output) != 1 || gen.Output[0].Content != "Done." {
		t.Errorf("output %+v", gen.Output)
	}
	if reqs := api.requests(); len(reqs) != 2 || reqs[1].Header.Get("X-Stainless-Retry-Count") != "1" {
		t.Errorf("the server saw %d requests, want the attempt and its retry", len(reqs))
	}
}

// TestRetriesExhausted: 500 on every attempt of a client allowed two
// retries. One span, three attempts, the last error.
func TestRetriesExhausted(t *testing.T) {
	api := newFakeAPI(t, serverError, serverError, serverError)
	ctx, end := recorded(t)
	_, err := api.client().Chat.Completions.New(ctx, shortParams("hi"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Fatalf("the program got %v, want the 500", err)
	}
	span := onlySpan(t, end())
	if got := span.Metadata()["attempts"]; got != 3 {
		t.Errorf("attempts = %v, want 3", got)
	}
	if se := span.Error(); se == nil || se.Message != "500 Internal Server Error: The server had an error." {
		t.Errorf("error %v, want the last 500", se)
	}
}

// TestNetworkErrorThenSuccess: the connection drops, the client retries.
func TestNetworkErrorThenSuccess(t *testing.T) {
	api := newFakeAPI(t, reply{hangup: true}, reply{body: okReply})
	ctx, end := recorded(t)
	if _, err := api.client().Chat.Completions.New(ctx, shortParams("hi")); err != nil {
		t.Fatal(err)
	}
	span := onlySpan(t, end())
	if got := span.Metadata()["attempts"]; got != 2 || span.Error() != nil {
		t.Errorf("attempts = %v, error %v; want 2 and none", got, span.Error())
	}
}

// TestNetworkErrorsExhausted: every attempt's connection drops. The span
// ends when the client gives up, not later, and the middleware holds no
// call.
func TestNetworkErrorsExhausted(t *testing.T) {
	api := newFakeAPI(t, reply{hangup: true}, reply{hangup: true})
	mw := newMiddleware(WithMaxRetries(1))
	c := openai.NewClient(option.WithBaseURL(api.URL+"/v1/"), option.WithAPIKey(testKey), option.WithHTTPClient(api.Client()),
		option.WithMaxRetries(1), option.WithMaxRetryDelay(10*time.Millisecond), option.WithMiddleware(mw.handle))
	ctx, end := recorded(t)
	if _, err := c.Chat.Completions.New(ctx, shortParams("hi")); err == nil {
		t.Fatal("no error")
	}
	rec := end()
	span := onlySpan(t, rec)
	if got := span.Metadata()["attempts"]; got != 2 || span.Error() == nil {
		t.Errorf("attempts = %v, error %v; want 2 and the network error", got, span.Error())
	}
	if n := mw.pending.count(); n != 0 {
		t.Errorf("%d calls still wait for a retry", n)
	}
}

// TestConcurrentRetries: calls running at once under one parent, each
// rate limited once, are one span each.
func TestConcurrentRetries(t *testing.T) {
	const n = 4
	var replies []reply
	for range n {
		replies = append(replies, rateLimited)
	}
	for range n {
		replies = append(replies, reply{body: okReply})
	}
	api := newFakeAPI(t, replies...)
	client := api.client()
	ctx, end := recorded(t)
	// All first attempts are answered first: each call is parked while the
	// others start.
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			if _, err := client.Chat.Completions.New(ctx, shortParams(string(rune('a'+i)))); err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	rec := end()
	got := rec.Spans()
	if len(got) != n {
		t.Fatalf("%d spans, want %d", len(got), n)
	}
	total := 0
	for _, s := range got {
		total += s.Metadata()["attempts"].(int)
		if s.Error() != nil {
			t.Errorf("span %v has error %v", s.Data().(*spans.Generation).Input, s.Error())
		}
	}
	if total != 2*n {
		t.Errorf("%d attempts in all, want %d", total, 2*n)
	}
}

// TestRetryAbandoned: the program's context ends while the client waits
// to retry. The span ends then, with the error.
func TestRetryAbandoned(t *testing.T) {
	long := rateLimited
	long.header = map[string]string{"Retry-After": "60"} // the context ends first
	api := newFakeAPI(t, long)
	mw := newMiddleware()
	c := openai.NewClient(option.WithBaseURL(api.URL+"/v1/"), option.WithAPIKey(testKey), option.WithHTTPClient(api.Client()),
		option.WithMaxRetryDelay(time.Minute), option.WithMiddleware(mw.handle))
	tp, rec := tracingtest.NewProvider()
	ctx, tr := tp.StartTrace(context.Background(), "test")
	defer tr.End()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	deadline, stop := context.WithTimeout(context.Background(), 20*time.Second) // a hang fails
	defer stop()
	done := make(chan error)
	go func() {
		_, err := c.Chat.Completions.New(ctx, shortParams("hi"))
		done <- err
	}()
	for mw.pending.count() == 0 { // the client got the 429 and waits to retry
		if deadline.Err() != nil {
			t.Fatal("the call was never parked")
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the program got %v, want context.Canceled", err)
	}
	for len(rec.Spans()) == 0 { // the span ends on the context's AfterFunc goroutine
		if deadline.Err() != nil {
			t.Fatal("the span never ended")
		}
		runtime.Gosched()
	}
	span := onlySpan(t, rec)
	if se := span.Error(); se == nil || se.Message != "429 Too Many Requests (retry abandoned: context canceled)" {
		t.Errorf("error %v", se)
	}
	if n := mw.pending.count(); n != 0 {
		t.Errorf("%d calls still wait for a retry", n)
	}
}
