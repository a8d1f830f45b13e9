package openaitrace_test

import (
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestReadmeSnippetCompiles type-checks the repository README's openaitrace
// snippets, which the core module cannot: they import this module and its SDK.
func TestReadmeSnippetCompiles(t *testing.T) {
	snippets := doccheck.MarkdownContaining(t, "../../README.md", "openaitrace.")
	doccheck.Checker{
		Imports: []string{
			"github.com/openai/openai-go/v3",
			"github.com/openai/openai-go/v3/option",
			"github.com/agenttrace/agenttrace-go/instrumentation/openaitrace",
		},
		Params: "",
	}.Check(t, snippets)
}
