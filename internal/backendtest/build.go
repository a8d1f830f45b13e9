package backendtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// BinEnv names an environment variable that, when set, gives the path of a
// collector binary to use instead of the cached build.
const BinEnv = "AGENTTRACE_COLLECTOR_BIN"

// toolDir is where the module of the collector lives, relative to the
// repository root.
const toolDir = "tools/collector"

// buildFlags are the flags of the collector's go build. The race detector
// is on, as in make test: the packages the collector shares with the tests
// (gRPC, protobuf, the OTel SDK, golang.org/x) are then compiled once, for
// both, instead of once with it and once without.
var buildFlags = []string{"build", "-race", "-v"}

// toolFiles are the files of toolDir whose contents key the cached binary.
var toolFiles = []string{"go.mod", "go.sum", "main.go"}

// BinaryPath returns where the built collector is cached: the value of
// [BinEnv] when set, otherwise a path under [os.UserCacheDir] named after a
// hash of the tool's go.mod, go.sum and main.go, so that any change to them
// builds anew. The file may not exist yet.
func BinaryPath() (string, error) {
	if p := os.Getenv(BinEnv); p != "" {
		return p, nil
	}
	dir, err := findTool()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "flags %q\n", buildFlags)
	for _, name := range toolFiles {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", fmt.Errorf("backendtest: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("backendtest: no cache directory: %w", err)
	}
	return filepath.Join(cache, "agenttrace-go", "collector-"+hex.EncodeToString(h.Sum(nil))[:16], "collector"), nil
}

// Build returns the path of the collector binary, building it first when it
// is not cached. The build runs `go build -race -v` in the tools/collector module,
// found by walking up from the working directory; it has no deadline of its
// own (ctx bounds it), and the packages it compiles are written to log as
// they are built, which may be nil. Concurrent calls, from this or other
// processes, build once: a lock file serializes them (on Unix), and the
// binary is written to a temporary file and renamed into place.
func Build(ctx context.Context, log io.Writer) (string, error) {
	bin, err := BinaryPath()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if os.Getenv(BinEnv) != "" {
		return "", fmt.Errorf("backendtest: %s=%s does not exist", BinEnv, bin)
	}
	tool, err := findTool()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", fmt.Errorf("backendtest: %w", err)
	}
	unlock, err := lockFile(ctx, bin+".lock")
	if err != nil {
		return "", fmt.Errorf("backendtest: locking the build: %w", err)
	}
	defer unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // built by another process while we waited
	}
	tmp := bin + ".tmp" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	cmd := exec.CommandContext(ctx, "go", append(buildFlags[:len(buildFlags):len(buildFlags)], "-o", tmp, ".")...)
	cmd.Dir = tool
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	var out bytes.Buffer
	w := io.Writer(&out)
	if log != nil {
		w = io.MultiWriter(&out, log)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("backendtest: building the collector in %s: %w\n%s", tool, err, tail(out.Bytes(), 8<<10))
	}
	if err := os.Rename(tmp, bin); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("backendtest: %w", err)
	}
	return bin, nil
}

// tail returns at most the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// findTool walks up from the working directory to the directory that holds
// tools/collector/go.mod.
func findTool() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("backendtest: %w", err)
	}
	for {
		cand := filepath.Join(dir, toolDir)
		if _, err := os.Stat(filepath.Join(cand, "go.mod")); err == nil {
			return cand, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("backendtest: " + toolDir + "/go.mod not found above the working directory")
		}
		dir = parent
	}
}
