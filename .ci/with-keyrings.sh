#!/usr/bin/env bash
# Run a command with real keyring services for akw's tests:
#
#   .ci/with-keyrings.sh go test ./keys/... ./cmd/akw/...
#
# It starts a private D-Bus session (dbus-run-session), gnome-keyring with
# its "login" collection unlocked, a throwaway gpg key and pass store, and
# checks the kernel user keyring; it exports AKW_TEST_SECRET_SERVICE=1,
# AKW_TEST_PASS=1 and AKW_TEST_KEYCTL=1 for what works (see
# .ci/keyring-env.sh), runs the command, cleans up and exits with the
# command's status. Install the packages first (.ci/run does):
#   apt-get install -y dbus gnome-keyring libsecret-tools pass gnupg keyutils
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -eq 0 ]; then
	echo "usage: $0 COMMAND [ARG...]" >&2
	exit 2
fi
if [ -z "${AKW_IN_KEYRING_SESSION:-}" ]; then
	if ! command -v dbus-run-session >/dev/null; then
		echo "with-keyrings: dbus-run-session not found (apt-get install dbus); running without a secret service" >&2
	else
		export AKW_IN_KEYRING_SESSION=1
		exec dbus-run-session -- "$0" "$@"
	fi
fi
# shellcheck source=keyring-env.sh
. "$here/keyring-env.sh"
akw_keyrings_setup
status=0
"$@" || status=$?
akw_keyrings_teardown
exit "$status"
