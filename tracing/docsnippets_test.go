package tracing

import (
	"os"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// TestDocSnippetsCompile type-checks the Go snippets of the package
// documentation as function bodies given what the text assumes.
func TestDocSnippetsCompile(t *testing.T) {
	snippets, err := doccheck.Comments(".", func(code string) bool { return strings.Contains(code, "tracing.") })
	if err != nil {
		t.Fatal(err)
	}
	if len(snippets) < 2 {
		t.Fatalf("found %d snippets, want the package doc's (at least 2)", len(snippets))
	}
	doccheck.Checker{
		Imports: []string{
			"context", "time",
			"github.com/agenttrace/agenttrace-go/processors",
			"github.com/agenttrace/agenttrace-go/spans",
			"github.com/agenttrace/agenttrace-go/tracing",
		},
		Params: "ctx context.Context, threadID, model, args string, msgs []spans.Message, exp processors.Exporter, " +
			"callModel func(context.Context, []spans.Message) ([]spans.Message, *spans.Usage, error), " +
			"lookupOrder func(context.Context, string) (any, error)",
	}.Check(t, snippets)
}

// TestDocsAgreeOnEnv checks that the package documentation and the README
// give, for each variable of env.go, the values that isTrue accepts, and
// that those are the values it accepts.
func TestDocsAgreeOnEnv(t *testing.T) {
	yes := []string{"1", "true", "yes", "on"}
	for _, v := range append([]string{" TRUE ", "On"}, yes...) {
		if !isTrue(v) {
			t.Errorf("isTrue(%q) = false", v)
		}
	}
	for _, v := range []string{"", "0", "false", "off", "no", "ture"} {
		if isTrue(v) {
			t.Errorf("isTrue(%q) = true", v)
		}
	}
	docs := map[string]string{"doc.go": read(t, "doc.go"), "README.md": read(t, "../README.md")}
	for _, name := range []string{EnvDisableTracing, EnvIncludeSensitiveData} {
		for file, text := range docs {
			where := paragraphOf(text, name)
			if where == "" {
				t.Errorf("%s does not mention %s", file, name)
				continue
			}
			for _, v := range yes {
				if !strings.Contains(where, `"`+v+`"`) && !strings.Contains(where, "`"+v+"`") {
					t.Errorf("%s on %s does not give %q:\n%s", file, name, v, where)
				}
			}
			if !strings.Contains(where, "any case, surrounding spaces ignored") {
				t.Errorf("%s on %s does not say that case and spaces do not matter:\n%s", file, name, where)
			}
		}
	}
	for file, text := range docs {
		where := paragraphOf(text, EnvIncludeSensitiveData)
		for _, v := range []string{"0", "false", "typo", "empty", "Unset", "unset"} {
			if !strings.Contains(strings.ToLower(where), strings.ToLower(v)) {
				t.Errorf("%s on %s does not say what %q does:\n%s", file, EnvIncludeSensitiveData, v, where)
			}
		}
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// paragraphOf returns the first paragraph, or table row, of text that
// mentions name, on one line with comment markers removed; or "".
func paragraphOf(text, name string) string {
	var para []string
	flush := func() string {
		p := strings.Join(para, " ")
		para = para[:0]
		if strings.Contains(p, name) {
			return p
		}
		return ""
	}
	for line := range strings.Lines(text + "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "//"))
		if line == "" || strings.HasPrefix(line, "|") {
			if p := flush(); p != "" {
				return p
			}
			if strings.HasPrefix(line, "|") && strings.Contains(line, name) {
				return line
			}
			continue
		}
		para = append(para, line)
	}
	return flush()
}
