# agenttrace-go: build and test entry points.

GO ?= go

.PHONY: test vet fmt bench quickstart jaeger

## test: vet, then run every test with the race detector in random order.
test: vet jaeger
	$(GO) test -race -shuffle=on -count=1 ./...

## jaeger: build the Jaeger v2 binary the end-to-end tests run (once; cached
## under the user cache directory), so go test's timeout never pays for it.
jaeger:
	$(GO) run ./internal/jaegertest/cmd/build

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## bench: the hot-path benchmarks, six runs each, for benchstat.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=6 ./... | tee bench.txt

quickstart:
	$(GO) run ./examples/quickstart
