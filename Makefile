# agenttrace-go: build and test entry points.

GO ?= go

# Every Go module of the repository: the core at the root, and each module
# of its own under instrumentation/, examples/ and benchmarks/.
MODULES := . $(patsubst %/go.mod,%,$(wildcard instrumentation/*/go.mod examples/*/go.mod benchmarks/go.mod))
# Modules of build tools under tools/: the test backend and the linters.
# They are vetted and linted with the others, not tested.
TOOLS := $(patsubst %/go.mod,%,$(wildcard tools/*/go.mod))
# The tool modules with code of their own (the others only pin a version).
TOOLS_WITH_CODE := $(sort $(patsubst %/,%,$(dir $(wildcard tools/*/*.go))))
# How many modules make vet and make test run at once, after the root
# module, and the groups of modules run one after another because they
# share a large dependency (tools/each.sh; any other module is a group of
# its own).
JOBS ?= 2
GROUPS := 'instrumentation/openaitrace examples/openai-agent' \
	'instrumentation/einotrace examples/eino-cozeloop'
# Where the linters are built (gitignored).
BIN := $(CURDIR)/.cache/bin

.PHONY: test vet lint backend bench quickstart

## test: vet, then run every test of every module with the race detector in
## random order. go test's own vet pass is off: make vet has just run every
## analyzer over the same packages (go test's pass would analyze every
## dependency again, the SDKs of the instrumentation modules included).
## vet has compiled every package, so the root module's tests run beside
## the others'.
test: vet backend
	@MODULES="$(MODULES)" LABEL="go test" ROOT_FIRST=0 tools/each.sh $(JOBS) $(GROUPS) -- \
		$(GO) test -race -vet=off -shuffle=on -count=1 ./...

## backend: build the OpenTelemetry Collector the end-to-end tests run (once;
## cached under the user cache directory), printing its progress, so that go
## test's timeout never pays for it.
backend:
	@$(GO) run ./internal/backendtest/cmd/build

## vet: gofmt, then go vet in every module and every tool module with code
## (tools/each.sh),
## with the race detector's build flags, so that the packages vet compiles
## are the ones the race tests and the test backend link.
vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	@MODULES="$(MODULES) $(TOOLS_WITH_CODE)" LABEL="go vet" tools/each.sh $(JOBS) $(GROUPS) -- \
		$(GO) vet -race ./...

## lint: go.mod and go.sum tidy, golangci-lint (config .golangci.yml) and
## staticcheck (config staticcheck.conf) in every module, with the versions
## pinned in tools/golangci-lint and tools/staticcheck, modules two at a time
## as in make vet.
lint: $(BIN)/golangci-lint $(BIN)/staticcheck
	@MODULES="$(MODULES) $(TOOLS_WITH_CODE)" LABEL="lint" tools/each.sh $(JOBS) $(GROUPS) -- \
		sh -c '$(GO) mod tidy -diff && \
		$(BIN)/golangci-lint run --allow-parallel-runners --config $(CURDIR)/.golangci.yml ./... && \
		$(BIN)/staticcheck ./...'

$(BIN)/golangci-lint: tools/golangci-lint/go.mod tools/golangci-lint/go.sum
	@echo "building golangci-lint (once)..."
	@cd tools/golangci-lint && $(GO) build -o $@ github.com/golangci/golangci-lint/v2/cmd/golangci-lint

$(BIN)/staticcheck: tools/staticcheck/go.mod tools/staticcheck/go.sum
	@echo "building staticcheck (once)..."
	@cd tools/staticcheck && $(GO) build -o $@ honnef.co/go/tools/cmd/staticcheck

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
