package doccheck_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/doccheck"
)

// readme is the repository's README, from this package's directory.
const readme = "../../README.md"

// TestReadmeSnippetsCompile type-checks every go block of the README. A
// block that is not a complete program is the body of a function given what
// the text around it assumes: a ctx, a test's t, a model name and messages,
// and the user's runAgent.
func TestReadmeSnippetsCompile(t *testing.T) {
	all, err := doccheck.Markdown(readme)
	if err != nil {
		t.Fatal(err)
	}
	// Snippets of modules of their own are checked by those modules' tests
	// (instrumentation/*: TestReadmeSnippetCompiles).
	var snippets []doccheck.Snippet
	for _, s := range all {
		own := false
		for _, m := range []string{"einotrace.", "openaitrace.", "anthropictrace.", "mcptrace."} {
			own = own || strings.Contains(s.Code, m)
		}
		if !own {
			snippets = append(snippets, s)
		}
	}
	if len(snippets) < 6 {
		t.Fatalf("found %d go blocks in the README, want at least 6", len(snippets))
	}
	doccheck.Checker{
		Imports: []string{
			"context", "errors", "log/slog", "net/http", "os", "testing", "time",
			"github.com/google/go-cmp/cmp",
			"go.opentelemetry.io/otel",
			`sdktrace "go.opentelemetry.io/otel/sdk/trace"`,
			"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
			"github.com/agenttrace/agenttrace-go/processors/otelbridge",
			"github.com/agenttrace/agenttrace-go/tracing/slogtrace",
			"github.com/agenttrace/agenttrace-go/processors",
			"github.com/agenttrace/agenttrace-go/processors/htmlexport",
			"github.com/agenttrace/agenttrace-go/processors/openaiexport",
			"github.com/agenttrace/agenttrace-go/processors/otlpexport",
			"github.com/agenttrace/agenttrace-go/spans",
			"github.com/agenttrace/agenttrace-go/tracing",
			"github.com/agenttrace/agenttrace-go/tracing/tracingtest",
		},
		Params: "ctx context.Context, t *testing.T, model string, msgs []spans.Message, runAgent func(context.Context, *tracing.Provider), " +
			"exporter sdktrace.SpanExporter, chat http.Handler, serve func(modelHTTP *http.Client) error",
		Results: "error",
		Dir:     "../..",
	}.Check(t, snippets)
}

// TestReadmeQuickStartRuns does what a new user does: makes a new module
// outside the repository, points it at this checkout with the commands of
// the README's Install section, copies the Quick start into main.go and runs
// it. The program must print its answer and the trace tree.
func TestReadmeQuickStartRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	snippets, err := doccheck.Markdown(readme)
	if err != nil {
		t.Fatal(err)
	}
	var program string
	for _, s := range snippets {
		if strings.HasPrefix(s.Code, "package main") {
			program = s.Code
			break
		}
	}
	if program == "" {
		t.Fatal("no complete program (package main) in the README")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	install := installCommands(t, root)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
	run("mod", "init", "example.com/firsthour")
	for _, args := range install {
		run(args...)
	}
	// With the test's own race flag, the packages it shares with the test
	// are not compiled again.
	out := run(append(append([]string{"run"}, doccheck.RaceFlags...), ".")...)
	for _, want := range []string{
		"Order 1234 ships tomorrow.\n",
		`trace "Customer service"`,
		`└─ agent "Triage agent"`,
		"└─ generation",
		"model=gpt-4.1 tokens=12 in/7 out",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the Quick start printed\n%s\nwant it to contain %q", out, want)
		}
	}
}

// installCommands returns the go commands of the README's Install section,
// with the checkout's path put in for /path/to/agenttrace-go.
func installCommands(t *testing.T, root string) [][]string {
	t.Helper()
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Install\n")
	if !ok {
		t.Fatal("README has no Install section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var cmds [][]string
	joined := strings.ReplaceAll(section, "\\\n", " ")
	for line := range strings.Lines(joined) {
		if !strings.HasPrefix(line, "    go ") {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(line, "/path/to/agenttrace-go", root))
		cmds = append(cmds, f[1:])
	}
	if len(cmds) < 2 {
		t.Fatalf("Install section has %d go commands, want the edit and the tidy:\n%s", len(cmds), section)
	}
	return cmds
}
