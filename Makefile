# akw — common tasks. `make test` is the test command of the README and of CI.

GO ?= go
# Packages with goroutines of their own run under the race detector too.
RACE_PKGS ?= ./lightclient/... ./internal/rpcproxy/...

.PHONY: build test test-race vet fmt bench fuzz demo

build:
	$(GO) build -o akw ./cmd/akw
	$(GO) build -o akw-devnet ./cmd/akw-devnet

# The whole suite, against the real parts: a devnet started by the tests,
# gnome-keyring under dbus-run-session, pass with a throwaway gpg key,
# keyctl in the user scope (see .ci/with-keyrings.sh).
test:
	./.ci/test

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w .

# Benchmarks (cold start, verified vs unverified queries at 0/20/100 ms
# RTT, light-client catch-up, signing throughput, TUI keystroke-to-frame):
# prints a table and writes it into docs/PERFORMANCE.md. About 5-10 min.
bench:
	./.ci/bench

# Every fuzz target for FUZZTIME each (default 3m), one worker each.
FUZZTIME ?= 3m
fuzz:
	./.ci/fuzz $(FUZZTIME)
