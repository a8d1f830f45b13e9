// Package backendtest runs a real OTLP backend for end-to-end tests and reads
// back what it stored.
//
// The backend is the OpenTelemetry Collector's OTLP/HTTP receiver feeding its
// file exporter (tools/collector): the receiver decodes each request exactly
// as any Collector would (protobuf or JSON, gzip, partial success replies),
// and the exporter appends what it accepted to a file as OTLP/JSON.
// [Start] builds it once (see [Build]; the binary is cached under the user's
// cache directory, keyed by the tool's sources), starts it on a free
// 127.0.0.1 port and stops it when the test ends. Send spans to
// [Backend.OTLPEndpoint] with any OTLP/HTTP exporter and read them back with
// [Backend.Trace].
//
// A cold build takes about a minute and shares most of its packages with the
// module's own tests; `make test` runs `make backend` first, printing its
// progress, so that `go test`'s timeout is spent on tests. Tests using the
// harness are skipped under -short.
package backendtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Readiness and polling bounds.
const (
	startTimeout = 60 * time.Second
	pollInterval = 25 * time.Millisecond
	// DefaultTraceTimeout bounds [Backend.Trace] when its context has no deadline.
	DefaultTraceTimeout = 30 * time.Second
	maxStartAttempts    = 3
	logTail             = 64 << 10
)

// Backend is a running collector process. Its methods are safe for
// concurrent use.
type Backend struct {
	port     int
	dataPath string // the file exporter's output
	logPath  string
	cmd      *exec.Cmd
	exited   chan struct{} // closed when the process has exited
}

// Start builds the collector if needed, starts it and registers its shutdown
// with t.Cleanup. It fails t when the collector cannot be built or does not
// report ready within a minute, showing its log; when t fails later, the log
// is shown too. It skips t under -short.
func Start(t testing.TB) *Backend {
	t.Helper()
	if testing.Short() {
		t.Skip("backendtest: end-to-end test skipped in -short mode")
	}
	bin, err := Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var errs []error
	for attempt := range maxStartAttempts {
		b, err := start(bin, dir, attempt)
		if err == nil {
			t.Cleanup(func() {
				b.stop()
				if t.Failed() {
					t.Logf("backendtest: collector log (%s):\n%s", b.logPath, b.Log())
				}
			})
			return b
		}
		errs = append(errs, err)
	}
	t.Fatalf("backendtest: the collector did not start:\n%v", errors.Join(errs...))
	return nil
}

// start runs one attempt: a fresh port, the process, and a bounded wait for
// its "ready" line.
func start(bin, dir string, attempt int) (*Backend, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(attempt)
	b := &Backend{
		port:     port,
		dataPath: filepath.Join(dir, "traces-"+n+".jsonl"),
		logPath:  filepath.Join(dir, "collector-"+n+".log"),
		exited:   make(chan struct{}),
	}
	logf, err := os.Create(b.logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child and the copying goroutine hold their own
	ready := &readyWriter{ch: make(chan struct{})}
	b.cmd = exec.Command(bin, "-http", "127.0.0.1:"+strconv.Itoa(port), "-file", b.dataPath)
	b.cmd.Stdout, b.cmd.Stderr = io.MultiWriter(logf, ready), logf
	b.cmd.Dir = dir
	if err := b.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		_ = b.cmd.Wait()
		close(b.exited)
	}()
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-ready.ch:
		return b, nil
	case <-b.exited:
		err = fmt.Errorf("the collector exited during startup: %v", b.cmd.ProcessState)
	case <-timer.C:
		err = fmt.Errorf("the collector not ready after %v", startTimeout)
	}
	b.stop()
	return nil, fmt.Errorf("attempt %d: %w\n%s", attempt+1, err, b.Log())
}

// readyWriter closes ch when the line "ready" has been written to it.
type readyWriter struct {
	mu   sync.Mutex
	line []byte
	ch   chan struct{}
	done bool
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range p {
		if w.done {
			break
		}
		if c != '\n' {
			w.line = append(w.line, c)
			continue
		}
		if string(bytes.TrimSpace(w.line)) == "ready" {
			w.done = true
			close(w.ch)
		}
		w.line = w.line[:0]
	}
	return len(p), nil
}

// stop asks the collector to shut down, kills it when it has not exited
// within five seconds and waits for it.
func (b *Backend) stop() {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.exited:
		return
	case <-time.After(5 * time.Second):
	}
	_ = b.cmd.Process.Kill()
	select {
	case <-b.exited:
	case <-time.After(10 * time.Second):
	}
}

// OTLPEndpoint returns the URL of the OTLP/HTTP traces receiver, such as
// http://127.0.0.1:4318/v1/traces.
func (b *Backend) OTLPEndpoint() string {
	return "http://127.0.0.1:" + strconv.Itoa(b.port) + "/v1/traces"
}

// DataPath returns the file the collector appends received traces to, as
// OTLP/JSON, one line per request.
func (b *Backend) DataPath() string { return b.dataPath }

// Log returns the last 64 KiB of the collector's log.
func (b *Backend) Log() string {
	data, err := os.ReadFile(b.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(data) > logTail {
		data = data[len(data)-logTail:]
	}
	return strings.TrimSpace(string(data))
}

// freePort reserves a free TCP port on 127.0.0.1. It is released before the
// collector binds it, so another process may take it in between; Start
// retries when the collector fails to bind.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
