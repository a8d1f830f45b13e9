package otlpexport

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// snippetImports are the packages a documentation snippet may use.
var snippetImports = []string{
	"context", "errors", "log", "os", "time",
	"github.com/agenttrace/agenttrace-go/processors",
	"github.com/agenttrace/agenttrace-go/processors/otlpexport",
	"github.com/agenttrace/agenttrace-go/tracing",
}

// TestDocSnippetsCompile type-checks every Go snippet of this package's doc
// comments as the body of a function returning error, with workspaceID and
// token as string parameters: a snippet must compile as written (no unused
// err, no exporter where a processor is wanted).
func TestDocSnippetsCompile(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	type snippet struct {
		where, code string
	}
	var snippets []snippet
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, cg := range f.Comments {
			var p comment.Parser
			for _, b := range p.Parse(cg.Text()).Content {
				c, ok := b.(*comment.Code)
				if ok && isGoSnippet(c.Text) {
					snippets = append(snippets, snippet{fset.Position(cg.Pos()).String(), c.Text})
				}
			}
		}
	}
	if len(snippets) < 6 {
		t.Fatalf("found %d snippets, want the package's (at least 6)", len(snippets))
	}
	imp := exportImporter(t, fset)
	for i, s := range snippets {
		var src strings.Builder
		src.WriteString("package snippet\n\nimport (\n")
		for _, p := range snippetImports {
			fmt.Fprintf(&src, "\t%q\n", p)
		}
		src.WriteString(")\n\nvar _ = []any{context.Background, errors.Is, log.Print, os.Getenv, time.Second, processors.NewSync, otlpexport.New, tracing.NewProvider}\n\n")
		fmt.Fprintf(&src, "func snippet%d(workspaceID, token string) error {\n\t_, _ = workspaceID, token\n%s\treturn nil\n}\n", i, s.code)
		file, err := parser.ParseFile(fset, fmt.Sprintf("snippet%d.go", i), src.String(), 0)
		if err != nil {
			t.Errorf("snippet at %s does not parse: %v\n%s", s.where, err, s.code)
			continue
		}
		var errs []error
		conf := types.Config{Importer: imp, Error: func(err error) { errs = append(errs, err) }}
		conf.Check("snippet", fset, []*ast.File{file}, nil)
		for _, err := range errs {
			t.Errorf("snippet at %s: %v\n%s", s.where, err, s.code)
		}
	}
}

// isGoSnippet tells Go code from the other blocks of the docs (variable
// settings, tables, shell commands).
func isGoSnippet(code string) bool {
	return strings.Contains(code, ":=") || strings.Contains(code, "otlpexport.") || strings.Contains(code, "tracing.")
}

// exportImporter imports packages from the export data that the go command
// builds for snippetImports and their dependencies.
func exportImporter(t *testing.T, fset *token.FileSet) types.Importer {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to build export data")
		}
	}
	args := append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, snippetImports...)
	cmd := exec.Command(goTool, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	files := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			files[path] = file
		}
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
}
