// Command build builds the collector that package backendtest runs, unless
// it is already cached, and prints its path. `make test` runs it first (as
// `make backend`), so the first build is not charged to `go test`'s timeout
// and shows its progress: each module downloaded and each package compiled,
// with the time elapsed, and a line every ten seconds while nothing else is
// printed.
//
//	go run ./internal/backendtest/cmd/build
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/backendtest"
)

func main() {
	bin, err := backendtest.BinaryPath()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := os.Stat(bin); err == nil {
		fmt.Println(bin, "(cached)")
		return
	}
	fmt.Fprintln(os.Stderr, "building the test backend (an OpenTelemetry Collector with two components; once, then cached)...")
	p := &progress{w: os.Stderr, start: time.Now()}
	stop := p.heartbeat(10 * time.Second)
	bin, err = backendtest.Build(context.Background(), p)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s (built in %.0fs, %d packages)\n", bin, time.Since(p.start).Seconds(), p.packages)
}

// progress prefixes each line of the build's output with the time elapsed
// and counts the packages compiled.
type progress struct {
	w     io.Writer
	start time.Time

	mu       sync.Mutex
	partial  []byte
	last     time.Time
	packages int
}

func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			break
		}
		line := p.partial[:i]
		if !bytes.HasPrefix(line, []byte("go: ")) {
			p.packages++
		}
		p.last = time.Now()
		fmt.Fprintf(p.w, "[%4.0fs] %s\n", time.Since(p.start).Seconds(), line)
		p.partial = p.partial[i+1:]
	}
	return len(b), nil
}

// heartbeat prints a line every interval in which the build printed nothing,
// until the returned func is called.
func (p *progress) heartbeat(interval time.Duration) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				p.mu.Lock()
				if now.Sub(p.last) >= interval {
					fmt.Fprintf(p.w, "[%4.0fs] still building (%d packages so far)\n", time.Since(p.start).Seconds(), p.packages)
				}
				p.mu.Unlock()
			}
		}
	}()
	return func() { close(done) }
}
