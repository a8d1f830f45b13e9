// Package jaegertest is the former name of package backendtest, kept so that
// tests written against it still build: its names forward to backendtest's.
// The backend is no longer Jaeger but an OpenTelemetry Collector; new tests
// import backendtest.
package jaegertest

import (
	"testing"

	"github.com/agenttrace/agenttrace-go/internal/backendtest"
)

type (
	// Jaeger is a [backendtest.Backend].
	Jaeger = backendtest.Backend
	// Span is a [backendtest.Span].
	Span = backendtest.Span
	// Event is a [backendtest.Event].
	Event = backendtest.Event
	// Status is a [backendtest.Status].
	Status = backendtest.Status
)

// DefaultTraceTimeout is [backendtest.DefaultTraceTimeout].
const DefaultTraceTimeout = backendtest.DefaultTraceTimeout

// Start is [backendtest.Start].
func Start(t testing.TB) *Jaeger {
	t.Helper()
	return backendtest.Start(t)
}
