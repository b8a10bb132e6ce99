package keys

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/99designs/keyring"
	jose "github.com/dvsekhvalnov/jose2go"
	"github.com/mtibben/percent"
	"golang.org/x/crypto/bcrypt"

	"github.com/akash-wallet/akw/internal/atomicfile"
)

var errNotExist = fs.ErrNotExist

// Directory names under Config.Dir, the cosmos-sdk's.
const (
	fileDirName = "keyring-file"
	testDirName = "keyring-test"
	keyhashName = "keyhash"
)

// keyhashCost is the bcrypt cost of the keyhash akw writes for a new file
// keyring. The cosmos-sdk writes cost 2, which makes the hash a cheap
// oracle for guessing the passphrase; bcrypt records the cost in the hash,
// so the Akash CLI reads akw's keyhash and akw reads the Akash CLI's.
const keyhashCost = 12

// opened is a backend ready for use.
type opened struct {
	db       keyring.Keyring
	name     string // what Backend() reports: "file", "os (secret-service)"
	location string // where the items live, for display
	unlock   func(key string) error
	lockDir  string
}

// openBackend opens exactly the backend cfg asks for and finds out which
// store is really behind it. The 99designs library's Open silently moves
// on to the next backend when one fails; akw asks it for one store at a
// time so it always knows which one answered.
func openBackend(cfg Config) (*opened, error) {
	switch cfg.Backend {
	case BackendMemory:
		return &opened{db: keyring.NewArrayKeyring(nil), name: BackendMemory, location: "process memory"}, nil
	case BackendTest:
		dir := filepath.Join(cfg.Dir, testDirName)
		if err := securePerms(cfg.Dir, dir); err != nil {
			return nil, &BackendError{Backend: BackendTest, Op: "open", Err: err}
		}
		db, err := keyring.Open(keyring.Config{
			AllowedBackends:  []keyring.BackendType{keyring.FileBackend},
			ServiceName:      cfg.AppName,
			FileDir:          dir,
			FilePasswordFunc: func(string) (string, error) { return "test", nil },
		})
		if err != nil {
			return nil, &BackendError{Backend: BackendTest, Op: "open", Err: err}
		}
		pass := func() (string, error) { return "test", nil }
		return &opened{db: &atomicFileDB{Keyring: db, dir: dir, password: pass}, name: BackendTest, location: dir, lockDir: dir}, nil
	case BackendFile:
		return openFile(cfg)
	case BackendPass:
		return openPass(cfg, BackendPass)
	case BackendKWallet:
		return openOne(cfg, BackendKWallet, keyring.KWalletBackend, keyring.Config{
			ServiceName:  "kdewallet",
			KWalletAppID: cfg.AppName,
		}, "KWallet wallet kdewallet, app id "+cfg.AppName)
	case BackendKeyctl:
		if runtime.GOOS != "linux" {
			return nil, &BackendError{Backend: BackendKeyctl, Op: "open", Err: errors.New("keyctl exists on Linux only")}
		}
		// User scope: the cosmos-sdk default ("process") dies with the
		// process, so a CLI would lose every key at exit. The user
		// keyring lives until the user's last session ends or the machine
		// reboots; say so in the docs, it is not durable storage.
		return openOne(cfg, BackendKeyctl, keyring.KeyCtlBackend, keyring.Config{
			ServiceName: cfg.AppName,
			KeyCtlScope: "user",
		}, "user keyring, named keyring "+cfg.AppName)
	case BackendOS:
		return openOS(cfg)
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownBackend, cfg.Backend)
}

// openOne opens one 99designs backend through the library's registry, so
// that an unregistered backend (no D-Bus at start-up, other OS) is
// reported as unavailable rather than replaced by another.
func openOne(cfg Config, name string, bt keyring.BackendType, kc keyring.Config, location string) (*opened, error) {
	if !backendRegistered(bt) {
		return nil, &BackendError{Backend: name, Op: "open", Err: fmt.Errorf("%s is not available on this system", bt)}
	}
	kc.AllowedBackends = []keyring.BackendType{bt}
	db, err := withTimeout(name, "open", cfg.Timeout, func() (keyring.Keyring, error) { return keyring.Open(kc) })
	if err != nil {
		var te *TimeoutError
		if errors.As(err, &te) {
			return nil, err
		}
		return nil, &BackendError{Backend: name, Op: "open", Err: err}
	}
	return &opened{db: db, name: name, location: location}, nil
}

func backendRegistered(bt keyring.BackendType) bool {
	for _, b := range keyring.AvailableBackends() {
		if b == bt {
			return true
		}
	}
	return false
}

// openOS picks the operating system's store. On Linux it tries what the
// 99designs library would (secret service, KWallet, the pass store) but
// stops before the kernel keyring and the file: keyctl keys vanish at
// reboot and the file backend needs a passphrase, and a user who asked for
// the OS keyring must not land in either without being told. Whichever
// store answers is what Backend() reports.
func openOS(cfg Config) (*opened, error) {
	osCfg := keyring.Config{
		// Same settings as the cosmos-sdk's os backend, so the items of
		// an Akash CLI keyring (app name "akash") are found.
		ServiceName:              cfg.AppName,
		KeychainTrustApplication: true,
		LibSecretCollectionName:  cfg.Collection,
	}
	var tried []string
	switch runtime.GOOS {
	case "darwin":
		return openOne(cfg, BackendOS+" (keychain)", keyring.KeychainBackend, osCfg, "login keychain, service "+cfg.AppName)
	case "windows":
		return openOne(cfg, BackendOS+" (wincred)", keyring.WinCredBackend, osCfg, "Credential Manager, service "+cfg.AppName)
	}
	if o, err := openOne(cfg, BackendOS+" (secret-service)", keyring.SecretServiceBackend, osCfg, "secret-service collection "+cfg.Collection); err == nil {
		return o, nil
	} else if errors.Is(err, ErrTimeout) {
		return nil, err
	} else {
		tried = append(tried, "secret-service: "+cause(err))
	}
	if o, err := openOne(cfg, BackendOS+" (kwallet)", keyring.KWalletBackend, osCfg, "KWallet"); err == nil {
		return o, nil
	} else if errors.Is(err, ErrTimeout) {
		return nil, err
	} else {
		tried = append(tried, "kwallet: "+cause(err))
	}
	if o, err := openPass(cfg, BackendOS+" (pass)"); err == nil {
		return o, nil
	} else {
		tried = append(tried, "pass: "+cause(err))
	}
	return nil, &BackendError{Backend: BackendOS, Op: "open", Err: errors.New("no OS keyring answered (" + strings.Join(tried, "; ") + ")")}
}

func cause(err error) string {
	var be *BackendError
	if errors.As(err, &be) {
		return be.Err.Error()
	}
	return err.Error()
}

// openPass opens the pass store with the cosmos-sdk's prefix
// (keyring-<app>). The library only checks that the pass program exists;
// akw also requires an initialised store (.gpg-id), since `pass insert`
// fails without one and the failure would come at the first write.
func openPass(cfg Config, name string) (*opened, error) {
	if _, err := exec.LookPath("pass"); err != nil {
		return nil, &BackendError{Backend: name, Op: "open", Err: errors.New("the pass program is not installed")}
	}
	if cfg.PassDir == "" {
		return nil, &BackendError{Backend: name, Op: "open", Err: errors.New("no password store directory")}
	}
	if _, err := os.Stat(filepath.Join(cfg.PassDir, ".gpg-id")); err != nil {
		return nil, &BackendError{Backend: name, Op: "open", Err: fmt.Errorf("password store %s is not initialised (run `pass init GPG-ID`)", cfg.PassDir)}
	}
	prefix := "keyring-" + cfg.AppName
	return openOne(cfg, name, keyring.PassBackend, keyring.Config{
		ServiceName: cfg.AppName,
		PassDir:     cfg.PassDir,
		PassPrefix:  prefix,
	}, filepath.Join(cfg.PassDir, prefix))
}

// fileUnlocker resolves the file keyring's passphrase once, before the
// first call that needs it, so that listing an empty keyring asks nothing
// and a prompt never runs under the call timeout.
type fileUnlocker struct {
	dir  string
	src  PassphraseSource
	pass string
	err  error
	done bool
}

func (u *fileUnlocker) unlock() error {
	if u.done {
		return u.err
	}
	u.pass, u.err = resolveFilePassphrase(u.dir, u.src)
	// A wrong passphrase is final for this process; asking again on the
	// next call would reset the attempt count.
	u.done = true
	return u.err
}

func openFile(cfg Config) (*opened, error) {
	dir := filepath.Join(cfg.Dir, fileDirName)
	if err := securePerms(cfg.Dir, dir); err != nil {
		return nil, &BackendError{Backend: BackendFile, Op: "open", Err: err}
	}
	u := &fileUnlocker{dir: dir, src: cfg.Passphrase}
	db, err := keyring.Open(keyring.Config{
		AllowedBackends: []keyring.BackendType{keyring.FileBackend},
		ServiceName:     cfg.AppName,
		FileDir:         dir,
		FilePasswordFunc: func(string) (string, error) {
			if err := u.unlock(); err != nil {
				return "", err
			}
			return u.pass, nil
		},
	})
	if err != nil {
		return nil, &BackendError{Backend: BackendFile, Op: "open", Err: err}
	}
	pass := func() (string, error) {
		if err := u.unlock(); err != nil {
			return "", err
		}
		return u.pass, nil
	}
	unlock := func(key string) error {
		if key != "" {
			// Reading an item that is not there needs no passphrase:
			// `keys show` on an empty keyring says "not found" without
			// asking for one (the library checks the file first too).
			if _, err := os.Stat(filepath.Join(dir, percent.Encode(key, "/"))); errors.Is(err, fs.ErrNotExist) {
				return nil
			}
		}
		return u.unlock()
	}
	return &opened{db: &atomicFileDB{Keyring: db, dir: dir, password: pass}, name: BackendFile, location: dir, unlock: unlock, lockDir: dir}, nil
}

// resolveFilePassphrase gets the file keyring's passphrase from src and
// checks it: against the bcrypt keyhash when there is one (the
// cosmos-sdk's scheme), else by decrypting an existing item, else (an
// empty keyring) it is a new passphrase, asked twice, and its keyhash is
// written.
func resolveFilePassphrase(dir string, src PassphraseSource) (string, error) {
	req := PassphraseRequest{Purpose: "keyring", Dir: dir}
	hash, err := os.ReadFile(filepath.Join(dir, keyhashName))
	switch {
	case err == nil:
		return askUntil(src, req, func(p string) error {
			if bcrypt.CompareHashAndPassword(hash, []byte(p)) != nil {
				return ErrBadPassphrase
			}
			return nil
		})
	case !errors.Is(err, fs.ErrNotExist):
		return "", &BackendError{Backend: BackendFile, Op: "read keyhash", Err: err}
	}
	if item := anyItemFile(dir); item != "" {
		token, err := os.ReadFile(item)
		if err != nil {
			return "", &BackendError{Backend: BackendFile, Op: "read", Err: err}
		}
		return askUntil(src, req, func(p string) error {
			if _, _, err := jose.Decode(string(token), p); err != nil {
				return ErrBadPassphrase
			}
			return nil
		})
	}
	p, err := NewPassphrase(src, "keyring", dir)
	if err != nil {
		return "", err
	}
	hash, err = bcrypt.GenerateFromPassword([]byte(p), keyhashCost)
	if err != nil {
		return "", err
	}
	if err := atomicfile.Write(filepath.Join(dir, keyhashName), hash, 0o600); err != nil {
		return "", &BackendError{Backend: BackendFile, Op: "write keyhash", Err: err}
	}
	return p, nil
}

// anyItemFile returns an encrypted item of the file keyring, if any.
func anyItemFile(dir string) string {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && (strings.HasSuffix(n, ".info") || strings.HasSuffix(n, ".address")) {
			return filepath.Join(dir, n)
		}
	}
	return ""
}

// securePerms creates the keyring directories 0700 and tightens an
// existing keyring directory and its files to 0700/0600: a keyring dir
// made by another tool under a permissive umask must not stay readable by
// others. The parent (--keyring-dir, often akw's home) is created 0700 if
// missing but otherwise left alone.
func securePerms(parent, dir string) error {
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if st.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return err
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(filepath.Join(dir, e.Name()), 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}
