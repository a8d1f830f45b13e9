package jaegertest

import (
	"fmt"
	"net"
)

// ports are the listeners of one Jaeger process, all on 127.0.0.1.
type ports struct {
	otlpHTTP, queryHTTP, queryGRPC, health int
}

// configYAML returns a Jaeger v2 configuration that keeps everything in
// memory and listens only on 127.0.0.1: the OTLP/HTTP receiver, the query
// service (HTTP and gRPC, both always started) and the v2 health check.
// Internal metrics are off, so the collector's Prometheus endpoint is never
// bound; pprof, zpages, expvar, remote sampling and the Jaeger/Zipkin
// receivers are simply not configured.
func configYAML(p ports) string {
	return fmt.Sprintf(`service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger-test
    metrics:
      level: none
    logs:
      level: info

extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:%d
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:%d
    grpc:
      endpoint: 127.0.0.1:%d

receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:%d

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`, p.health, p.queryHTTP, p.queryGRPC, p.otlpHTTP)
}

// freePorts reserves n distinct free TCP ports on 127.0.0.1. They are
// released before Jaeger binds them, so another process may take one in
// between; Start retries when Jaeger fails to bind.
func freePorts(n int) ([]int, error) {
	out := make([]int, 0, n)
	ls := make([]net.Listener, 0, n)
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out, nil
}
