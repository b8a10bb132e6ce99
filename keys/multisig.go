package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/akash-wallet/akw/errkind"
)

// ErrInvalidMultisig: a multisig key that cannot be made (a threshold
// above its members, a member twice, a member that is not a key). It is
// the user's input: nothing was stored.
// Its kind is Usage (exit 2): the members and threshold are what the user
// typed.
var ErrInvalidMultisig = sentinel("invalid multisig key", errkind.Usage, "", errkind.None)

// MultisigError says what is wrong with a multisig's members or threshold.
type MultisigError struct{ Reason string }

func (e *MultisigError) Error() string { return "invalid multisig key: " + e.Reason }
func (e *MultisigError) Unwrap() error { return ErrInvalidMultisig }

// MaxMultisigMembers is the SDK's limit on a multisig's keys
// (x/auth TxSigLimit's default): a larger one could never sign a
// transaction the chain accepts.
const MaxMultisigMembers = 7

// SaveMultisig stores under name the multisig public key of members with
// threshold: a transaction from its address needs threshold of the
// members' signatures. A member is the name of a key in this keyring or a
// public key (the JSON `keys show` prints, {"@type":
// "/cosmos.crypto.secp256k1.PubKey","key":"A..."}, or the key's base64).
// As the SDK's `keys add --multisig` does by default, the members are
// sorted by address, so that the same members and threshold give the
// same address whatever order they are given in.
func (k *Keyring) SaveMultisig(name string, members []string, threshold int, overwrite bool) (Key, error) {
	if err := CheckName(name); err != nil {
		return Key{}, err
	}
	pks, err := k.multisigMembers(members)
	if err != nil {
		return Key{}, err
	}
	if threshold < 1 || threshold > len(pks) {
		return Key{}, &MultisigError{Reason: fmt.Sprintf("threshold %d with %d members: it must be from 1 to %d", threshold, len(pks), len(pks))}
	}
	sort.Slice(pks, func(i, j int) bool { return bytes.Compare(pks[i].Address(), pks[j].Address()) < 0 })
	pub := multisig.NewLegacyAminoPubKey(threshold, pks)
	rec, err := sdkkeyring.NewMultiRecord(name, pub)
	if err != nil {
		return Key{}, err
	}
	return k.put(rec, "", overwrite)
}

func (k *Keyring) multisigMembers(members []string) ([]cryptotypes.PubKey, error) {
	if len(members) < 2 {
		return nil, &MultisigError{Reason: fmt.Sprintf("%d member(s): a multisig needs at least 2", len(members))}
	}
	if len(members) > MaxMultisigMembers {
		return nil, &MultisigError{Reason: fmt.Sprintf("%d members: the chain accepts at most %d signatures on a transaction", len(members), MaxMultisigMembers)}
	}
	var out []cryptotypes.PubKey
	seen := map[string]string{}
	for _, m := range members {
		m = strings.TrimSpace(m)
		pk, err := k.memberKey(m)
		if err != nil {
			return nil, err
		}
		addr := string(pk.Address())
		if prev, dup := seen[addr]; dup {
			return nil, &MultisigError{Reason: fmt.Sprintf("members %q and %q are the same key", prev, m)}
		}
		seen[addr] = m
		out = append(out, pk)
	}
	return out, nil
}

// memberKey resolves a member: a key name first, then a public key.
func (k *Keyring) memberKey(m string) (cryptotypes.PubKey, error) {
	if m == "" {
		return nil, &MultisigError{Reason: "an empty member"}
	}
	if rec, err := k.record(m); err == nil {
		if rec.GetMulti() != nil {
			return nil, &MultisigError{Reason: fmt.Sprintf("member %q is itself a multisig key", m)}
		}
		return rec.GetPubKey()
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	pk, err := ParsePubKey(m)
	if err != nil {
		return nil, &MultisigError{Reason: fmt.Sprintf("member %q is neither a key in the keyring nor a public key (%v)", m, err)}
	}
	return pk, nil
}

// ParsePubKey reads a secp256k1 public key as wallets print it: the JSON
// of `keys show` ({"@type":"/cosmos.crypto.secp256k1.PubKey","key":
// "<base64>"}), the bare base64 of the 33-byte compressed key, or its
// bech32 form (akashpub1...).
func ParsePubKey(s string) (cryptotypes.PubKey, error) {
	s = strings.TrimSpace(s)
	var raw []byte
	switch {
	case strings.HasPrefix(s, "{"):
		var js struct {
			Type string `json:"@type"`
			Key  string `json:"key"`
		}
		if err := json.Unmarshal([]byte(s), &js); err != nil {
			return nil, fmt.Errorf("not a public key's JSON: %v", err)
		}
		if js.Type != "/cosmos.crypto.secp256k1.PubKey" {
			return nil, fmt.Errorf("a %s key; members are secp256k1 keys", js.Type)
		}
		b, err := base64.StdEncoding.DecodeString(js.Key)
		if err != nil {
			return nil, fmt.Errorf("its key is not base64")
		}
		raw = b
	case strings.Contains(s, "pub1"):
		_, b, err := bech32.DecodeAndConvert(s)
		if err != nil {
			return nil, err
		}
		// Amino-prefixed (eb5ae98721) as bech32 pubkeys are written.
		raw = bytes.TrimPrefix(b, []byte{0xeb, 0x5a, 0xe9, 0x87, 0x21})
	default:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("not base64")
		}
		raw = b
	}
	if len(raw) != secp256k1.PubKeySize || (raw[0] != 2 && raw[0] != 3) {
		return nil, fmt.Errorf("not a compressed secp256k1 public key (%d bytes)", len(raw))
	}
	return &secp256k1.PubKey{Key: raw}, nil
}

// Multisig returns the multisig public key stored under name.
func (k *Keyring) Multisig(name string) (*multisig.LegacyAminoPubKey, error) {
	rec, err := k.record(name)
	if err != nil {
		return nil, err
	}
	if rec.GetMulti() == nil {
		return nil, fmt.Errorf("%w: %q is a %s key, not a multisig", ErrOfflineKey, name, typeOf(rec))
	}
	pk, err := rec.GetPubKey()
	if err != nil {
		return nil, err
	}
	m, ok := pk.(*multisig.LegacyAminoPubKey)
	if !ok {
		return nil, fmt.Errorf("%w: %q holds a %T", ErrCorrupt, name, pk)
	}
	return m, nil
}
