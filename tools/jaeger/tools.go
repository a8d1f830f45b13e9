//go:build tools

// Package jaeger pins the Jaeger v2 all-in-one binary used by the end-to-end
// tests (github.com/jaegertracing/jaeger v1.76.0 is Jaeger v2.13.0). It is a
// separate module so its dependencies never enter the library's go.mod.
//
// Build it with:
//
//	cd tools/jaeger && go build -o jaeger github.com/jaegertracing/jaeger/cmd/jaeger
package jaeger

import _ "github.com/jaegertracing/jaeger/cmd/jaeger"
