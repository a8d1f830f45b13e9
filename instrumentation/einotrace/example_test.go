package einotrace_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudwego/eino/callbacks"
	"github.com/cloudwego/eino/compose"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
	"github.com/agenttrace/agenttrace-go/tracing/tracingtest"
)

// Register the handler once, and every eino run is a trace.
func ExampleNewHandler() {
	tp, rec := tracingtest.NewProvider() // in a program: otlpexport.InstallFromEnv()
	callbacks.AppendGlobalHandlers(einotrace.NewHandler(einotrace.WithProvider(tp)))
	defer callbacks.InitCallbackHandlers(nil)

	chain := compose.NewChain[string, string]().
		AppendLambda(compose.InvokableLambda(func(_ context.Context, s string) (string, error) {
			return strings.ToUpper(s), nil
		}), compose.WithNodeName("shout"))
	r, _ := chain.Compile(context.Background(), compose.WithGraphName("greeter"))
	out, _ := r.Invoke(context.Background(), "hello")

	fmt.Println(out)
	fmt.Print(rec.Tree(rec.Traces()[0].ID()))
	// Output:
	// HELLO
	// trace "greeter"
	//   agent "greeter"
	//     custom "shout"
}
