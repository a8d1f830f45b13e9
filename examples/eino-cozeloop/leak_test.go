package main

import (
	"testing"

	"github.com/cloudwego/eino/callbacks"
	"go.uber.org/goleak"

	"github.com/agenttrace/agenttrace-go/instrumentation/einotrace"
)

// TestMain registers the handler as main does, once, and checks that no
// test leaves a goroutine behind.
func TestMain(m *testing.M) {
	callbacks.AppendGlobalHandlers(einotrace.NewHandler())
	goleak.VerifyTestMain(m)
}
