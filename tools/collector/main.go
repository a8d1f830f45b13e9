// Command collector is the OTLP backend of the end-to-end tests: the
// OpenTelemetry Collector's own OTLP receiver (HTTP only) feeding the
// Collector's file exporter, which appends every request it accepts to a file
// as OTLP/JSON, one line per request. It holds only those two components and
// none of the Collector's service layer (configuration files, pipelines of
// many components, self-telemetry), so it builds in a fraction of the time a
// full distribution takes.
//
//	collector -http 127.0.0.1:4318 -file traces.jsonl
//
// It prints "ready" on stdout once the receiver listens, and shuts both
// components down on SIGINT or SIGTERM. Package internal/backendtest builds
// and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.uber.org/zap"
)

func main() {
	addr := flag.String("http", "127.0.0.1:4318", "`address` of the OTLP/HTTP receiver")
	path := flag.String("file", "traces.jsonl", "`file` the received traces are appended to, as OTLP/JSON lines")
	flag.Parse()
	if err := run(*addr, *path); err != nil {
		fmt.Fprintln(os.Stderr, "collector:", err)
		os.Exit(1)
	}
}

func run(addr, path string) error {
	ctx := context.Background()
	logger, err := zap.NewDevelopment()
	if err != nil {
		return err
	}
	tel := componenttest.NewNopTelemetrySettings()
	tel.Logger = logger
	info := component.BuildInfo{Command: "collector", Description: "agenttrace-go test backend", Version: "test"}

	ef := fileexporter.NewFactory()
	ecfg := ef.CreateDefaultConfig().(*fileexporter.Config)
	ecfg.Path = path
	// The default rotation settings write through, unbuffered: a request is in
	// the file by the time the receiver replies to it.
	if err := ecfg.Validate(); err != nil {
		return err
	}
	exp, err := ef.CreateTraces(ctx, exporter.Settings{ID: component.NewID(ef.Type()), TelemetrySettings: tel, BuildInfo: info}, ecfg)
	if err != nil {
		return err
	}

	rf := otlpreceiver.NewFactory()
	rcfg := rf.CreateDefaultConfig().(*otlpreceiver.Config)
	httpCfg := rcfg.Protocols.HTTP.GetOrInsertDefault()
	httpCfg.ServerConfig.NetAddr.Endpoint = addr
	rcfg.Protocols.HTTP = configoptional.Some(*httpCfg)
	if err := rcfg.Validate(); err != nil {
		return err
	}
	rcv, err := rf.CreateTraces(ctx, receiver.Settings{ID: component.NewID(rf.Type()), TelemetrySettings: tel, BuildInfo: info}, rcfg, exp)
	if err != nil {
		return err
	}

	host := componenttest.NewNopHost()
	if err := exp.Start(ctx, host); err != nil {
		return err
	}
	if err := rcv.Start(ctx, host); err != nil {
		return errors.Join(err, exp.Shutdown(ctx))
	}
	fmt.Println("ready")

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return errors.Join(rcv.Shutdown(ctx), exp.Shutdown(ctx))
}
