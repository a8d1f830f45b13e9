# agenttrace-go: build and test entry points.

GO ?= go

# Every Go module of the repository: the core at the root, and each module
# of its own under instrumentation/, examples/ and benchmarks/.
MODULES := . $(patsubst %/go.mod,%,$(wildcard instrumentation/*/go.mod examples/*/go.mod benchmarks/go.mod))
# Modules of build tools under tools/, such as the test backend: vetted with
# the others, not tested.
TOOLS := $(patsubst %/go.mod,%,$(wildcard tools/*/go.mod))

.PHONY: test vet backend bench quickstart

## test: vet, then run every test of every module with the race detector in
## random order.
test: vet backend
	@set -e; for m in $(MODULES); do \
		echo "== go test $$m"; \
		(cd $$m && $(GO) test -race -shuffle=on -count=1 ./...); \
	done

## backend: build the OpenTelemetry Collector the end-to-end tests run (once;
## cached under the user cache directory), printing its progress, so that go
## test's timeout never pays for it.
backend:
	@$(GO) run ./internal/backendtest/cmd/build

## vet: gofmt, then go vet in every module and every tool module with code.
vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	@set -e; for m in $(MODULES) $(TOOLS); do \
		if [ -n "$$(cd $$m && $(GO) list ./... 2>/dev/null)" ]; then (cd $$m && $(GO) vet ./...); fi; \
	done

## bench: the hot-path benchmarks, six runs each, for benchstat.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=6 ./... | tee bench.txt

quickstart:
	$(GO) run ./examples/quickstart

## fuzz: run every native Go fuzz target of the repository (each Fuzz*
## function of a _test.go file, in whichever module holds it) for FUZZTIME
## each, one after another; `go test` alone runs only their seeds. A failing
## input is written under the package's testdata/fuzz/, to be committed as a
## seed once fixed.
FUZZTIME ?= 30s
.PHONY: fuzz
fuzz:
	@set -e; for d in $$(git grep -l '^func Fuzz' -- '*_test.go' | xargs -n1 dirname | sort -u); do \
		for f in $$(cd $$d && $(GO) test -list '^Fuzz' . | grep '^Fuzz'); do \
			echo "== fuzz $$d $$f for $(FUZZTIME)"; \
			(cd $$d && $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) .); \
		done; \
	done
