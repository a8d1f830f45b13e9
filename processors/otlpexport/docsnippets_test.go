package otlpexport

import (
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestDocSnippetsCompile type-checks every Go snippet of this package's doc
// comments as the body of a function returning error, with workspaceID and
// token as string parameters: a snippet must compile as written (no unused
// err, no exporter where a processor is wanted).
func TestDocSnippetsCompile(t *testing.T) {
	snippets, err := doccheck.Comments(".", isGoSnippet)
	if err != nil {
		t.Fatal(err)
	}
	if len(snippets) < 6 {
		t.Fatalf("found %d snippets, want the package's (at least 6)", len(snippets))
	}
	doccheck.Checker{
		Imports: []string{
			"context", "errors", "log", "os", "time",
			"github.com/agenttrace/agenttrace-go/processors",
			"github.com/agenttrace/agenttrace-go/processors/otlpexport",
			"github.com/agenttrace/agenttrace-go/tracing",
		},
		Params:  "workspaceID, token string",
		Results: "error",
	}.Check(t, snippets)
}

// isGoSnippet tells Go code from the other blocks of the docs (variable
// settings, tables, shell commands).
func isGoSnippet(code string) bool {
	return strings.Contains(code, ":=") || strings.Contains(code, "otlpexport.") || strings.Contains(code, "tracing.")
}
