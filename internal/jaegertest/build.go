package jaegertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Version is the version of the github.com/jaegertracing/jaeger module the
// harness runs (module v1.76.0 is Jaeger v2.13.0). It must match
// tools/jaeger/go.mod; it keys the cached binary.
const Version = "v1.76.0"

// BinEnv names an environment variable that, when set, gives the path of a
// Jaeger v2 binary to use instead of the cached build.
const BinEnv = "AGENTTRACE_JAEGER_BIN"

// toolsDir is where the tools module that builds Jaeger lives, relative to
// the repository root.
const toolsDir = "tools/jaeger"

// BinaryPath returns where the built Jaeger binary is cached: the value of
// [BinEnv] when set, otherwise a path under [os.UserCacheDir] keyed by
// [Version]. The file may not exist yet.
func BinaryPath() (string, error) {
	if p := os.Getenv(BinEnv); p != "" {
		return p, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("jaegertest: no cache directory: %w", err)
	}
	return filepath.Join(dir, "agenttrace-go", "jaeger-"+Version, "jaeger"), nil
}

// Build returns the path of the Jaeger binary, building it first when it is
// not cached. The build runs `go build` in the tools/jaeger module, found by
// walking up from the working directory; a cold build compiles the whole
// OpenTelemetry Collector and takes minutes. Build output goes to log, which
// may be nil. Concurrent calls, from this or other processes, build once: a
// lock file serializes them (on Unix), and the binary is written to a
// temporary file and renamed into place.
func Build(ctx context.Context, log io.Writer) (string, error) {
	bin, err := BinaryPath()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if os.Getenv(BinEnv) != "" {
		return "", fmt.Errorf("jaegertest: %s=%s does not exist", BinEnv, bin)
	}
	tools, err := findTools()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", fmt.Errorf("jaegertest: %w", err)
	}
	unlock, err := lockFile(ctx, bin+".lock")
	if err != nil {
		return "", fmt.Errorf("jaegertest: locking the build: %w", err)
	}
	defer unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // built by another process while we waited
	}
	tmp := bin + ".tmp" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", tmp, "github.com/jaegertracing/jaeger/cmd/jaeger")
	cmd.Dir = tools
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly -buildvcs=false")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if log != nil {
		log.Write(out.Bytes())
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("jaegertest: building Jaeger in %s: %w\n%s", tools, err, out.Bytes())
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("jaegertest: %w", err)
	}
	return bin, nil
}

// findTools walks up from the working directory to the directory that holds
// tools/jaeger/go.mod.
func findTools() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("jaegertest: %w", err)
	}
	for {
		cand := filepath.Join(dir, toolsDir)
		if _, err := os.Stat(filepath.Join(cand, "go.mod")); err == nil {
			return cand, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("jaegertest: " + toolsDir + "/go.mod not found above the working directory")
		}
		dir = parent
	}
}
