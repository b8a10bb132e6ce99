package sign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/cosmos/cosmos-sdk/client"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/internal/atomicfile"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/encoding"
)

// MaxFileSize bounds what akw reads as a transaction file; akw's largest
// transaction (withdraw from every validator) is a few tens of KB.
const MaxFileSize = 1 << 20

// EncodeJSON returns the SDK's tx JSON encoding, indented for humans and
// ended by a newline. It is what the Akash CLI reads and writes too.
func EncodeJSON(cfg *encoding.Config, b client.TxBuilder) ([]byte, error) {
	bz, err := cfg.TxConfig.TxJSONEncoder()(b.GetTx())
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, bz, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// DecodeJSON reads a transaction in the SDK's tx JSON encoding. Unknown
// fields and message types are refused: what a user signs must be exactly
// what akw understood and showed.
func DecodeJSON(cfg *encoding.Config, bz []byte) (client.TxBuilder, error) {
	if len(bz) > MaxFileSize {
		return nil, tx.Inputf("", "transaction file is %d bytes, more than the %d akw accepts", len(bz), MaxFileSize)
	}
	// The SDK's decoder accepts a tx without auth_info or fee, and
	// GetSigners then dereferences nil (found by FuzzDecodeJSON): check
	// the structure first.
	var raw txtypes.Tx
	if err := cfg.Codec.UnmarshalJSON(bz, &raw); err != nil {
		return nil, tx.InputThen(errkind.Remedy{Do: errkind.TxFile}, "", "not a transaction in the SDK's JSON encoding: %v", err)
	}
	if raw.Body == nil || raw.AuthInfo == nil || raw.AuthInfo.Fee == nil {
		return nil, tx.InputThen(errkind.Remedy{Do: errkind.TxFile}, "", "not a complete transaction: body, auth_info and fee are required")
	}
	for i, m := range raw.Body.Messages {
		if m == nil || m.GetCachedValue() == nil {
			return nil, tx.Inputf("", "message %d of the transaction is empty", i)
		}
	}
	for i, si := range raw.AuthInfo.SignerInfos {
		if si == nil || si.PublicKey == nil {
			continue
		}
		if pk, ok := si.PublicKey.GetCachedValue().(cryptotypes.PubKey); ok {
			if !pubKeyOK(pk) {
				return nil, tx.InputThen(errkind.Remedy{Do: errkind.TxFile}, "", "signer %d's public key is malformed", i+1)
			}
		}
	}
	t, err := cfg.TxConfig.TxJSONDecoder()(bz)
	if err != nil {
		return nil, tx.InputThen(errkind.Remedy{Do: errkind.TxFile}, "", "not a transaction in the SDK's JSON encoding: %v", err)
	}
	b, err := cfg.TxConfig.WrapTxBuilder(t)
	if err != nil {
		return nil, tx.Inputf("", "cannot use this transaction: %v", err)
	}
	if len(b.GetTx().GetMsgs()) == 0 {
		return nil, tx.Inputf("", "the transaction has no messages")
	}
	if err := signersOK(b); err != nil {
		return nil, err
	}
	return b, nil
}

// pubKeyOK reports whether a public key from a file, and each member of a
// multisig key, has an address (validPubKey): the SDK's keys panic on a
// malformed one (secp256k1's Address on a key that is not 33 bytes, found
// by FuzzDecodeJSON in Describe), so it is refused before anything uses it.
func pubKeyOK(pk cryptotypes.PubKey) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	if m, multi := pk.(interface{ GetPubKeys() []cryptotypes.PubKey }); multi {
		for _, sub := range m.GetPubKeys() {
			if sub == nil || !pubKeyOK(sub) {
				return false
			}
		}
	}
	return validPubKey(pk)
}

// ReadFile reads a transaction file; "-" is stdin.
func ReadFile(cfg *encoding.Config, path string, stdin io.Reader) (client.TxBuilder, error) {
	var r io.Reader
	if path == "-" {
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, tx.Inputf("check the path", "cannot read transaction file: %w", err)
		}
		defer f.Close()
		r = f
	}
	bz, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, tx.Inputf("check the path", "cannot read transaction file: %w", err)
	}
	return DecodeJSON(cfg, bz)
}

// WriteFile writes bz to path through a temporary file and a rename, so a
// crash never leaves half a transaction behind. It refuses to replace an
// existing file unless overwrite is set.
func WriteFile(path string, bz []byte, overwrite bool) error {
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return tx.Inputf("choose another name, or remove the file first", "%s already exists", path)
		}
	}
	if err := atomicfile.Write(path, bz, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// signersOK reads the signers, turning a panic inside the SDK on a
// malformed transaction into an input error.
func signersOK(b client.TxBuilder) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = tx.Inputf("", "the transaction is malformed: its signers cannot be read")
		}
	}()
	if _, err := b.GetTx().GetSigners(); err != nil {
		return tx.Inputf("", "the transaction's signers cannot be read: %v", err)
	}
	return nil
}
