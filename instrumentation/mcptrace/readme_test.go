package mcptrace_test

import (
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestReadmeSnippetCompiles type-checks the repository README's mcptrace
// snippets, which the core module cannot: they import this module and its SDK.
func TestReadmeSnippetCompiles(t *testing.T) {
	all, err := doccheck.Markdown("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var snippets []doccheck.Snippet
	for _, s := range all {
		if strings.Contains(s.Code, "mcptrace.") {
			snippets = append(snippets, s)
		}
	}
	if len(snippets) == 0 {
		t.Fatal("no mcptrace snippet in the README")
	}
	doccheck.Checker{
		Imports: []string{
			"github.com/modelcontextprotocol/go-sdk/mcp",
			"github.com/agenttrace/agenttrace-go/instrumentation/mcptrace",
		},
		Params: "client *mcp.Client, server *mcp.Server",
	}.Check(t, snippets)
}
