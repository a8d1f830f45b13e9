package htmlexport_test

import (
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestDocSnippetsCompile type-checks the package documentation's snippet.
func TestDocSnippetsCompile(t *testing.T) {
	snippets, err := doccheck.Comments(".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(snippets) != 1 {
		t.Fatalf("found %d snippets, want the package doc's one", len(snippets))
	}
	doccheck.Checker{
		Imports: []string{
			"context",
			"github.com/agenttrace/agenttrace-go/processors",
			"github.com/agenttrace/agenttrace-go/processors/htmlexport",
			"github.com/agenttrace/agenttrace-go/tracing",
		},
		Results: "error",
	}.Check(t, snippets)
}
