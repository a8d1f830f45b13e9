package einotrace_test

import (
	"context"
	"testing"

	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/components"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent"
	"github.com/cloudwego/eino/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/spans"
)

// streamingWeather is a tool that only streams its result.
type streamingWeather struct{ weatherTool }

func (streamingWeather) StreamableRun(_ context.Context, _ string, _ ...tool.Option) (*schema.StreamReader[string], error) {
	return schema.StreamReaderFromArray([]string{`{"forecast":`, `"sunny"}`}), nil
}

// selfWeather is a tool that reports its own callbacks.
type selfWeather struct{ weatherTool }

func (selfWeather) IsCallbacksEnabled() bool { return true }

func (t selfWeather) InvokableRun(ctx context.Context, args string, opts ...tool.Option) (string, error) {
	ctx = callbacks.EnsureRunInfo(ctx, "SelfWeather", components.ComponentOfTool)
	ctx = callbacks.OnStart(ctx, &tool.CallbackInput{ArgumentsInJSON: args})
	out, err := t.weatherTool.InvokableRun(ctx, args, opts...)
	if err != nil {
		callbacks.OnError(ctx, err)
		return "", err
	}
	callbacks.OnEnd(ctx, &tool.CallbackOutput{Response: out})
	return out, nil
}

func TestToolKinds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tool   tool.BaseTool
		stream bool
	}{
		{"streamable tool", streamingWeather{}, true},
		{"self-reporting tool", selfWeather{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tp, rec, w := newProvider()
			ag := newReAct(t, weatherScript(), tc.tool)
			opt := agent.WithComposeOptions(compose.WithCallbacks(einotrace.NewHandler(einotrace.WithProvider(tp))))
			if tc.stream {
				sr, err := ag.Stream(context.Background(), question, opt)
				for err == nil {
					_, err = sr.Recv()
				}
				sr.Close()
			} else if _, err := ag.Generate(context.Background(), question, opt); err != nil {
				t.Fatal(err)
			}
			w.wait(t, 1)
			if diff := cmp.Diff(reactTree(""), rec.OnlyTree(t)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
			fn := spansOf(rec, spans.KindFunction)[0].Data().(*spans.Function)
			want := &spans.Function{Name: "get_weather", CallID: "call_1", Input: `{"city":"Paris"}`, Output: `{"forecast":"sunny"}`}
			if diff := cmp.Diff(want, fn); diff != "" {
				t.Errorf("function (-want +got):\n%s", diff)
			}
		})
	}
}
