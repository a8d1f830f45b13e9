package einotrace_test

import (
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
	// The snippet's imports must resolve in this module for their export
	// data to be built.
	_ "github.com/agenttrace/agenttrace-go/processors/otlpexport"
)

// TestReadmeSnippetCompiles type-checks the repository README's eino
// snippets, which the core module cannot: they import this module and eino.
func TestReadmeSnippetCompiles(t *testing.T) {
	snippets := doccheck.MarkdownContaining(t, "../../README.md", "einotrace.")
	doccheck.Checker{
		Imports: []string{
			"context",
			"github.com/cloudwego/eino/callbacks",
			"github.com/agenttrace/agenttrace-go/instrumentation/einotrace",
			"github.com/agenttrace/agenttrace-go/processors/otlpexport",
		},
		Results: "error",
	}.Check(t, snippets)
}
