# shellcheck shell=bash
# Keyring services for akw's tests, to be sourced (by .ci/with-keyrings.sh,
# or by .ci/run): a real gnome-keyring secret service on the current D-Bus
# session bus, a throwaway gpg key and pass store, and the kernel keyring's
# user scope. Nothing here touches the user's own keyrings: gnome-keyring
# keeps its files in a temporary XDG_DATA_HOME, gpg and pass in temporary
# GNUPGHOME and PASSWORD_STORE_DIR, removed by akw_keyrings_teardown.
#
# Debian packages (installed by .ci/run):
AKW_KEYRING_PACKAGES="dbus gnome-keyring libsecret-tools pass gnupg keyutils"
#
# Not dbus-x11: with it, every program touching the session bus without
# DBUS_SESSION_BUS_ADDRESS spawns a stray dbus-daemon.
#
# Usage, inside a D-Bus session (dbus-run-session):
#   . .ci/keyring-env.sh
#   akw_keyrings_setup      # exports the variables below
#   go test ./keys/... ./cmd/akw/...
#   akw_keyrings_teardown
#
# Variables the tests read (tests skip, saying which is missing, without them):
#   AKW_TEST_SECRET_SERVICE=1  gnome-keyring answers on DBUS_SESSION_BUS_ADDRESS,
#                              its "login" collection unlocked
#   AKW_TEST_PASS=1            GNUPGHOME has a passphrase-less key and
#                              PASSWORD_STORE_DIR a store initialised with it
#   AKW_TEST_KEYCTL=1          the user keyring (keyctl @u) is usable

akw_keyrings_setup() {
	local scratch
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/akw-keyrings.XXXXXX")
	chmod 700 "$scratch"
	AKW_KEYRING_SCRATCH=$scratch
	export AKW_KEYRING_SCRATCH

	# Secret service. Creating a collection needs a GUI prompt, so the
	# daemon is started with --unlock, which creates and unlocks "login";
	# tests that need a collection named after the app create it through
	# gnome-keyring's CreateWithMasterPassword (keys/internal/sstest).
	if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v gnome-keyring-daemon >/dev/null; then
		mkdir -p "$scratch/data" "$scratch/run" "$HOME/.cache"
		chmod 700 "$scratch/run"
		if printf 'akw-ci-login\n' | XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" \
			gnome-keyring-daemon --unlock --components=secrets >"$scratch/gnome-keyring.env" 2>"$scratch/gnome-keyring.log"; then
			# Wait for the daemon to own the bus name.
			local i
			for i in $(seq 1 50); do
				# Ask the bus, not the service: a call to the service
				# would D-Bus-activate a second daemon with the real HOME.
				if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
						org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
					export AKW_TEST_SECRET_SERVICE=1
					break
				fi
				sleep 0.1
			done
		fi
		[ "${AKW_TEST_SECRET_SERVICE:-}" = 1 ] || echo "keyring-env: gnome-keyring did not start; secret-service tests will skip" >&2
	else
		echo "keyring-env: no D-Bus session or no gnome-keyring; secret-service tests will skip" >&2
	fi

	# pass with a throwaway, passphrase-less gpg key.
	if command -v pass >/dev/null && command -v gpg >/dev/null; then
		export GNUPGHOME="$scratch/gnupg" PASSWORD_STORE_DIR="$scratch/password-store"
		mkdir -p "$GNUPGHOME"
		chmod 700 "$GNUPGHOME"
		if gpg --batch --quiet --passphrase '' --quick-gen-key 'akw-ci <ci@example.invalid>' default default never 2>"$scratch/gpg.log"; then
			local fpr
			fpr=$(gpg --list-secret-keys --with-colons 2>/dev/null | awk -F: '/^fpr/{print $10; exit}')
			if pass init "$fpr" >/dev/null 2>>"$scratch/gpg.log"; then
				export AKW_TEST_PASS=1
			fi
		fi
		[ "${AKW_TEST_PASS:-}" = 1 ] || echo "keyring-env: could not set up pass (see $scratch/gpg.log); pass tests will skip" >&2
	fi

	# keyctl, user scope: probe with a key that is removed at once.
	if command -v keyctl >/dev/null; then
		local id
		if id=$(keyctl add user akw-ci-probe probe @u 2>/dev/null); then
			keyctl unlink "$id" @u >/dev/null 2>&1 || true
			export AKW_TEST_KEYCTL=1
		else
			echo "keyring-env: the user keyring is not usable; keyctl tests will skip" >&2
		fi
	fi
}

akw_keyrings_teardown() {
	if [ -n "${GNUPGHOME:-}" ] && command -v gpgconf >/dev/null; then
		gpgconf --kill gpg-agent >/dev/null 2>&1 || true
	fi
	if [ -n "${AKW_KEYRING_SCRATCH:-}" ]; then
		rm -rf "$AKW_KEYRING_SCRATCH"
	fi
}
