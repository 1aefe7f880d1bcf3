# selmount — every target runs on a fresh machine with only Go installed.
GO        ?= go
export GOTOOLCHAIN := local
BIN       := bin/selmount
VERSION   := v$(shell tr -d '[:space:]' < VERSION)
# Release builds say which version they are; `go install ...@vX` gets it from the module instead.
LDFLAGS   := -s -w -X main.version=$(VERSION)

.PHONY: all build test test-short vet fmt-check bench bench-shared scan-example scan-examples verify generate native native-conftest native-gatekeeper native-kyverno install-check fuzz lint oracle oracle-record e2e e2e-binaries e2e-update e2e-kyverno-binaries e2e-kyverno e2e-kyverno-update e2e-kyverno-reports e2e-kyverno-reports-update e2e-gatekeeper e2e-gatekeeper-update gatekeeper-binary e2e-controllers-install clean

# Go modules: the root (model, harness core, CLI: light, `go install`-able) and the nested ones that
# hold the heavy dependencies: the policy engines (k8s.io v0.36 with Kyverno's replace) and the
# upstream oracle (k8s.io/kubernetes v1.37.2 with its 33 staging replaces) cannot share one go.mod.
ENGINES  := harness/engines
UPSTREAM := upstream
MODULES  := . $(ENGINES) $(UPSTREAM)

all: build test

build:
	$(GO) build -trimpath -ldflags='$(LDFLAGS)' -o $(BIN) ./cmd/selmount

# The README's test command: vet, formatting, and every test (the binary size check included).
# The engine packages replay TEST_N generated clusters each (env N): `make verify` replays 1,000 per
# engine with the same checks, so the tests need not repeat them all.
# The upstream oracle replays as many clusters per profile as docs/agreement-upstream.json records, so
# that the test checks the record (the agreement matrix's upstream column) is current.
TEST_N ?= 200
RECORD_N := 1000
test: fmt-check vet
	set -e; for m in $(MODULES); do (cd $$m && N=$(TEST_N) ORACLE_N=$(RECORD_N) $(GO) test -timeout 60m ./...); done

test-short:
	set -e; for m in $(MODULES); do (cd $$m && $(GO) test -short ./...); done

vet:
	set -e; for m in $(MODULES); do (cd $$m && $(GO) vet ./...); done

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# A real kube-apiserver (embedded etcd) and kubectl from k8s.io/kubernetes v1.37.2 in the nested e2e
# module: every map/, gatekeeper/ and kyverno/ bundle applied per Kubernetes version, the scenarios
# replayed (gate overrides on servers with those --feature-gates), docs/e2e.md checked.
# `go build` fetches what it needs from the module proxy and rebuilds only what changed.
E2E := e2e
e2e-binaries:
	cd $(E2E) && $(GO) build -o bin/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
	cd $(E2E) && $(GO) build -o bin/kubectl k8s.io/kubernetes/cmd/kubectl

e2e: e2e-binaries
	cd $(E2E) && $(GO) test -p 1 -timeout 60m ./...

# Rewrite docs/e2e.md from a run, then review the diff.
e2e-update: e2e-binaries
	cd $(E2E) && $(GO) test -timeout 60m ./suite -update

# Kyverno v1.19.1's admission and reports controllers, run outside a cluster against the test API
# server (issue 14). Built from the engines module: kyverno's go.mod has a replace for
# k8s.io/pod-security-admission, which `go install ...@v1.19.1` refuses; that module carries it and
# lists both commands as tools. Under the heavy-build lock: a cold build is minutes of both cores.
HEAVY_LOCK ?= /tmp/selmount-heavy.lock
e2e-kyverno-binaries:
	@mkdir -p $(E2E)/bin
	cd $(ENGINES) && flock $(HEAVY_LOCK) $(GO) build -o $(CURDIR)/$(E2E)/bin/kyverno github.com/kyverno/kyverno/cmd/kyverno
	cd $(ENGINES) && flock $(HEAVY_LOCK) $(GO) build -o $(CURDIR)/$(E2E)/bin/kyverno-reports-controller github.com/kyverno/kyverno/cmd/reports-controller

# The kyverno/ bundle installed as its README says into a real API server with the real Kyverno
# admission controller running, every 1.37 scenario replayed through it (kyverno/ and
# overlays/enforce), then again with the reports controller, whose PolicyReports of each sampled
# final state are compared with the model's audit, and overlays/v1.36 on a 1.36 server with the 1.36
# scenarios; docs/e2e-kyverno.md checked.
e2e-kyverno: e2e-binaries e2e-kyverno-binaries
	cd $(E2E) && $(GO) test -count=1 -timeout 60m ./kyverno

# Rewrite docs/e2e-kyverno.md from a run, then review the diff.
e2e-kyverno-update: e2e-binaries e2e-kyverno-binaries
	cd $(E2E) && $(GO) test -count=1 -timeout 60m -run TestReplay ./kyverno -update

# Opt-in, not in CI (about an hour: Kyverno's reports controller waits ~40 s per scenario, fixed in
# its code): the reports controller's PolicyReports compared with the model's audit after every
# scenario, kyverno/ with the 1.37 ones and overlays/v1.36 with the 1.36 ones, where `make
# e2e-kyverno` samples five; docs/e2e-kyverno-reports.md checked.
e2e-kyverno-reports: e2e-binaries e2e-kyverno-binaries
	cd $(E2E) && $(GO) test -count=1 -timeout 100m -run '^TestAllPolicyReports$$' ./kyverno -all-reports

e2e-kyverno-reports-update: e2e-binaries e2e-kyverno-binaries
	cd $(E2E) && $(GO) test -count=1 -timeout 100m -run '^TestAllPolicyReports$$' ./kyverno -all-reports -update

# The released Gatekeeper manager (v3.23.1, the version harness/engines runs in process) for the e2e
# module's controller test: `go install` from the module proxy (Gatekeeper's go.mod has no replace).
# Heavy: one build at a time on a shared machine (the lock file is shared with the other heavy builds).
GATEKEEPER_VERSION := v3.23.1
gatekeeper-binary:
	@mkdir -p $(E2E)/bin
	test -x $(E2E)/bin/gatekeeper || flock $(HEAVY_LOCK) env GOBIN=$(CURDIR)/$(E2E)/bin $(GO) install github.com/open-policy-agent/gatekeeper/v3@$(GATEKEEPER_VERSION)

# Gatekeeper's manager running outside the cluster against the real kube-apiserver, as its
# ServiceAccount, with the gatekeeper/ bundle installed as gatekeeper/README.md says and every
# scenario replayed through its webhooks, then its audit (constraint status) compared with the
# model's audit of the objects the server holds; docs/e2e-gatekeeper.md checked
# (`make e2e-gatekeeper-update` rewrites it).
e2e-gatekeeper: e2e-binaries gatekeeper-binary
	cd $(E2E) && $(GO) test -count=1 -timeout 60m ./gatekeeper

e2e-gatekeeper-update: e2e-binaries gatekeeper-binary
	cd $(E2E) && $(GO) test -count=1 -timeout 60m ./gatekeeper -update

# The cheapest part of the two targets above that still installs both bundles for real (CI runs it):
# both released controllers built, and each bundle README's install commands run as written against a
# real API server with its controller running; then a Pod in the namespace the README labels must come
# back mutated, and (Gatekeeper) one elsewhere or labelled Windows unchanged. The full replays are
# `make e2e-gatekeeper` and `make e2e-kyverno`.
e2e-controllers-install: e2e-binaries e2e-kyverno-binaries gatekeeper-binary
	cd $(E2E) && $(GO) test -count=1 -timeout 30m -run '^(TestREADMEInstall|TestReadmeInstall)$$' ./gatekeeper ./kyverno

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
	cd $(ENGINES) && $(GO) run ./cmd/verify -root $(CURDIR) -seed $(SEED) -n $(N) -json $(CURDIR)/bin/agreement.json -md $(CURDIR)/docs/agreement.md

# The upstream oracle: every scenario and N generated clusters per profile through Kubernetes
# v1.37.2's own controller, kubelet desired state of world and API validation, against the model
# (make test runs it with 300 per profile). Unlisted differences fail.
ORACLE_N ?= 1000
oracle:
	cd $(UPSTREAM) && ORACLE_N=$(ORACLE_N) $(GO) test -count=1 -timeout 120m -run TestAgreement -v ./oracle

# Record the upstream column of docs/agreement.md (docs/agreement-upstream.json), then make verify.
oracle-record:
	cd $(UPSTREAM) && ORACLE_N=$(RECORD_N) ORACLE_RECORD=1 $(GO) test -count=1 -timeout 60m -run TestAgreement ./oracle

# Regenerate what generators own: the shared per-Pod CEL of map/ and kyverno/ (first: the rest read
# it), golden admission cases, the Kyverno suites, the Gatekeeper bundle and its gator suite, the Rego
# scenario tests, the Artifact Hub metadata (bundle digests), and the rule pages (last: they read the
# bundles).
generate:
	$(GO) generate ./internal/celsrc ./internal/gatekeepergen ./internal/regotestgen
	cd $(ENGINES) && $(GO) generate ./admissionpolicy ./kyverno
	$(GO) generate ./internal/artifacthub ./internal/docgen

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

# The generated `kyverno test` suites (kyverno/tests) with the real Kyverno CLI, built from the engines
# module, whose go.mod carries Kyverno's replace and lists the CLI as a tool (kyverno's own go.mod has
# a replace, so `go install ...@v1.19.1` is refused).
native-kyverno:
	@mkdir -p bin
	cd $(ENGINES) && $(GO) build -o $(CURDIR)/bin/kyverno github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno
	./bin/kyverno test kyverno/tests

# `go install .../cmd/selmount@v<VERSION>` from this checkout served by a file module proxy, into an
# empty module cache: the root module must stay installable (no replace directive).
install-check:
	bash .ci/install-check

# golangci-lint (pinned, installed from the module proxy into bin/) over every module (e2e too), with
# .golangci.yml; the Rego is linted by tests (opa fmt and check --strict, harness/engines/opa).
GOLANGCI_LINT_VERSION := v2.15.0
lint:
	@mkdir -p bin
	test -x bin/golangci-lint || GOBIN=$(CURDIR)/bin $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	set -e; for m in $(MODULES) $(E2E); do (cd $$m && $(CURDIR)/bin/golangci-lint run --config $(CURDIR)/.golangci.yml ./...); done

# Every fuzzer (go test -fuzz takes one target per command): the decoder and its plain-string
# checks, scan end to end and its JSON indenting, and the model's Admit and Audit under the safety properties. Seeds: the
# scenarios, examples.
# Budgets are execution counts, not durations: a duration -fuzztime can fail with a bare "context
# deadline exceeded" when it expires (go.dev/issue/75804; it reddened CI once). Each count takes
# 5-20 s on 2 cores; minimizing a new input is capped at FUZZMINIMIZE, the whole command at 5 min.
# FUZZTIME=30s (or 1000x) overrides every count for a local session.
FUZZMINIMIZE ?= 2s
FUZZ_DECODE ?= 20000x
FUZZ_DECODE_SCAN ?= 25000x
FUZZ_SCAN ?= 1000x
FUZZ_MODEL ?= 20000x
FUZZ_PLAIN ?= 50000x
FUZZ_INDENT ?= 20000x
fuzz-one = $(GO) test $(1) -run '^$$' -fuzz '^$(2)$$' -fuzztime $(or $(FUZZTIME),$(3)) -fuzzminimizetime $(FUZZMINIMIZE) -parallel 1 -timeout 5m
fuzz:
	$(call fuzz-one,./policies/cluster,FuzzDecode,$(FUZZ_DECODE))
	$(call fuzz-one,./policies/cluster,FuzzDecodeScan,$(FUZZ_DECODE_SCAN))
	$(call fuzz-one,./policies/cluster,FuzzPlainChecks,$(FUZZ_PLAIN))
	$(call fuzz-one,./cmd/selmount,FuzzScan,$(FUZZ_SCAN))
	$(call fuzz-one,./cmd/selmount,FuzzAppendIndented,$(FUZZ_INDENT))
	$(call fuzz-one,./harness,FuzzModelSafety,$(FUZZ_MODEL))

bench:
	bash bench/run.sh

# Issue 12's one-volume layout at 1k, 10k and 100k Pods: the grouped report grows linearly.
bench-shared:
	bash bench/shared.sh

clean:
	rm -rf bin
