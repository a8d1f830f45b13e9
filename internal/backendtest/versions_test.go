package backendtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolSharesModuleVersions checks that tools/collector requires every
// module it shares with the repository's own module at the same version.
// Then the collector's build reuses the packages (gRPC, protobuf, the
// OpenTelemetry SDK, golang.org/x/...) that `make test` has already compiled
// for vet, which keeps a cold `make test` short.
func TestToolSharesModuleVersions(t *testing.T) {
	tool, err := findTool()
	if err != nil {
		t.Fatal(err)
	}
	root := requires(t, filepath.Join(tool, "..", "..", "go.mod"))
	shared := 0
	for path, v := range requires(t, filepath.Join(tool, "go.mod")) {
		rv, ok := root[path]
		if !ok {
			continue
		}
		shared++
		if rv != v {
			t.Errorf("%s: tools/collector requires %s, the module %s; align them "+
				"(cd tools/collector && go get %s@%s && go mod tidy, or raise the module's)", path, v, rv, path, rv)
		}
	}
	if shared < 10 {
		t.Errorf("only %d modules shared between go.mod and tools/collector/go.mod, want the gRPC and OpenTelemetry ones", shared)
	}
}

// requires returns the module paths and versions that a go.mod requires.
func requires(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	block := false
	for line := range strings.Lines(string(b)) {
		line, _, _ = strings.Cut(line, "//")
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "require" && f[1] == "(":
			block = true
		case block && len(f) == 1 && f[0] == ")":
			block = false
		case block && len(f) == 2:
			out[f[0]] = f[1]
		case len(f) == 3 && f[0] == "require":
			out[f[1]] = f[2]
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s requires nothing", path)
	}
	return out
}
