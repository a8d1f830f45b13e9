package doccheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the errors reported on it.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestMarkdownBlocks checks that only go fences are taken, with the line of
// their first line of code.
func TestMarkdownBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	doc := "# T\n\n```go\nx := 1\n```\n\n```sh\ngo test\n```\n\n    indented := 2\n\n```go\ny := 2\n_ = y\n```\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Markdown(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Code != "x := 1\n" || got[0].Line != 4 || got[1].Code != "y := 2\n_ = y\n" || got[1].Line != 14 {
		t.Fatalf("Markdown = %+v", got)
	}
	if err := os.WriteFile(path, []byte("```go\nx := 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Markdown(path); err == nil || !strings.Contains(err.Error(), "never closed") {
		t.Fatalf("unclosed block: err = %v", err)
	}
}

// TestCheckReportsMistakes checks that each kind of snippet compiles when
// right and is reported, at its line in the document, when wrong.
func TestCheckReportsMistakes(t *testing.T) {
	c := Checker{Imports: []string{"context", "strings"}, Params: "ctx context.Context, name string", Results: "error"}
	good := []Snippet{
		{File: "doc.md", Line: 1, Code: "upper := strings.ToUpper(name)\n_ = upper\n"},
		{File: "doc.md", Line: 5, Code: "if ctx.Err() != nil {\n\treturn ctx.Err()\n}\n"},
		{File: "doc.md", Line: 9, Code: "type Greeter interface {\n\tGreet(ctx context.Context) string\n}\n"},
		{File: "doc.md", Line: 20, Code: "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n"},
	}
	r := &recorder{TB: t}
	c.Check(r, good)
	if len(r.errs) != 0 {
		t.Fatalf("good snippets reported:\n%s", strings.Join(r.errs, "\n"))
	}
	bad := map[string]Snippet{
		"declared and not used": {File: "doc.md", Line: 30, Code: "upper := strings.ToUpper(name)\n"},
		"undefined: threadID":   {File: "doc.md", Line: 40, Code: "_ = threadID\n"},
		"cannot use":            {File: "doc.md", Line: 50, Code: "var n int = name\n_ = n\n"},
		`"os" imported and not used`: {File: "doc.md", Line: 60,
			Code: "package main\n\nimport \"os\"\n\nfunc main() {}\n"},
	}
	for want, s := range bad {
		r := &recorder{TB: t}
		c.Check(r, []Snippet{s})
		if len(r.errs) != 1 || !strings.Contains(r.errs[0], want) || !strings.Contains(r.errs[0], "doc.md:") {
			t.Errorf("snippet %q: errors %q, want one mentioning %q and doc.md", s.Code, r.errs, want)
		}
	}
}

// TestCommentsBlocks checks that code blocks of doc comments are found, and
// filtered by keep.
func TestCommentsBlocks(t *testing.T) {
	dir := t.TempDir()
	src := "// Package p does things.\n//\n//\tx := p.New()\n//\n// Set it:\n//\n//\tP_VAR=1 cmd\npackage p\n"
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Comments(dir, func(code string) bool { return strings.Contains(code, ":=") })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Code != "x := p.New()\n" || got[0].Line != 3 {
		t.Fatalf("Comments = %+v", got)
	}
}
