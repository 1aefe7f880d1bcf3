# selmount — every target runs on a fresh machine with only Go installed.
GO        ?= go
export GOTOOLCHAIN := local
BIN       := bin/selmount
LDFLAGS   := -s -w

.PHONY: all build test test-short vet fmt-check bench scan-example scan-examples verify generate native native-conftest native-gatekeeper native-kyverno clean

all: build test

build:
	$(GO) build -trimpath -ldflags='$(LDFLAGS)' -o $(BIN) ./cmd/selmount

# The README's test command: vet, formatting, and every test (the binary size check included).
test: fmt-check vet
	$(GO) test -timeout 60m ./...

test-short:
	$(GO) test -short ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# The README's first command: exit 1 because the example has errors on purpose.
scan-example:
	$(GO) run ./cmd/selmount scan examples/manifests

# Every example, every rule, no failing exit code.
scan-examples:
	$(GO) run ./cmd/selmount scan --fail-on none examples/manifests
	$(GO) run ./cmd/selmount scan --fail-on none examples/kustomize
	$(GO) run ./cmd/selmount scan --fail-on none examples/cluster-dump.yaml

# Every engine on every scenario and on N generated clusters from SEED: the rule × engine matrix,
# printed and written to bin/agreement.json and docs/agreement.md (commit it from the default run).
SEED ?= 0
N    ?= 1000
verify:
	@mkdir -p bin
	$(GO) run ./harness/cmd/verify -seed $(SEED) -n $(N) -json bin/agreement.json -md docs/agreement.md

# Regenerate what generators own: golden admission cases, the Gatekeeper bundle and its gator suite,
# and the rule pages (last: they read the bundles).
generate:
	$(GO) generate ./harness/engines/admissionpolicy ./harness/engines/kyverno ./internal/gatekeepergen
	$(GO) generate ./internal/docgen

# The native test suites, run by the engines' own CLIs (installed into bin/ at pinned versions).
CONFTEST_VERSION := v0.71.1
GATOR_VERSION    := v3.23.1
native: native-conftest native-gatekeeper native-kyverno

# conftest verify runs the Rego unit tests (rego/tests) as conftest users would; rego/conftest_test.go
# runs the README's recipe on examples/manifests and checks conftest's text, JSON and SARIF outputs.
native-conftest:
	@mkdir -p bin
	test -x bin/conftest || GOBIN=$(CURDIR)/bin $(GO) install github.com/open-policy-agent/conftest@$(CONFTEST_VERSION)
	bin/conftest verify -p rego/
	CONFTEST=bin/conftest $(GO) test -count=1 ./rego

# gator verify runs gatekeeper/tests/suite.yaml (generated from the scenarios) with the real gator.
native-gatekeeper:
	@mkdir -p bin
	test -x bin/gator || GOBIN=$(CURDIR)/bin $(GO) install github.com/open-policy-agent/gatekeeper/v3/cmd/gator@$(GATOR_VERSION)
	bin/gator verify gatekeeper/tests/...

# The generated `kyverno test` suites (kyverno/tests) with the real Kyverno CLI, built from this
# module's go.mod (kyverno's own go.mod has a replace, so `go install ...@v1.19.1` is refused).
native-kyverno:
	@mkdir -p bin
	$(GO) build -o bin/kyverno github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno
	./bin/kyverno test kyverno/tests

bench:
	bash bench/run.sh

clean:
	rm -rf bin
