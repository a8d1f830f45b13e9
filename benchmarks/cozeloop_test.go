package benchmarks

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/coze-dev/cozeloop-go"
	"github.com/coze-dev/cozeloop-go/entity"
	"github.com/coze-dev/cozeloop-go/spec/tracespec"
)

// cozeloopContent is the shared content as cozeloop-go's model input and
// output.
type cozeloopContent struct {
	client cozeloop.Client
	in     [contentSpans]*tracespec.ModelInput
	out    *tracespec.ModelOutput
}

func newCozeloopContent(client cozeloop.Client) *cozeloopContent {
	c := &cozeloopContent{client: client, out: &tracespec.ModelOutput{Choices: []*tracespec.ModelChoice{{
		FinishReason: "stop", Message: &tracespec.ModelMessage{Role: "assistant", Content: answer},
	}}}}
	for i := range c.in {
		c.in[i] = &tracespec.ModelInput{Messages: []*tracespec.ModelMessage{
			{Role: "system", Content: systemPrompt}, {Role: "user", Content: question(i)},
		}}
	}
	return c
}

// record starts and finishes span i with the library's model-span setters.
func (c *cozeloopContent) record(ctx context.Context, i int) {
	ctx, sp := c.client.StartSpan(ctx, spanName, tracespec.VModelSpanType)
	sp.SetModelProvider(ctx, provider)
	sp.SetModelName(ctx, model)
	sp.SetInput(ctx, c.in[i%contentSpans])
	sp.SetOutput(ctx, c.out)
	sp.SetInputTokens(ctx, inputTokens)
	sp.SetOutputTokens(ctx, outputTokens)
	sp.Finish(ctx)
}

// cozeloopCounter is a cozeloop-go exporter that counts model spans and
// discards them.
type cozeloopCounter struct{ spans atomic.Int64 }

func (e *cozeloopCounter) ExportSpans(_ context.Context, ss []*entity.UploadSpan) error {
	n := 0
	for _, s := range ss {
		if s.SpanType == tracespec.VModelSpanType {
			n++
		}
	}
	e.spans.Add(int64(n))
	return nil
}

func (e *cozeloopCounter) ExportFiles(context.Context, []*entity.UploadFile) error { return nil }

// cozeloopLogger discards the library's logs.
type cozeloopLogger struct{}

func (cozeloopLogger) CtxDebugf(context.Context, string, ...any) {}
func (cozeloopLogger) CtxInfof(context.Context, string, ...any)  {}
func (cozeloopLogger) CtxWarnf(context.Context, string, ...any)  {}
func (cozeloopLogger) CtxErrorf(context.Context, string, ...any) {}
func (cozeloopLogger) CtxFatalf(context.Context, string, ...any) {}

func cozeloopRig(tb testing.TB, s setup) *rig {
	cozeloop.SetLogger(cozeloopLogger{})
	counter := &cozeloopCounter{}
	var client cozeloop.Client = &cozeloop.NoopClient{}
	if s.mode != disabled {
		url := s.url
		opts := []cozeloop.Option{
			cozeloop.WithWorkspaceID("7500000000000000001"), cozeloop.WithAPIToken("pat_bench"),
			// A client of its own, so that NewClient never hands back a
			// cached (and closed) client of an earlier case.
			cozeloop.WithHTTPClient(&http.Client{}),
		}
		if s.mode == batched {
			url = "http://127.0.0.1:9" // never called: the exporter below takes every batch
			opts = append(opts, cozeloop.WithExporter(counter))
		}
		c, err := cozeloop.NewClient(append(opts, cozeloop.WithAPIBaseURL(url))...)
		if err != nil {
			tb.Fatal(err)
		}
		client = c
	}
	ctx, root := client.StartSpan(context.Background(), rootName, "agent")
	c := newCozeloopContent(client)
	return &rig{
		ctx:    ctx,
		record: c.record,
		flush:  func() { client.Flush(context.Background()) },
		stop: func() {
			root.Finish(ctx)
			ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
			defer cancel()
			client.Close(ctx)
		},
		exported: counter.spans.Load,
	}
}
