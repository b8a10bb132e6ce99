package keys

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Backend names, as given to --keyring-backend. They are the cosmos-sdk's
// names, so a keyring written by the Akash CLI is opened with the same one.
const (
	BackendOS      = "os"
	BackendFile    = "file"
	BackendPass    = "pass"
	BackendKWallet = "kwallet"
	BackendKeyctl  = "keyctl"
	BackendTest    = "test"
	BackendMemory  = "memory"
)

// Backends lists every backend name Open accepts.
var Backends = []string{BackendOS, BackendFile, BackendPass, BackendKWallet, BackendKeyctl, BackendTest, BackendMemory}

// DefaultAppName names akw's own keyring: the secret-service collection
// and item service, the Keychain/Credential Manager service, the pass
// prefix keyring-akw, the keyctl keyring and the KWallet application id.
const DefaultAppName = "akw"

// AkashAppName is the app name of the Akash CLI (cosmos-sdk keyring).
const AkashAppName = "akash"

// DefaultHRP is the bech32 prefix of account addresses.
const DefaultHRP = "akash"

// Config selects and configures a keyring.
//
// Compatibility with the Akash CLI: `akash keys` uses the cosmos-sdk
// keyring with app name "akash" and --keyring-dir ~/.akash by default.
// The file and test backends store their items under DIR/keyring-file
// and DIR/keyring-test whatever the app name, so pointing Dir at ~/.akash
// is enough for them. The os, pass, kwallet and keyctl backends key their
// items by app name (secret-service collection "akash", pass prefix
// "keyring-akash", ...), so AppName must be "akash" for those. akw
// decides it this way: AppName when set (the CLI's --keyring-app flag or
// AKW_KEYRING_APP); otherwise "akash" when Dir's last element is ".akash"
// (the Akash CLI's home), so `--keyring-dir ~/.akash` alone opens an
// Akash CLI keyring with any backend; otherwise "akw".
type Config struct {
	// Backend is one of Backends; empty means "os".
	Backend string
	// Dir holds the file and test keyrings (DIR/keyring-file,
	// DIR/keyring-test). Required for those two.
	Dir string
	// AppName: see the type's comment.
	AppName string
	// Passphrase supplies the file backend's passphrase. Nil means none
	// can be given (a file keyring then fails with ErrNoPassphrase).
	Passphrase PassphraseSource
	// Timeout bounds every backend call; zero means DefaultTimeout,
	// negative means no bound.
	Timeout time.Duration
	// HRP is the bech32 prefix addresses are shown with; default "akash".
	HRP string
	// Collection is the secret-service collection for the os backend;
	// default AppName, as the cosmos-sdk does. "login" is the collection
	// a headless gnome-keyring unlocks; creating a new one needs a GUI
	// prompt.
	Collection string
	// PassDir is the password store for the pass backend; default
	// $PASSWORD_STORE_DIR or ~/.password-store.
	PassDir string
}

// ResolveAppName applies the rule in Config's comment.
func ResolveAppName(appName, dir string) string {
	if appName != "" {
		return appName
	}
	if dir != "" && filepath.Base(filepath.Clean(dir)) == ".akash" {
		return AkashAppName
	}
	return DefaultAppName
}

func (c Config) withDefaults() (Config, error) {
	if c.Backend == "" {
		c.Backend = BackendOS
	}
	known := false
	for _, b := range Backends {
		if b == c.Backend {
			known = true
		}
	}
	if !known {
		return c, fmt.Errorf("%w %q (use one of %s)", ErrUnknownBackend, c.Backend, strings.Join(Backends, ", "))
	}
	c.AppName = ResolveAppName(c.AppName, c.Dir)
	if strings.ContainsAny(c.AppName, "/\\ \t\n") || c.AppName == "." || c.AppName == ".." {
		return c, fmt.Errorf("%w: app name %q must be a single word", ErrInvalidConfig, c.AppName)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.HRP == "" {
		c.HRP = DefaultHRP
	}
	if c.Collection == "" {
		c.Collection = c.AppName
	}
	if c.PassDir == "" {
		if d := os.Getenv("PASSWORD_STORE_DIR"); d != "" {
			c.PassDir = d
		} else if home, err := os.UserHomeDir(); err == nil {
			c.PassDir = filepath.Join(home, ".password-store")
		}
	}
	if (c.Backend == BackendFile || c.Backend == BackendTest) && c.Dir == "" {
		return c, fmt.Errorf("%w: the %s backend needs a keyring directory", ErrBackendUnavailable, c.Backend)
	}
	return c, nil
}
