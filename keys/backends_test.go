package keys_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/keys/sstest"
)

// The os, pass and keyctl tests need services this package cannot start
// itself. .ci/with-keyrings.sh starts them (gnome-keyring on a private
// D-Bus, a throwaway gpg key and pass store) and sets the variables; run
//
//	.ci/with-keyrings.sh go test ./keys/...
//
// Without it these tests skip and say which variable is missing.

func needSecretService(t *testing.T) {
	t.Helper()
	if !sstest.Available() {
		t.Skip("no secret service: run under .ci/with-keyrings.sh (sets AKW_TEST_SECRET_SERVICE=1 and DBUS_SESSION_BUS_ADDRESS)")
	}
}

func needPass(t *testing.T) {
	t.Helper()
	if os.Getenv("AKW_TEST_PASS") != "1" || os.Getenv("PASSWORD_STORE_DIR") == "" {
		t.Skip("no throwaway pass store: run under .ci/with-keyrings.sh (sets AKW_TEST_PASS=1, PASSWORD_STORE_DIR, GNUPGHOME)")
	}
}

func needKeyctl(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("keyctl is Linux only")
	}
	if os.Getenv("AKW_TEST_KEYCTL") != "1" {
		t.Skip("keyctl tests write to the user's kernel keyring: run under .ci/with-keyrings.sh (sets AKW_TEST_KEYCTL=1)")
	}
}

// unlinkKeyctl removes the named keyring a test made in the user keyring.
func unlinkKeyctl(t *testing.T, name string) {
	id, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", name, 0)
	if err != nil {
		return
	}
	if _, err := unix.KeyctlInt(unix.KEYCTL_UNLINK, id, unix.KEY_SPEC_USER_KEYRING, 0, 0); err != nil {
		t.Logf("unlink keyctl keyring %s: %v", name, err)
	}
}

func TestOSBackendSecretService(t *testing.T) {
	needSecretService(t)
	app := "akwtest" + uniqueSuffix()
	if err := sstest.EnsureCollection(app, "collection-pass"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sstest.DeleteCollection(app) })
	cfg := keys.Config{Backend: keys.BackendOS, AppName: app}
	exercise(t, cfg, "os (secret-service)", true)
	kr := mustOpen(t, cfg)
	if want := "secret-service collection " + app; kr.Location() != want {
		t.Errorf("Location() = %q, want %q", kr.Location(), want)
	}
}

// The login collection is the one a headless gnome-keyring unlocks; a
// user without a GUI prompt can point akw at it.
func TestOSBackendLoginCollection(t *testing.T) {
	needSecretService(t)
	app := "akwtest" + uniqueSuffix()
	exercise(t, keys.Config{Backend: keys.BackendOS, AppName: app, Collection: "login"}, "os (secret-service)", true)
}

// Without a collection and without a GUI to create one, the os backend
// fails with a BackendError naming the secret service, not silently.
func TestOSBackendMissingCollection(t *testing.T) {
	needSecretService(t)
	kr := mustOpen(t, keys.Config{Backend: keys.BackendOS, AppName: "akwtestmissing" + uniqueSuffix()})
	_, err := kr.Recover("x", testMnemonic, keys.HDOptions{})
	if err == nil || !strings.Contains(err.Error(), "os (secret-service)") {
		t.Fatalf("write without a collection: %v", err)
	}
	t.Logf("error shown: %v", err)
}

func TestPassBackend(t *testing.T) {
	needPass(t)
	app := "akwtest" + uniqueSuffix()
	t.Cleanup(func() { os.RemoveAll(filepath.Join(os.Getenv("PASSWORD_STORE_DIR"), "keyring-"+app)) })
	exercise(t, keys.Config{Backend: keys.BackendPass, AppName: app}, "pass", true)
}

func TestKeyctlBackend(t *testing.T) {
	needKeyctl(t)
	app := "akwtest" + uniqueSuffix()
	t.Cleanup(func() { unlinkKeyctl(t, app) })
	exercise(t, keys.Config{Backend: keys.BackendKeyctl, AppName: app}, "keyctl", true)
}

// A pass store that is not initialised is reported at open, not at the
// first write.
func TestPassUninitialised(t *testing.T) {
	if _, err := exec.LookPath("pass"); err != nil {
		t.Skip("pass not installed")
	}
	_, err := keys.Open(keys.Config{Backend: keys.BackendPass, PassDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "not initialised") {
		t.Fatalf("open uninitialised pass store: %v", err)
	}
}

// helperConfig is how exercise hands a keyring to a child process.
const helperEnv = "AKW_KEYS_HELPER_CONFIG"

// TestHelperProcess is not a test: the restart checks re-run this binary
// with helperEnv set, and it lists the keyring and signs with one key as a
// fresh process would.
func TestHelperProcess(t *testing.T) {
	raw := os.Getenv(helperEnv)
	if raw == "" {
		t.Skip("helper process for restart checks")
	}
	var h struct {
		Cfg  keys.Config
		Pass string
		Sign string
	}
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		t.Fatal(err)
	}
	if h.Pass != "" {
		h.Cfg.Passphrase = keys.FixedPassphrase(h.Pass)
	}
	kr, err := keys.Open(h.Cfg)
	if err != nil {
		fmt.Printf("KEYS= OPENERR=%v\n", err)
		return
	}
	ks, err := kr.List()
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, k := range ks {
		ns = append(ns, k.Name)
	}
	msg := []byte("restart")
	sig, pub, err := kr.Sign(h.Sign, msg, signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("KEYS=%s BACKEND=%s VERIFIED=%v\n", strings.Join(ownNames(h.Cfg, ns), ","), kr.Backend(), pub.VerifySignature(msg, sig))
}

// inNewProcess opens the keyring in a child process and returns what it
// saw: key names, backend, whether its signature verified.
func inNewProcess(t *testing.T, cfg keys.Config, pass, signWith string, env ...string) string {
	t.Helper()
	cfg.Passphrase = nil
	raw, _ := json.Marshal(struct {
		Cfg  keys.Config
		Pass string
		Sign string
	}{cfg, pass, signWith})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+string(raw)), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "KEYS=") {
			return l
		}
	}
	t.Fatalf("child process printed no result:\n%s", out)
	return ""
}

// Where neither a secret service nor KWallet answers, the os backend uses
// an initialised pass store and says so; with no store either it fails
// naming what it tried, and never falls back to a file silently.
func TestOSBackendWithoutDBus(t *testing.T) {
	needPass(t)
	app := "akwtest" + uniqueSuffix()
	t.Cleanup(func() { os.RemoveAll(filepath.Join(os.Getenv("PASSWORD_STORE_DIR"), "keyring-"+app)) })
	kr := mustOpen(t, keys.Config{Backend: keys.BackendPass, AppName: app})
	if _, err := kr.Recover("viaPass", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	noBus := []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/akw-no-bus", "XDG_RUNTIME_DIR=/nonexistent", "DISPLAY="}
	got := inNewProcess(t, keys.Config{Backend: keys.BackendOS, AppName: app}, "", "viaPass", noBus...)
	if want := "KEYS=viaPass BACKEND=os (pass) VERIFIED=true"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	got = inNewProcess(t, keys.Config{Backend: keys.BackendOS, AppName: app, PassDir: t.TempDir()}, "", "viaPass", noBus...)
	t.Logf("without any store: %s", got)
	if !strings.Contains(got, "OPENERR=keyring backend os: open: no OS keyring answered (secret-service:") || !strings.Contains(got, "pass: password store") {
		t.Fatalf("got %q", got)
	}
}

// A locked collection needs an unlock prompt; on a machine where nobody
// can answer it, the call must come back as a TimeoutError naming the
// secret service (or as a clear backend error), never hang.
func TestOSBackendLockedCollection(t *testing.T) {
	needSecretService(t)
	app := "akwtest" + uniqueSuffix()
	if err := sstest.EnsureCollection(app, "collection-pass"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sstest.DeleteCollection(app) })
	// The write into the unlocked collection must not time out however
	// busy the machine; the read of the locked one must, after 2 s.
	cfg := keys.Config{Backend: keys.BackendOS, AppName: app, Timeout: time.Minute}
	if _, err := mustOpen(t, cfg).Recover("k", testMnemonic, keys.HDOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := sstest.LockCollection(app); err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 2 * time.Second
	start := time.Now()
	_, err := mustOpen(t, cfg).Key("k")
	t.Logf("after %s: %v", time.Since(start).Round(time.Millisecond), err)
	if err == nil {
		t.Fatal("read a locked collection without an unlock")
	}
	// Bounded, not hung: the bound leaves a loaded machine room.
	if time.Since(start) > 30*time.Second {
		t.Fatalf("took %s", time.Since(start))
	}
	if !errors.Is(err, keys.ErrTimeout) && !errors.Is(err, keys.ErrBackendUnavailable) {
		t.Fatalf("untyped error %v", err)
	}
	// Which of the two comes first depends on the machine: idle, the
	// failed prompt comes back at once as "locked"; busy, the 2 s limit
	// can pass first. Either must name the backend and tell how to fix it.
	var te *keys.TimeoutError
	switch {
	case errors.As(err, &te):
		if te.Backend != "os (secret-service)" || !strings.Contains(te.Hint(), "unlock") {
			t.Fatalf("timeout %v, hint %q: want the secret service named and an unlock hint", err, te.Hint())
		}
	case !strings.Contains(err.Error(), "os (secret-service)") || !strings.Contains(err.Error(), "locked"):
		t.Fatalf("error does not name the backend: %v", err)
	}
}
