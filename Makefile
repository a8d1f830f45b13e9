# agenttrace-go: build and test entry points.

GO ?= go

# Every Go module of the repository: the core at the root, and each module
# of its own under instrumentation/, examples/ and benchmarks/ (tools/ holds
# only build helpers for the test backend).
MODULES := . $(patsubst %/go.mod,%,$(wildcard instrumentation/*/go.mod examples/*/go.mod benchmarks/go.mod))

.PHONY: test vet fmt bench quickstart jaeger

## test: vet, then run every test of every module with the race detector in
## random order.
test: vet jaeger
	@set -e; for m in $(MODULES); do \
		echo "== go test $$m"; \
		(cd $$m && $(GO) test -race -shuffle=on -count=1 ./...); \
	done

## jaeger: build the Jaeger v2 binary the end-to-end tests run (once; cached
## under the user cache directory), so go test's timeout never pays for it.
jaeger:
	$(GO) run ./internal/jaegertest/cmd/build

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	@set -e; for m in $(MODULES); do (cd $$m && $(GO) vet ./...); done

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
