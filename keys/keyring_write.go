package keys

import (
	"errors"
	"fmt"

	"github.com/99designs/keyring"
	"github.com/cosmos/cosmos-sdk/crypto"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/go-bip39"
)

// What changes the keyring: creating, recovering and saving keys,
// deleting, renaming, exporting and importing them. keyring.go opens and
// reads it.

// HDOptions are the options of Create and Recover.
type HDOptions struct {
	Path HDPath
	// Overwrite replaces a key with the same name and a key with the same
	// address. Without it either is an error and nothing is written.
	Overwrite bool
}

// Create makes a key from a new 24-word mnemonic and returns the
// mnemonic. It is the only time the mnemonic exists outside the user's
// hands: the keyring keeps the derived private key only.
func (k *Keyring) Create(name string, opts HDOptions) (Key, string, error) {
	entropy, err := bip39.NewEntropy(MnemonicWords * 11 * 32 / 33)
	if err != nil {
		return Key{}, "", err
	}
	mnemonic, err := bip39.NewMnemonic(entropy)
	if err != nil {
		return Key{}, "", err
	}
	key, err := k.Recover(name, mnemonic, opts)
	if err != nil {
		return Key{}, "", err
	}
	return key, mnemonic, nil
}

// Recover stores the key derived from mnemonic at opts.Path. The mnemonic
// is checked first (ErrBadMnemonic names the problem); nothing is
// written when any check fails.
func (k *Keyring) Recover(name, mnemonic string, opts HDOptions) (Key, error) {
	if err := CheckName(name); err != nil {
		return Key{}, err
	}
	m, err := NormalizeMnemonic(mnemonic)
	if err != nil {
		return Key{}, err
	}
	if _, err := NewHDPath(int64(opts.Path.Account), int64(opts.Path.Index)); err != nil {
		return Key{}, err
	}
	seed, err := hd.Secp256k1.Derive()(m, sdkkeyring.DefaultBIP39Passphrase, opts.Path.String())
	if err != nil {
		return Key{}, fmt.Errorf("%w: cannot derive the key: %v", ErrBadMnemonic, errors.Unwrap(err))
	}
	priv := hd.Secp256k1.Generate()(seed)
	rec, err := sdkkeyring.NewLocalRecord(name, priv, priv.PubKey())
	if err != nil {
		return Key{}, err
	}
	return k.put(rec, opts.Path.String(), opts.Overwrite)
}

// SaveLedgerKey stores a Ledger key: its public key and path, no secret.
// The caller reads pub from the device.
func (k *Keyring) SaveLedgerKey(name string, pub cryptotypes.PubKey, path HDPath, overwrite bool) (Key, error) {
	if err := CheckName(name); err != nil {
		return Key{}, err
	}
	rec, err := sdkkeyring.NewLedgerRecord(name, pub, hd.NewFundraiserParams(path.Account, CoinType, path.Index))
	if err != nil {
		return Key{}, err
	}
	return k.put(rec, "", overwrite)
}

// SaveOfflineKey stores a public key only (watch-only / offline signing).
func (k *Keyring) SaveOfflineKey(name string, pub cryptotypes.PubKey, overwrite bool) (Key, error) {
	if err := CheckName(name); err != nil {
		return Key{}, err
	}
	rec, err := sdkkeyring.NewOfflineRecord(name, pub)
	if err != nil {
		return Key{}, err
	}
	return k.put(rec, "", overwrite)
}

// put writes rec after checking that neither its name nor its address is
// taken (unless overwrite). With overwrite the conflicting items are
// removed first and put back if the write fails, so a failed write
// changes nothing.
func (k *Keyring) put(rec *sdkkeyring.Record, path string, overwrite bool) (Key, error) {
	unlock, err := k.writeLock()
	if err != nil {
		return Key{}, err
	}
	defer unlock()
	pub, err := rec.GetPubKey()
	if err != nil {
		return Key{}, err
	}
	addr := sdk.AccAddress(pub.Address())
	bech, _ := bech32.ConvertAndEncode(k.cfg.HRP, addr)

	var replace []string // names whose items are replaced
	if old, err := k.record(rec.Name); err == nil {
		if !overwrite {
			return Key{}, &ConflictError{Name: rec.Name, Existing: rec.Name, Address: bech, Err: ErrNameExists}
		}
		replace = append(replace, old.Name)
	} else if !errors.Is(err, ErrNotFound) {
		return Key{}, err
	}
	holder, err := k.nameByAddress(addr)
	if err != nil {
		return Key{}, err
	}
	if holder != "" && holder != rec.Name {
		if !overwrite {
			return Key{}, &ConflictError{Name: rec.Name, Existing: holder, Address: bech, Err: ErrAddressExists}
		}
		replace = append(replace, holder)
	}

	data, err := k.cdc.Marshal(rec)
	if err != nil {
		return Key{}, err
	}
	writes := []keyring.Item{
		{Key: rec.Name + infoSuffix, Data: data},
		{Key: addrItemKey(addr), Data: []byte(rec.Name + infoSuffix)},
	}
	if path != "" {
		writes = append(writes, keyring.Item{Key: pathItemKey(addr), Data: []byte(path)})
	}

	// Back up everything the write replaces or makes stale.
	backupKeys := map[string]bool{addrItemKey(addr): true, pathItemKey(addr): true}
	for _, n := range replace {
		backupKeys[n+infoSuffix] = true
		if r, err := k.record(n); err == nil {
			if a, err := r.GetAddress(); err == nil {
				backupKeys[addrItemKey(a)] = true
				backupKeys[pathItemKey(a)] = true
			}
		}
	}
	var backup []keyring.Item
	for key := range backupKeys {
		it, err := k.db.Get(key)
		if err == nil {
			backup = append(backup, it)
		} else if !errors.Is(err, keyring.ErrKeyNotFound) {
			return Key{}, k.translate("get", key, err)
		}
	}
	restore := func() {
		for _, w := range writes {
			_ = k.db.Remove(w.Key)
		}
		for _, it := range backup {
			_ = k.db.Set(it)
		}
	}
	for _, it := range backup {
		if err := k.db.Remove(it.Key); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
			restore()
			return Key{}, k.translate("remove", it.Key, err)
		}
	}
	for _, w := range writes {
		if err := k.db.Set(w); err != nil {
			if !errors.Is(err, ErrTimeout) {
				restore()
			}
			return Key{}, k.translate("set", rec.Name, err)
		}
	}
	return k.toKey(rec)
}

// Delete removes a key: its record, its address index and akw's path.
func (k *Keyring) Delete(name string) error {
	unlock, err := k.writeLock()
	if err != nil {
		return err
	}
	defer unlock()
	rec, err := k.record(name)
	if err != nil {
		return err
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	// The address index first, as the cosmos-sdk does: a record without
	// index is still listed and can be deleted again; an index without
	// record is ignored as stale.
	if holder, err := k.nameByAddress(addr); err == nil && holder == name {
		if err := k.db.Remove(addrItemKey(addr)); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
			return k.translate("remove", name, err)
		}
	}
	if err := k.db.Remove(name + infoSuffix); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
		return k.translate("remove", name, err)
	}
	if err := k.db.Remove(pathItemKey(addr)); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
		return k.translate("remove", name, err)
	}
	return nil
}

// Rename gives a key a new name. Unlike the cosmos-sdk's Rename (export,
// delete, import: local keys only, and a failed import loses the key) it
// copies the record under the new name, repoints the address index, then
// removes the old name, so an interruption leaves both names, never none;
// and it works for Ledger and offline keys.
func (k *Keyring) Rename(oldName, newName string) error {
	if err := CheckName(newName); err != nil {
		return err
	}
	unlock, err := k.writeLock()
	if err != nil {
		return err
	}
	defer unlock()
	rec, err := k.record(oldName)
	if err != nil {
		return err
	}
	if oldName == newName {
		return nil
	}
	if _, err := k.record(newName); err == nil {
		return &ConflictError{Name: newName, Existing: newName, Err: ErrNameExists}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, oldName, err)
	}
	renamed := *rec
	renamed.Name = newName
	data, err := k.cdc.Marshal(&renamed)
	if err != nil {
		return err
	}
	if err := k.db.Set(keyring.Item{Key: newName + infoSuffix, Data: data}); err != nil {
		return k.translate("set", newName, err)
	}
	if err := k.db.Set(keyring.Item{Key: addrItemKey(addr), Data: []byte(newName + infoSuffix)}); err != nil {
		_ = k.db.Remove(newName + infoSuffix)
		return k.translate("set", newName, err)
	}
	if err := k.db.Remove(oldName + infoSuffix); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
		return k.translate("remove", oldName, err)
	}
	return nil
}

// ExportArmor returns the private key of a local key, encrypted with a new
// passphrase from src (argon2id + chacha20poly1305, the cosmos-sdk's armor,
// which `akash keys import` reads).
func (k *Keyring) ExportArmor(name string, src PassphraseSource) (string, error) {
	rec, err := k.record(name)
	if err != nil {
		return "", err
	}
	if rec.GetLocal() == nil {
		return "", fmt.Errorf("%w: %q is a %s key; only local keys have a private key to export", ErrOfflineKey, name, typeOf(rec))
	}
	pass, err := NewPassphrase(src, "export", "")
	if err != nil {
		return "", err
	}
	armor, err := k.kr.ExportPrivKeyArmor(name, pass)
	if err != nil {
		return "", k.translate("export", name, err)
	}
	return armor, nil
}

// ImportArmor stores the private key in an armor made by ExportArmor or
// `akash keys export`, asking src for its passphrase (three tries when
// interactive). Name and address are checked as in Recover.
func (k *Keyring) ImportArmor(name, armor string, src PassphraseSource, overwrite bool) (Key, error) {
	if err := CheckName(name); err != nil {
		return Key{}, err
	}
	if _, _, _, err := crypto.DecodeArmor(armor); err != nil {
		return Key{}, fmt.Errorf("%w: %v", ErrBadArmor, err)
	}
	var priv cryptotypes.PrivKey
	_, err := askUntil(src, PassphraseRequest{Purpose: "import"}, func(p string) error {
		var err error
		priv, _, err = crypto.UnarmorDecryptPrivKey(armor, p)
		switch {
		case errors.Is(err, sdkerrors.ErrWrongPassword):
			return ErrBadPassphrase
		case err != nil:
			return fmt.Errorf("%w: %v", ErrBadArmor, err)
		}
		return nil
	})
	if err != nil {
		return Key{}, err
	}
	rec, err := sdkkeyring.NewLocalRecord(name, priv, priv.PubKey())
	if err != nil {
		return Key{}, err
	}
	return k.put(rec, "", overwrite)
}
