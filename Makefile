# akw — common tasks. `make test` is the test command of the README and of CI.

GO ?= go
# Packages with goroutines of their own run under the race detector too.
RACE_PKGS ?= ./lightclient/... ./internal/rpcproxy/...

.PHONY: build test test-race vet fmt bench demo

build:
	$(GO) build -o akw ./cmd/akw

# The whole suite, against the real parts: a devnet started by the tests,
# gnome-keyring under dbus-run-session, pass with a throwaway gpg key,
# keyctl in the user scope (see .ci/with-keyrings.sh).
test:
	./.ci/test

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w .

bench:
	./.ci/bench
