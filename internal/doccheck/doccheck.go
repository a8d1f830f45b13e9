// Package doccheck type-checks the Go snippets of the documentation: the
// fenced go blocks of Markdown files and the code blocks of doc comments.
//
// A snippet that starts with a package clause is checked as the complete
// file it is. One made of declarations only (types, functions) is checked as
// a file of them. Any other snippet is checked as the body of a function
// whose parameters ([Checker.Params]) name what the surrounding text assumes
// (a ctx, a model's messages, ...), so a snippet must compile as written: no
// unused variable, no value of the wrong type, no name that is not given.
package doccheck

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
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Snippet is one code block of a document.
type Snippet struct {
	// File and Line are where the block's first line is.
	File string
	Line int
	// Code is the block's text.
	Code string
}

// Where returns the snippet's place as file:line.
func (s Snippet) Where() string { return s.File + ":" + strconv.Itoa(s.Line) }

// MarkdownContaining returns the fenced go blocks of the Markdown file at
// path whose code contains substr, such as "mcptrace.": the snippets of one
// module, for that module's test to check. It fails t when the file cannot
// be read or holds no such block.
func MarkdownContaining(t testing.TB, path, substr string) []Snippet {
	t.Helper()
	all, err := Markdown(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []Snippet
	for _, s := range all {
		if strings.Contains(s.Code, substr) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no go block of %s contains %q", path, substr)
	}
	return out
}

// Markdown returns the fenced blocks of the Markdown file at path whose info
// string is "go".
func Markdown(path string) ([]Snippet, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Snippet
	var code strings.Builder
	in, start := false, 0
	for i, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && strings.HasPrefix(trimmed, "```") && strings.TrimSpace(strings.TrimPrefix(trimmed, "```")) == "go":
			in, start = true, i+1
			code.Reset()
		case in && trimmed == "```":
			in = false
			out = append(out, Snippet{File: path, Line: start + 1, Code: code.String()})
		case in:
			code.WriteString(line + "\n")
		}
	}
	if in {
		return nil, fmt.Errorf("%s:%d: go block never closed", path, start)
	}
	return out, nil
}

// Comments returns the code blocks of the comments of the non-test Go files
// in dir for which keep returns true (keep tells Go from shell commands or
// variable settings; nil keeps every block).
func Comments(dir string, keep func(code string) bool) ([]Snippet, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var out []Snippet
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, cg := range f.Comments {
			var p comment.Parser
			text := cg.Text()
			for _, b := range p.Parse(text).Content {
				if c, ok := b.(*comment.Code); ok && (keep == nil || keep(c.Text)) {
					out = append(out, Snippet{File: name, Line: fset.Position(cg.Pos()).Line + lineOf(text, c.Text), Code: c.Text})
				}
			}
		}
	}
	return out, nil
}

// lineOf returns the index of the line of text that holds the first line of
// code, or 0.
func lineOf(text, code string) int {
	first, _, _ := strings.Cut(code, "\n")
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == strings.TrimSpace(first) {
			return i
		}
	}
	return 0
}

// Checker type-checks snippets.
type Checker struct {
	// Imports are the packages a snippet without a package clause may use,
	// by import path; the snippet names each by its package name, or by the
	// name an entry gives it before the path (`sdktrace "go.opentelemetry.io/otel/sdk/trace"`).
	Imports []string
	// Params is the parameter list of the function whose body a statement
	// snippet is, such as "ctx context.Context, msgs []spans.Message".
	Params string
	// Results is that function's result list, such as "error", so that a
	// snippet may return; empty means none.
	Results string
	// Dir is where the go command runs to build the export data of the
	// imports: a directory of the module that holds them. Empty means the
	// working directory.
	Dir string
}

// Check type-checks each snippet, reporting every error on t with the
// snippet's place and text.
func (c Checker) Check(t testing.TB, snippets []Snippet) {
	t.Helper()
	fset := token.NewFileSet()
	files := make([]*ast.File, len(snippets))
	need := make([]string, 0, len(c.Imports))
	for _, imp := range c.Imports {
		need = append(need, importPath(imp))
	}
	for i, s := range snippets {
		src := c.source(i, s)
		f, err := parser.ParseFile(fset, s.File, src, parser.ParseComments)
		if err != nil {
			t.Errorf("snippet at %s does not parse: %v\n%s", s.Where(), err, s.Code)
			continue
		}
		files[i] = f
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			need = append(need, p)
		}
	}
	imp := c.importer(t, fset, need)
	for i, f := range files {
		if f == nil {
			continue
		}
		var errs []error
		conf := types.Config{Importer: imp, Error: func(err error) {
			// The fixed import list is a superset of what each snippet
			// uses; other unused names are real mistakes.
			if te, ok := err.(types.Error); ok && isUnusedImport(te.Msg) && !isComplete(snippets[i].Code) {
				return
			}
			errs = append(errs, err)
		}}
		_, _ = conf.Check("snippet", fset, []*ast.File{f}, nil)
		for _, err := range errs {
			t.Errorf("snippet at %s: %v\n%s", snippets[i].Where(), err, snippets[i].Code)
		}
	}
}

// isUnusedImport reports whether msg is the type checker's "imported and not
// used" (or, for a named import, "imported as x and not used").
func isUnusedImport(msg string) bool {
	return strings.HasSuffix(msg, " and not used") && strings.Contains(msg, " imported")
}

// importPath returns the path of an Imports entry, without its name.
func importPath(entry string) string {
	if _, path, aliased := strings.Cut(entry, " "); aliased {
		if p, err := strconv.Unquote(path); err == nil {
			return p
		}
		return path
	}
	return entry
}

// isComplete reports whether code is a whole file, package clause included.
func isComplete(code string) bool {
	for line := range strings.Lines(code) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		return strings.HasPrefix(line, "package ")
	}
	return false
}

// source returns the file that snippet i is checked as, with a line
// directive so that errors point into the document.
func (c Checker) source(i int, s Snippet) string {
	code := "//line " + s.Where() + "\n" + s.Code
	if isComplete(s.Code) {
		return code
	}
	var b strings.Builder
	b.WriteString("package snippet\n\nimport (\n")
	for _, p := range c.Imports {
		if name, path, aliased := strings.Cut(p, " "); aliased {
			fmt.Fprintf(&b, "\t%s %s\n", name, path)
		} else {
			fmt.Fprintf(&b, "\t%q\n", p)
		}
	}
	b.WriteString(")\n\n")
	if declarationsOnly(b.String() + s.Code) {
		return b.String() + code
	}
	fmt.Fprintf(&b, "func snippet%d(%s) (%s) {\n", i, c.Params, c.Results)
	b.WriteString(code)
	if c.Results != "" {
		b.WriteString("\tpanic(\"unreachable\")\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// declarationsOnly reports whether src parses as a file, that is, whether the
// snippet in it is made of declarations only.
func declarationsOnly(src string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	return err == nil
}

// importer imports packages from the export data that the go command builds
// for paths and their dependencies, with the test binary's [RaceFlags].
func (c Checker) importer(t testing.TB, fset *token.FileSet, paths []string) types.Importer {
	t.Helper()
	slices.Sort(paths)
	paths = slices.Compact(paths)
	goTool, err := exec.LookPath("go") // go test puts its own first on PATH
	if err != nil {
		t.Fatal("doccheck: no go command to build export data")
	}
	args := append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, RaceFlags...)
	args = append(args, paths...)
	cmd := exec.Command(goTool, args...)
	cmd.Dir = c.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("doccheck: go list: %v\n%s", err, stderr.String())
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
