package mcptrace_test

import (
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestReadmeSnippetCompiles type-checks the repository README's mcptrace
// snippets, which the core module cannot: they import this module and its SDK.
func TestReadmeSnippetCompiles(t *testing.T) {
	snippets := doccheck.MarkdownContaining(t, "../../README.md", "mcptrace.")
	doccheck.Checker{
		Imports: []string{
			"github.com/modelcontextprotocol/go-sdk/mcp",
			"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace",
		},
		Params: "client *mcp.Client, server *mcp.Server",
	}.Check(t, snippets)
}
