package openaitrace

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/tracing"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// TestNotRecorded: without a recorded trace in the context, a call goes
// through and nothing is recorded.
func TestNotRecorded(t *testing.T) {
	tp, rec := tracingtest.NewProvider()
	disabledTrace, tr := tp.StartTrace(context.Background(), "off", tracing.WithTraceDisabled(true))
	defer tr.End()
	tpOff, recOff := tracingtest.NewProvider(tracing.WithDisabled(true))
	offProvider, tr2 := tpOff.StartTrace(context.Background(), "off")
	defer tr2.End()
	for name, ctx := range map[string]context.Context{
		"no trace":          context.Background(),
		"disabled trace":    disabledTrace,
		"disabled provider": offProvider,
	} {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, reply{body: okReply})
			completion, err := api.client().Chat.Completions.New(ctx, shortParams("hi"))
			if err != nil {
				t.Fatal(err)
			}
			if completion.RawJSON() != okReply {
				t.Errorf("the program got %s", completion.RawJSON())
			}
		})
	}
	if n := len(rec.StartedSpans()) + len(recOff.StartedSpans()); n != 0 {
		t.Errorf("%d spans started, want none", n)
	}
}

// TestNotRecordedAllocations pins the cost of the middleware when nothing
// is recorded: no allocation, the request and response untouched.
func TestNotRecordedAllocations(t *testing.T) {
	mw := Middleware()
	req, err := http.NewRequest(http.MethodPost, "https://api.openai.com/v1/chat/completions", strings.NewReader(`{"model":"gpt-4.1"}`))
	if err != nil {
		t.Fatal(err)
	}
	res := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := func(*http.Request) (*http.Response, error) { return res, nil }
	tp, _ := tracingtest.NewProvider()
	offCtx, tr := tp.StartTrace(context.Background(), "off", tracing.WithTraceDisabled(true))
	defer tr.End()
	for name, r := range map[string]*http.Request{"no trace": req, "disabled trace": req.WithContext(offCtx)} {
		allocs := testing.AllocsPerRun(1000, func() {
			got, err := mw(r, next)
			if got != res || err != nil || got.Body != http.NoBody {
				t.Fatal("the response changed")
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per call, want 0", name, allocs)
		}
	}
	if b, _ := io.ReadAll(req.Body); string(b) != `{"model":"gpt-4.1"}` {
		t.Errorf("the request body was read: %q left", b)
	}
}

// TestOtherEndpoints: requests other than the three traced APIs pass
// through with no span.
func TestOtherEndpoints(t *testing.T) {
	api := newFakeAPI(t, reply{body: `{"object":"list","data":[{"id":"gpt-4.1","object":"model","created":1,"owned_by":"openai"}]}`})
	ctx, end := recorded(t)
	page, err := api.client().Models.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 1 {
		t.Errorf("the program got %+v", page.Data)
	}
	if n := len(end().Spans()); n != 0 {
		t.Errorf("%d spans, want none", n)
	}
}
