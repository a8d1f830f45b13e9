package anthropictrace_test

import (
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestReadmeSnippetCompiles type-checks the repository README's anthropictrace
// snippets, which the core module cannot: they import this module and its SDK.
func TestReadmeSnippetCompiles(t *testing.T) {
	snippets := doccheck.MarkdownContaining(t, "../../README.md", "anthropictrace.")
	doccheck.Checker{
		Imports: []string{
			"github.com/anthropics/anthropic-sdk-go/v2",
			"github.com/anthropics/anthropic-sdk-go/v2/option",
			"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace",
		},
		Params: "",
	}.Check(t, snippets)
}
