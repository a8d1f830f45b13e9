package anthropictrace_test

import (
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestReadmeSnippetCompiles type-checks the repository README's anthropictrace
// snippets, which the core module cannot: they import this module and its SDK.
func TestReadmeSnippetCompiles(t *testing.T) {
	all, err := doccheck.Markdown("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var snippets []doccheck.Snippet
	for _, s := range all {
		if strings.Contains(s.Code, "anthropictrace.") {
			snippets = append(snippets, s)
		}
	}
	if len(snippets) == 0 {
		t.Fatal("no anthropictrace snippet in the README")
	}
	doccheck.Checker{
		Imports: []string{
			"github.com/anthropics/anthropic-sdk-go/v2",
			"github.com/anthropics/anthropic-sdk-go/v2/option",
			"github.com/agenttrace/agenttrace-go/instrumentation/anthropictrace",
		},
		Params: "",
	}.Check(t, snippets)
}
