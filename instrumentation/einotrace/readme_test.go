package einotrace_test

import (
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
	// The snippet's imports must resolve in this module for their export
	// data to be built.
	_ "github.com/agenttrace/agenttrace-go/processors/otlpexport"
)

// TestReadmeSnippetCompiles type-checks the repository README's eino
// snippets, which the core module cannot: they import this module and eino.
func TestReadmeSnippetCompiles(t *testing.T) {
	all, err := doccheck.Markdown("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var snippets []doccheck.Snippet
	for _, s := range all {
		if strings.Contains(s.Code, "einotrace.") {
			snippets = append(snippets, s)
		}
	}
	if len(snippets) == 0 {
		t.Fatal("no einotrace snippet in the README")
	}
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
