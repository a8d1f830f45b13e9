package anthropictrace_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace"
	"github.com/agenttrace/agenttrace-go/spans"
	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// fast makes the client retry at once.
var fast = map[string]string{"retry-after-ms": "1"}

func TestAPIErrorRecorded(t *testing.T) {
	api := newFakeAPI(t, reply{status: 400, file: "error_invalid_request.json"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	var progErr error
	inAgent(tp, func(ctx context.Context) {
		_, progErr = client.Messages.New(ctx, weatherParams())
	})
	var apiErr *anthropic.Error
	if !errors.As(progErr, &apiErr) || apiErr.StatusCode != 400 {
		t.Fatalf("the program got %v, want the API's 400", progErr)
	}
	msg := "400 invalid_request_error: messages.1.content.0.tool_use.input: Input should be a valid dictionary"
	if diff := cmp.Diff(agentTree("claude-sonnet-4-5", msg), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	span, gen := onlyGeneration(t, rec)
	want := &tracing.SpanError{Message: msg, Data: map[string]any{
		"status_code": 400, "type": "invalid_request_error", "request_id": "req_fake_0001",
		"message": "messages.1.content.0.tool_use.input: Input should be a valid dictionary",
	}}
	if diff := cmp.Diff(want, span.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if span.Metadata()["attempts"] != 1 || gen.Output != nil || gen.Usage != nil {
		t.Errorf("metadata %v, output %v, usage %v; want one attempt and no output", span.Metadata(), gen.Output, gen.Usage)
	}
	if diff := cmp.Diff(weatherInput, gen.Input); diff != "" {
		t.Errorf("input (-want +got):\n%s", diff)
	}
	assertNoSecret(t, rec)
}

func TestRetriedAnswersMakeOneSpan(t *testing.T) {
	api := newFakeAPI(t,
		reply{status: 429, file: "error_rate_limit.json", header: fast},
		reply{status: 529, file: "error_overloaded.json", header: fast},
		reply{file: "message_text.json"},
	)
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		msg, err := client.Messages.New(ctx, weatherParams())
		if err != nil || msg.Content[0].Text != "It is 18°C and sunny in Paris." {
			t.Fatalf("the program got %v, %v", msg, err)
		}
	})
	if n := len(api.received()); n != 3 {
		t.Fatalf("the API got %d attempts, want 3", n)
	}
	if diff := cmp.Diff(agentTree("claude-sonnet-4-5-20250929", ""), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	span, gen := onlyGeneration(t, rec)
	if diff := cmp.Diff(map[string]any{"attempts": 3}, span.Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	if gen.Output[0].Content != "It is 18°C and sunny in Paris." || gen.ResponseID != "msg_013Zva2CMHLNnXjNJJKqJ2EF" {
		t.Errorf("output %+v, response id %q", gen.Output, gen.ResponseID)
	}
}

func TestRetriesExhausted(t *testing.T) {
	api := newFakeAPI(t, reply{status: 429, file: "error_rate_limit.json", header: fast})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		_, err := client.Messages.New(ctx, weatherParams())
		var apiErr *anthropic.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
			t.Fatalf("the program got %v, want the API's 429", err)
		}
	})
	if n := len(api.received()); n != 3 {
		t.Fatalf("the API got %d attempts, want 3", n)
	}
	span, _ := onlyGeneration(t, rec)
	if diff := cmp.Diff(map[string]any{"attempts": 3}, span.Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	e := span.Error()
	if e == nil || e.Data["type"] != "rate_limit_error" || e.Data["status_code"] != 429 ||
		!strings.HasPrefix(e.Message, "429 rate_limit_error: Number of request tokens") {
		t.Errorf("error %+v, want the last answer's rate_limit_error", e)
	}
}

func TestStreamRetried(t *testing.T) {
	api := newFakeAPI(t,
		reply{status: 529, file: "error_overloaded.json", header: fast},
		reply{file: "stream_tool_use.sse"},
	)
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		stream := client.Messages.NewStreaming(ctx, weatherParams())
		defer stream.Close()
		readStream(t, stream, nil)
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
	})
	span, gen := onlyGeneration(t, rec)
	if diff := cmp.Diff(map[string]any{"attempts": 2}, span.Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	if span.Error() != nil || !gen.Stream {
		t.Errorf("error %v, stream %v", span.Error(), gen.Stream)
	}
	if diff := cmp.Diff([]spans.Message{streamOutput}, gen.Output); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestNetworkErrorRetried(t *testing.T) {
	api := newFakeAPI(t, reply{drop: true}, reply{file: "message_text.json"})
	client := api.client(traced)
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		if _, err := client.Messages.New(ctx, weatherParams()); err != nil {
			t.Fatal(err)
		}
	})
	if diff := cmp.Diff(agentTree("claude-sonnet-4-5-20250929", ""), rec.OnlyTree(t)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	span, _ := onlyGeneration(t, rec)
	if diff := cmp.Diff(map[string]any{"attempts": 2}, span.Metadata()); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
}

func TestNetworkErrorOnTheLastAttempt(t *testing.T) {
	api := newFakeAPI(t, reply{drop: true})
	client := api.client([]anthropictrace.Option{anthropictrace.WithMaxRetries(0)}, option.WithMaxRetries(0))
	tp, rec := tracingtest.NewProvider()
	inAgent(tp, func(ctx context.Context) {
		if _, err := client.Messages.New(ctx, weatherParams()); err == nil {
			t.Fatal("the program got no error")
		}
		// The span ends with the call, not later.
		if n := len(generations(rec)); n != 1 {
			t.Errorf("%d generation spans ended when the call returned, want 1", n)
		}
	})
	span, _ := onlyGeneration(t, rec)
	if e := span.Error(); e == nil || !strings.Contains(e.Message, "EOF") {
		t.Errorf("error %v, want the network error", e)
	}
}

func TestCallerGivesUpDuringBackoff(t *testing.T) {
	defer anthropictrace.SetRetryGrace(10 * time.Millisecond)()
	api := newFakeAPI(t, reply{status: 429, file: "error_rate_limit.json", header: map[string]string{"retry-after-ms": "500"}})
	client := api.client(traced)
	end := newEnded()
	tp, rec := tracingtest.NewProvider(tracing.WithProcessor(end))
	ctx, tr := tp.StartTrace(context.Background(), "weather run")
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		<-api.served // the first answer is on its way: the client will wait 500 ms
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	if _, err := client.Messages.New(ctx, weatherParams()); !errors.Is(err, context.Canceled) {
		t.Fatalf("the program got %v, want context.Canceled", err)
	}
	tr.End()
	select {
	case s := <-end.ch:
		if e := s.Error(); s.Kind() != spans.KindGeneration || e == nil || e.Data["status_code"] != 429 {
			t.Errorf("span %s ended with error %v, want the generation with the 429", s.Kind(), e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the generation span never ended")
	}
	if n := len(rec.Spans()); n != 1 {
		t.Errorf("%d spans, want 1", n)
	}
}
