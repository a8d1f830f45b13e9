package otelmap

import (
	"os"
	"path/filepath"
	"slices"

	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"

	"github.com/agenttrace/agenttrace-go/internal/clip"
)

// buildResource returns the resource sent with every request: service.name
// and telemetry.sdk.*, plus extra attributes, sorted by key.
func buildResource(service string, extra map[string]string) *resourcepb.Resource {
	m := map[string]string{}
	for k, v := range extra {
		m[k] = v
	}
	if service != "" {
		m["service.name"] = service
	}
	if m["service.name"] == "" {
		m["service.name"] = "unknown_service:" + filepath.Base(os.Args[0])
	}
	m["telemetry.sdk.name"] = "agenttrace-go"
	m["telemetry.sdk.language"] = "go"
	m["telemetry.sdk.version"] = Version
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	a := attrs{}
	for _, k := range keys {
		a.raw(clip.Key(k), clip.Text(m[k], clip.MaxValue))
	}
	return &resourcepb.Resource{Attributes: a.list}
}
