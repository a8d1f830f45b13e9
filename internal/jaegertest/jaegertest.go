// Package jaegertest runs a real Jaeger v2 all-in-one process for end-to-end
// tests and reads traces back through its query API.
//
// [Start] builds Jaeger once (see [Build]; the binary is cached under the
// user's cache directory), starts it with in-memory storage and every
// listener on 127.0.0.1, waits until it is healthy and stops it when the test
// ends. Send spans to [Jaeger.OTLPEndpoint] with any OTLP/HTTP exporter and
// fetch them with [Jaeger.Trace], which polls because Jaeger ingests
// asynchronously.
//
// The first build compiles Jaeger and the OpenTelemetry Collector and takes
// minutes; run `make jaeger` (or `go run ./internal/jaegertest/cmd/build`)
// beforehand so that `go test`'s timeout is spent on tests. Tests using the
// harness are skipped under -short.
package jaegertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Readiness and polling bounds.
const (
	startTimeout = 60 * time.Second
	pollInterval = 50 * time.Millisecond
	// DefaultTraceTimeout bounds [Jaeger.Trace] when its context has no deadline.
	DefaultTraceTimeout = 30 * time.Second
	maxStartAttempts    = 3
	buildTimeout        = 20 * time.Minute // a cold build takes 5 to 8 minutes on 2 cores
	logTail             = 64 << 10
)

// Jaeger is a running Jaeger v2 process. Its methods are safe for concurrent use.
type Jaeger struct {
	ports   ports
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	client  *http.Client
}

// Start builds Jaeger if needed, starts it and registers its shutdown with
// t.Cleanup. It fails t when Jaeger cannot be built or does not become healthy
// within a minute, showing Jaeger's log; when t fails later, the log is shown
// too. It skips t under -short.
func Start(t testing.TB) *Jaeger {
	t.Helper()
	if testing.Short() {
		t.Skip("jaegertest: Jaeger end-to-end test skipped in -short mode")
	}
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	bin, err := Build(ctx, nil)
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var errs []error
	for attempt := range maxStartAttempts {
		j, err := start(bin, dir, attempt)
		if err == nil {
			t.Cleanup(func() {
				j.stop()
				if t.Failed() {
					t.Logf("jaegertest: Jaeger log (%s):\n%s", j.logPath, j.Log())
				}
			})
			return j
		}
		errs = append(errs, err)
	}
	t.Fatalf("jaegertest: Jaeger did not start:\n%v", errors.Join(errs...))
	return nil
}

// start runs one attempt: fresh ports, a config file, the process, and a
// bounded wait for the health check.
func start(bin, dir string, attempt int) (*Jaeger, error) {
	ps, err := freePorts(4)
	if err != nil {
		return nil, err
	}
	j := &Jaeger{
		ports:   ports{otlpHTTP: ps[0], queryHTTP: ps[1], queryGRPC: ps[2], health: ps[3]},
		logPath: filepath.Join(dir, "jaeger-"+strconv.Itoa(attempt)+".log"),
		exited:  make(chan struct{}),
		client:  &http.Client{Timeout: 5 * time.Second},
	}
	cfg := filepath.Join(dir, "jaeger-"+strconv.Itoa(attempt)+".yaml")
	if err := os.WriteFile(cfg, []byte(configYAML(j.ports)), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(j.logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child keeps its own descriptor
	j.cmd = exec.Command(bin, "--config", "file:"+cfg)
	j.cmd.Stdout, j.cmd.Stderr = logf, logf
	j.cmd.Dir = dir
	if err := j.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		j.cmd.Wait()
		close(j.exited)
	}()
	if err := j.waitHealthy(); err != nil {
		j.stop()
		return nil, fmt.Errorf("attempt %d: %w\n%s", attempt+1, err, j.Log())
	}
	return j, nil
}

// waitHealthy polls the health check until it reports 200, the process
// exits, or startTimeout passes.
func (j *Jaeger) waitHealthy() error {
	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	url := "http://127.0.0.1:" + strconv.Itoa(j.ports.health) + "/status"
	for {
		select {
		case <-j.exited:
			return fmt.Errorf("jaeger exited during startup: %v", j.cmd.ProcessState)
		case <-deadline.C:
			return fmt.Errorf("jaeger not healthy after %v", startTimeout)
		case <-tick.C:
		}
		resp, err := j.client.Get(url)
		if err != nil {
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
	}
}

// stop kills the process, waits for it to exit and closes idle connections.
func (j *Jaeger) stop() {
	j.client.CloseIdleConnections()
	j.cmd.Process.Kill()
	select {
	case <-j.exited:
	case <-time.After(10 * time.Second):
	}
}

// OTLPEndpoint returns the URL of the OTLP/HTTP traces receiver, such as
// http://127.0.0.1:4318/v1/traces.
func (j *Jaeger) OTLPEndpoint() string {
	return "http://127.0.0.1:" + strconv.Itoa(j.ports.otlpHTTP) + "/v1/traces"
}

// QueryURL returns the base URL of the query service, such as
// http://127.0.0.1:16686. The API is complete; the UI is a placeholder page,
// as a build from the Go module does not embed the UI's assets.
func (j *Jaeger) QueryURL() string {
	return "http://127.0.0.1:" + strconv.Itoa(j.ports.queryHTTP)
}

// Log returns the last 64 KiB of Jaeger's log.
func (j *Jaeger) Log() string {
	b, err := os.ReadFile(j.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > logTail {
		b = b[len(b)-logTail:]
	}
	return strings.TrimSpace(string(b))
}
