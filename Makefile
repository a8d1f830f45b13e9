# agenttrace-go: build and test entry points.

GO ?= go

.PHONY: test vet fmt bench quickstart

## test: vet, then run every test with the race detector in random order.
test: vet
	$(GO) test -race -shuffle=on -count=1 ./...

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## bench: the hot-path benchmarks, six runs each, for benchstat.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=6 ./... | tee bench.txt

quickstart:
	$(GO) run ./examples/quickstart
