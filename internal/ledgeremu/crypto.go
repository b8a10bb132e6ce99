package ledgeremu

import (
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/cosmos/go-bip39"
	secp "github.com/decred/dcrd/dcrec/secp256k1/v4"
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // the Cosmos address hash is RIPEMD-160
	"golang.org/x/crypto/sha3"
)

// seed is the device's BIP32 master, computed once from the mnemonic.
type seed struct {
	secret, chainCode [32]byte
}

func newSeed(mnemonic, passphrase string) (*seed, error) {
	b, err := bip39.NewSeedWithErrorChecking(mnemonic, passphrase)
	if err != nil {
		// Never echo the mnemonic.
		return nil, errors.New("ledgeremu: invalid BIP39 mnemonic")
	}
	s, c := hd.ComputeMastersFromSeed(b)
	return &seed{secret: s, chainCode: c}, nil
}

// PathString renders a 5-element BIP32 path as the SDK writes it, with '
// on hardened elements.
func PathString(path [5]uint32) string {
	s := "m"
	for _, e := range path {
		if e&hardened != 0 {
			s += fmt.Sprintf("/%d'", e&^hardened)
		} else {
			s += fmt.Sprintf("/%d", e)
		}
	}
	return s
}

const hardened = 0x80000000

// derive returns the secp256k1 private key at path, through the same code
// the cosmos-sdk keyring uses for local keys (crypto/hd), so a mnemonic
// imported into a software keyring yields the same key as the emulated
// device.
func (s *seed) derive(path [5]uint32) (*secp.PrivateKey, error) {
	b, err := hd.DerivePrivateKeyForPath(s.secret, s.chainCode, PathString(path))
	if err != nil {
		return nil, err
	}
	return secp.PrivKeyFromBytes(b), nil
}

// cosmosAddress is bech32(hrp, ripemd160(sha256(compressed pubkey))).
func cosmosAddress(hrp string, pub *secp.PublicKey) (string, error) {
	sum := sha256.Sum256(pub.SerializeCompressed())
	h := ripemd160.New()
	h.Write(sum[:])
	return bech32.ConvertAndEncode(hrp, h.Sum(nil))
}

// ethAddress is bech32(hrp, keccak256(uncompressed pubkey)[12:]), the
// encoding the app uses for coin type 60 chains (Evmos, Injective, ...).
func ethAddress(hrp string, pub *secp.PublicKey) (string, error) {
	h := sha3.NewLegacyKeccak256()
	h.Write(pub.SerializeUncompressed()[1:])
	return bech32.ConvertAndEncode(hrp, h.Sum(nil)[12:])
}

// signDER signs sha256(msg) with an RFC 6979 nonce and returns the DER
// encoding of (r, s) WITHOUT normalising s to the lower half of the group
// order: the device does not normalise either, so roughly half of its
// signatures carry a high S. Hosts must convert (the SDK's
// crypto/ledger does, and rejects a signature that fails to verify).
func signDER(priv *secp.PrivateKey, msg []byte) []byte {
	hash := sha256.Sum256(msg)
	privBytes := priv.Serialize()
	var e secp.ModNScalar
	e.SetByteSlice(hash[:])
	d := &priv.Key
	for iter := uint32(0); ; iter++ {
		k := secp.NonceRFC6979(privBytes, hash[:], nil, nil, iter)
		var R secp.JacobianPoint
		secp.ScalarBaseMultNonConst(k, &R)
		R.ToAffine()
		var r secp.ModNScalar
		xb := R.X.Bytes()
		r.SetByteSlice(xb[:])
		if r.IsZero() {
			k.Zero()
			continue
		}
		// s = k⁻¹ (e + r·d) mod n
		var s secp.ModNScalar
		s.Mul2(&r, d).Add(&e)
		kinv := new(secp.ModNScalar).InverseValNonConst(k)
		s.Mul(kinv)
		k.Zero()
		if s.IsZero() {
			continue
		}
		rb, sb := r.Bytes(), s.Bytes()
		der, err := asn1.Marshal(struct{ R, S *big.Int }{
			new(big.Int).SetBytes(rb[:]), new(big.Int).SetBytes(sb[:]),
		})
		if err != nil {
			panic(err) // two positive integers always marshal
		}
		return der
	}
}
