// Command build builds the Jaeger binary that package jaegertest runs, unless
// it is already cached, and prints its path. `make test` runs it first so the
// slow first build is not charged to `go test`'s timeout.
//
//	go run ./internal/jaegertest/cmd/build
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/agenttrace/agenttrace-go/internal/jaegertest"
)

func main() {
	bin, err := jaegertest.BinaryPath()
	if err == nil {
		if _, statErr := os.Stat(bin); statErr != nil {
			fmt.Fprintf(os.Stderr, "building Jaeger %s (first time only, takes minutes)...\n", jaegertest.Version)
		}
	}
	start := time.Now()
	bin, err = jaegertest.Build(context.Background(), os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s (%.1fs)\n", bin, time.Since(start).Seconds())
}
