package keys

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/99designs/keyring"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/errkind"
)

// KeyType says where a key's secret is.
type KeyType string

const (
	TypeLocal   KeyType = "local"   // private key in the keyring
	TypeLedger  KeyType = "ledger"  // private key on a Ledger; the keyring has the public key and path
	TypeOffline KeyType = "offline" // public key only
	TypeMulti   KeyType = "multi"   // multisig public key
)

// Key is what the keyring knows about a key, without its secret.
type Key struct {
	Name    string
	Address string // bech32 with Config.HRP, e.g. akash1...
	PubKey  cryptotypes.PubKey
	Type    KeyType
	// Path is the HD path, e.g. m/44'/118'/0'/0/0: stored by the Ledger
	// record, and by akw beside local keys it derives. Empty when unknown
	// (imported keys, keys made by other tools).
	Path string
}

// PubKeyBase64 is the compressed public key in base64, as the cosmos-sdk
// prints it in `keys show`.
func (k Key) PubKeyBase64() string {
	if k.PubKey == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(k.PubKey.Bytes())
}

// PubKeyTypeURL is the protobuf type of the public key.
func (k Key) PubKeyTypeURL() string {
	if k.PubKey == nil {
		return ""
	}
	return codectypes.MsgTypeURL(k.PubKey)
}

// Keyring is a keyring over one backend. Items use the cosmos-sdk's
// format (protobuf Record at <name>.info, <hexaddr>.address index), so
// the Akash CLI and akw share keyrings. Methods are not safe for
// concurrent use.
type Keyring struct {
	cfg      Config
	db       *timedDB
	kr       sdkkeyring.Keyring
	cdc      codec.Codec
	backend  string
	location string
	warn     func(string)
	lockPath string // file and test backends: the directory to lock for writes
}

// Open opens the keyring cfg describes. It fails with ErrUnknownBackend,
// ErrInvalidConfig, a BackendError (ErrBackendUnavailable) when the store
// cannot be reached, or a TimeoutError.
func Open(cfg Config) (*Keyring, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	o, err := openBackend(cfg)
	if err != nil {
		return nil, err
	}
	db := &timedDB{db: o.db, backend: o.name, timeout: cfg.Timeout, unlock: o.unlock}
	cdc := newCodec()
	return &Keyring{
		cfg:      cfg,
		db:       db,
		kr:       sdkkeyring.NewInMemoryWithKeyring(db, cdc),
		cdc:      cdc,
		backend:  o.name,
		location: o.location,
		lockPath: o.lockDir,
	}, nil
}

// writeLock serialises writers of a file or test keyring across
// processes; the other backends serialise in their own service.
func (k *Keyring) writeLock() (func(), error) {
	if k.lockPath == "" {
		return func() {}, nil
	}
	unlock, err := lockDir(k.lockPath)
	if err != nil {
		return nil, &BackendError{Backend: k.backend, Op: "lock", Err: err}
	}
	return unlock, nil
}

func newCodec() codec.Codec {
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	return codec.NewProtoCodec(reg)
}

// Backend names the store really in use: "file", "test", "memory",
// "pass", "keyctl", "kwallet", or for the os backend the store that
// answered: "os (secret-service)", "os (kwallet)", "os (pass)",
// "os (keychain)", "os (wincred)".
func (k *Keyring) Backend() string { return k.backend }

// Location says where the items are (directory, collection, store).
func (k *Keyring) Location() string { return k.location }

// AppName is the app name the keyring was opened with.
func (k *Keyring) AppName() string { return k.cfg.AppName }

// DevelopmentOnly is true for the test backend (unencrypted: its
// passphrase is the word "test") and memory (keys lost at exit): the CLI
// warns whenever one is used.
func (k *Keyring) DevelopmentOnly() bool {
	return k.backend == BackendTest || k.backend == BackendMemory
}

// SDK returns the cosmos-sdk keyring over the same store, for code that
// needs the SDK's interface (a tx.Factory). Writes through it bypass
// akw's name and address checks: use it to read and sign only.
func (k *Keyring) SDK() sdkkeyring.Keyring { return k.kr }

// OnWarning sets where non-fatal problems (an unreadable item while
// listing) are reported. By default they are dropped.
func (k *Keyring) OnWarning(f func(string)) { k.warn = f }

func (k *Keyring) warnf(format string, args ...any) {
	if k.warn != nil {
		k.warn(fmt.Sprintf(format, args...))
	}
}

const (
	infoSuffix    = ".info"
	addressSuffix = ".address"
	// pathSuffix marks akw's record of the HD path of a local key it
	// derived (the SDK's Record keeps no path for local keys). Keyed by
	// address so renames keep it; the Akash CLI ignores items that do not
	// end in .info.
	pathSuffix = ".akw-hdpath"
)

func addrItemKey(addr sdk.AccAddress) string { return hex.EncodeToString(addr) + addressSuffix }
func pathItemKey(addr sdk.AccAddress) string { return hex.EncodeToString(addr) + pathSuffix }

// CheckName rejects names that cannot be stored safely in every backend
// (pass turns "/" into directories, the file backend escapes it, an item
// name ending in .info would confuse the index). Existing keys with other
// names, made by other tools, still open by name.
func CheckName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: the name is empty", ErrInvalidName)
	}
	if len(name) > 64 {
		return fmt.Errorf("%w: at most 64 characters", ErrInvalidName)
	}
	if name[0] == '.' || name[0] == '-' {
		return fmt.Errorf("%w: %q must not start with '.' or '-'", ErrInvalidName, name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@+", r)
		if !ok {
			return fmt.Errorf("%w: %q may only contain letters, digits and . _ - @ +", ErrInvalidName, name)
		}
	}
	for _, s := range []string{infoSuffix, addressSuffix, pathSuffix} {
		if strings.HasSuffix(name, s) {
			return fmt.Errorf("%w: %q must not end in %s", ErrInvalidName, name, s)
		}
	}
	return nil
}

// translate turns errors from the SDK and the backend into this package's
// typed errors.
func (k *Keyring) translate(op, key string, err error) error {
	if err == nil {
		return nil
	}
	for _, s := range []error{ErrNameExists, ErrAddressExists, ErrNotFound, ErrBadMnemonic, ErrBadPassphrase,
		ErrNoPassphrase, ErrBackendUnavailable, ErrTimeout, ErrInvalidHDPath, ErrInvalidName, ErrOfflineKey, ErrBadArmor, ErrCorrupt} {
		if errors.Is(err, s) {
			return err
		}
	}
	if errors.Is(err, sdkerrors.ErrKeyNotFound) || errors.Is(err, keyring.ErrKeyNotFound) {
		return &NotFoundError{Key: key}
	}
	if strings.HasSuffix(k.backend, "(secret-service)") && strings.Contains(err.Error(), "Object does not exist at path") {
		// gnome-keyring's answer when creating a collection needs a
		// prompt and no desktop can show it.
		err = errkind.With(errkind.Key, fmt.Errorf("collection %q does not exist and creating it needs a desktop password prompt, which cannot be shown here", k.cfg.Collection),
			errkind.Hint{Text: "create it in your keyring manager, or choose an existing collection such as \"login\"", Remedy: errkind.Remedy{Do: errkind.FixSetting, Subject: "keyring-collection"}})
	}
	if strings.HasSuffix(k.backend, "(secret-service)") && strings.Contains(err.Error(), "locked object") {
		err = fmt.Errorf("collection %q is locked and the unlock prompt was not answered (%v)", k.cfg.Collection, err)
	}
	return &BackendError{Backend: k.backend, Op: op, Err: err}
}

func (k *Keyring) toKey(rec *sdkkeyring.Record) (Key, error) {
	pub, err := rec.GetPubKey()
	if err != nil {
		return Key{}, fmt.Errorf("%w: %s: %v", ErrCorrupt, rec.Name, err)
	}
	addr := sdk.AccAddress(pub.Address())
	bech, err := bech32.ConvertAndEncode(k.cfg.HRP, addr)
	if err != nil {
		return Key{}, err
	}
	key := Key{Name: rec.Name, Address: bech, PubKey: pub}
	switch rec.GetType() {
	case sdkkeyring.TypeLocal:
		key.Type = TypeLocal
		if it, err := k.db.Get(pathItemKey(addr)); err == nil {
			key.Path = string(it.Data)
		}
	case sdkkeyring.TypeLedger:
		key.Type = TypeLedger
		if p := rec.GetLedger().GetPath(); p != nil {
			key.Path = p.String()
		}
	case sdkkeyring.TypeMulti:
		key.Type = TypeMulti
	default:
		key.Type = TypeOffline
	}
	return key, nil
}

// record reads the Record stored under name.
func (k *Keyring) record(name string) (*sdkkeyring.Record, error) {
	rec, err := k.kr.Key(name)
	if err != nil {
		return nil, k.translate("get", name, err)
	}
	return rec, nil
}

// Key returns the key called name.
func (k *Keyring) Key(name string) (Key, error) {
	rec, err := k.record(name)
	if err != nil {
		return Key{}, err
	}
	return k.toKey(rec)
}

// KeyByAddress returns the key with the given bech32 address (any
// prefix: the address bytes are what is looked up).
func (k *Keyring) KeyByAddress(address string) (Key, error) {
	_, bz, err := bech32.DecodeAndConvert(address)
	if err != nil {
		return Key{}, fmt.Errorf("%w: %q is not a bech32 address", ErrNotFound, address)
	}
	name, err := k.nameByAddress(bz)
	if err != nil {
		return Key{}, err
	}
	if name == "" {
		return Key{}, &NotFoundError{Key: address}
	}
	return k.Key(name)
}

// nameByAddress returns the name holding addr, or "" when none does. An
// address index whose record is gone is stale (an interrupted delete) and
// counts as none, as in the cosmos-sdk.
func (k *Keyring) nameByAddress(addr sdk.AccAddress) (string, error) {
	it, err := k.db.Get(addrItemKey(addr))
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return "", nil
	}
	if err != nil {
		return "", k.translate("get", addrItemKey(addr), err)
	}
	name := strings.TrimSuffix(string(it.Data), infoSuffix)
	if _, err := k.db.Get(name + infoSuffix); err != nil {
		if errors.Is(err, keyring.ErrKeyNotFound) {
			return "", nil
		}
		return "", k.translate("get", name, err)
	}
	return name, nil
}

// List returns every key, sorted by name. Items that cannot be decoded
// are skipped and reported through OnWarning.
func (k *Keyring) List() ([]Key, error) {
	items, err := k.db.Keys()
	if err != nil {
		return nil, k.translate("list", "", err)
	}
	sort.Strings(items)
	var out []Key
	for _, it := range items {
		if !strings.HasSuffix(it, infoSuffix) {
			continue
		}
		name := strings.TrimSuffix(it, infoSuffix)
		key, err := k.Key(name)
		if err != nil {
			if errors.Is(err, ErrTimeout) || errors.Is(err, ErrBadPassphrase) || errors.Is(err, ErrNoPassphrase) {
				return nil, err
			}
			k.warnf("skipping key %q: %v", name, err)
			continue
		}
		out = append(out, key)
	}
	return out, nil
}

func typeOf(rec *sdkkeyring.Record) KeyType {
	switch rec.GetType() {
	case sdkkeyring.TypeLocal:
		return TypeLocal
	case sdkkeyring.TypeLedger:
		return TypeLedger
	case sdkkeyring.TypeMulti:
		return TypeMulti
	}
	return TypeOffline
}

// Sign signs msg (the sign bytes of a transaction) with the named key.
// Local keys sign whatever the mode (the mode decided how msg was built).
// Ledger keys need SIGN_MODE_LEGACY_AMINO_JSON, the only mode the Cosmos
// app reviews that Akash enables; the device shows the transaction and
// the user approves it (SignLedgerAminoJSON, typed *LedgerError).
// Offline and multisig keys return ErrOfflineKey.
func (k *Keyring) Sign(name string, msg []byte, mode signing.SignMode) ([]byte, cryptotypes.PubKey, error) {
	rec, err := k.record(name)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case rec.GetLocal() != nil:
		sig, pub, err := k.kr.Sign(name, msg, mode)
		if err != nil {
			return nil, nil, k.translate("sign", name, err)
		}
		return sig, pub, nil
	case rec.GetLedger() != nil:
		if mode != signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON {
			return nil, nil, fmt.Errorf("%w: Ledger key %q signs in SIGN_MODE_LEGACY_AMINO_JSON only, not %s", ErrOfflineKey, name, mode)
		}
		return SignLedgerAminoJSON(k.kr, name, msg)
	}
	return nil, nil, fmt.Errorf("%w: %q is a %s key (public key only)", ErrOfflineKey, name, typeOf(rec))
}

// AddLedger asks the Ledger for the key at path (the device shows its
// address and the user approves), then stores the public key and path
// under name. The device is asked through a scratch in-memory keyring and
// the record is written here, so the name and address rules of Recover
// apply (the SDK's own write would quietly take over an address stored
// under another name). Device failures are *LedgerError.
func (k *Keyring) AddLedger(name string, path HDPath, overwrite bool) (*LedgerKey, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if !overwrite {
		// Refuse a taken name before the user is asked anything.
		if _, err := k.record(name); err == nil {
			return nil, &ConflictError{Name: name, Existing: name, Err: ErrNameExists}
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	scratch := sdkkeyring.NewInMemory(k.cdc)
	lk, err := AddLedgerKey(scratch, name, LedgerKeyOptions{HRP: k.cfg.HRP, Account: path.Account, Index: path.Index})
	if err != nil {
		return nil, err
	}
	if _, err := k.put(lk.Record, "", overwrite); err != nil {
		return nil, err
	}
	return lk, nil
}

// ShowOnDevice makes the Ledger display the address of the stored Ledger
// key name, for the user to compare with Key(name).Address.
func (k *Keyring) ShowOnDevice(name string) (*LedgerShown, error) {
	return ShowLedgerAddress(k.kr, name, k.cfg.HRP)
}

// SignByAddress is Sign for the key with the given bech32 address.
func (k *Keyring) SignByAddress(address string, msg []byte, mode signing.SignMode) ([]byte, cryptotypes.PubKey, error) {
	key, err := k.KeyByAddress(address)
	if err != nil {
		return nil, nil, err
	}
	return k.Sign(key.Name, msg, mode)
}
