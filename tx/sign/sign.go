// Package sign turns messages into unsigned transactions, signs them
// through the cosmos-sdk keyring (SIGN_MODE_DIRECT for local keys,
// SIGN_MODE_LEGACY_AMINO_JSON for Ledger keys, chosen from the key record),
// checks the signature it got back, and reads and writes transaction files
// in the SDK's tx JSON encoding.
package sign

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cosmos/cosmos-sdk/client"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	"github.com/cosmos/go-bip39"
	"google.golang.org/protobuf/types/known/anypb"

	txsigning "cosmossdk.io/x/tx/signing"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx"
	"github.com/akash-wallet/akw/tx/encoding"
)

// MaxMemo is the SDK's default memo limit (x/auth MaxMemoCharacters).
const MaxMemo = 256

// MaxTimeout is the longest --timeout-duration of an unordered
// transaction the SDK accepts (x/auth ante DefaultMaxTimeoutDuration).
const MaxTimeout = 10 * time.Minute

// Body is what an unsigned transaction carries besides its messages.
type Body struct {
	Memo     string
	Fee      sdk.Coins
	GasLimit uint64
	// Unordered transactions carry no sequence; the chain instead
	// remembers their hash until TimeoutTimestamp, so many can be sent
	// from one key at once.
	Unordered        bool
	TimeoutTimestamp time.Time
}

// CheckMemo refuses memos the chain would refuse, and memos that are a
// mnemonic (people paste the wrong thing; the memo is public forever).
func CheckMemo(memo string) error {
	if len(memo) > MaxMemo {
		return tx.Inputf(fmt.Sprintf("shorten it to %d characters", MaxMemo), "memo is %d characters long", len(memo))
	}
	if memo != "" && bip39.IsMnemonicValid(strings.ToLower(strings.TrimSpace(memo))) {
		return tx.Inputf("never put a recovery phrase anywhere but the keyring; memos are public forever",
			"the memo is a valid mnemonic (recovery phrase); refusing to publish it")
	}
	return nil
}

// Unsigned builds an unsigned transaction.
func Unsigned(cfg *encoding.Config, msgs []sdk.Msg, body Body) (client.TxBuilder, error) {
	if err := CheckMemo(body.Memo); err != nil {
		return nil, err
	}
	if body.Unordered {
		if body.TimeoutTimestamp.IsZero() {
			return nil, tx.Inputf("pass --timeout-duration, e.g. 5m", "an unordered transaction needs a timeout")
		}
	}
	b := cfg.TxConfig.NewTxBuilder()
	if err := b.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	b.SetMemo(body.Memo)
	b.SetFeeAmount(body.Fee)
	b.SetGasLimit(body.GasLimit)
	if !body.TimeoutTimestamp.IsZero() {
		b.SetTimeoutTimestamp(body.TimeoutTimestamp.UTC())
	}
	b.SetUnordered(body.Unordered)
	return b, nil
}

// SignerData is what the chain binds a signature to besides the body.
type SignerData struct {
	ChainID       string
	AccountNumber uint64
	Sequence      uint64 // must be 0 for unordered transactions
}

// ModeFor picks the sign mode for a key record: the Ledger Cosmos app
// signs only amino JSON (direct sign docs fail with "Unexpected
// characters"); local keys sign the protobuf sign doc.
func ModeFor(rec *keyring.Record) (signingtypes.SignMode, error) {
	switch rec.GetType() {
	case keyring.TypeLocal:
		return signingtypes.SignMode_SIGN_MODE_DIRECT, nil
	case keyring.TypeLedger:
		return signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, nil
	}
	return signingtypes.SignMode_SIGN_MODE_UNSPECIFIED, tx.NewKeyError(rec.Name,
		fmt.Errorf("is a %s key, which holds no private key here", strings.ToLower(rec.GetType().String())),
		"sign with a local or Ledger key, or sign on the machine that holds this key")
}

// Signer returns the single signer of the transaction.
func Signer(b client.TxBuilder) (sdk.AccAddress, error) {
	signers, err := b.GetTx().GetSigners()
	if err != nil {
		return nil, err
	}
	if len(signers) != 1 {
		return nil, tx.Inputf("akw signs transactions with one signer", "the transaction has %d signers", len(signers))
	}
	return sdk.AccAddress(signers[0]), nil
}

// LedgerSigner signs an amino JSON sign document with a Ledger key of
// the keyring. akw's keys package provides one that checks the document
// against the Cosmos app's rules first and maps device errors; without
// one the keyring signs directly.
type LedgerSigner func(kr keyring.Keyring, name string, signBytes []byte) ([]byte, cryptotypes.PubKey, error)

// Sign signs b with the keyring key named keyName, replacing any earlier
// signature, then verifies the signature against the key's public key so
// that a faulty device or keyring is caught before broadcast. It does what
// client/tx.Sign does (signer info first, then the sign bytes of the
// mode), with the mode taken from the key record and Ledger keys routed
// through ledger when given.
func Sign(ctx context.Context, cfg *encoding.Config, kr keyring.Keyring, ledger LedgerSigner, keyName string, b client.TxBuilder, sd SignerData) (signingtypes.SignMode, error) {
	rec, err := kr.Key(keyName)
	if err != nil {
		ke := tx.NewKeyError(keyName, err, "")
		ke.Then = errkind.Remedy{Do: errkind.ListKeys}
		return 0, ke
	}
	mode, err := ModeFor(rec)
	if err != nil {
		return 0, err
	}
	pub, err := rec.GetPubKey()
	if err != nil {
		return 0, tx.NewKeyError(keyName, err, "")
	}
	signer, err := Signer(b)
	if err != nil {
		return 0, err
	}
	if !signer.Equals(sdk.AccAddress(pub.Address())) {
		return 0, tx.NewKeyError(keyName, fmt.Errorf("is not the transaction's signer (the key is %s, the transaction is from %s)", cfg.Bech32(sdk.AccAddress(pub.Address())), cfg.Bech32(signer)),
			"sign with the key of the address the transaction is from")
	}
	if b.GetTx().GetUnordered() && sd.Sequence != 0 {
		return 0, tx.Inputf("leave --sequence out for --unordered", "an unordered transaction must not carry a sequence (got %d)", sd.Sequence)
	}
	signBytes, err := SignBytes(ctx, cfg, b, mode, pub, sd)
	if err != nil {
		return 0, err
	}
	var sig []byte
	if rec.GetType() == keyring.TypeLedger && ledger != nil {
		sig, _, err = ledger(kr, keyName, signBytes)
	} else {
		sig, _, err = kr.Sign(keyName, signBytes, mode)
	}
	if err != nil {
		hint := signHint(rec)
		if !errkind.HintOf(err).IsZero() {
			// The keyring's or the device's own words (a Ledger that is
			// locked, an app not open) say more than a general hint.
			hint = ""
		}
		return 0, tx.NewKeyError(keyName, fmt.Errorf("signing failed: %w", err), hint)
	}
	if err := b.SetSignatures(signingtypes.SignatureV2{
		PubKey:   pub,
		Data:     &signingtypes.SingleSignatureData{SignMode: mode, Signature: sig},
		Sequence: sd.Sequence,
	}); err != nil {
		return 0, err
	}
	if err := Verify(ctx, cfg, b, sd); err != nil {
		return 0, tx.NewKeyError(keyName, err, "the keyring or device returned a signature that does not verify; nothing was broadcast")
	}
	return mode, nil
}

func signHint(rec *keyring.Record) string {
	if rec.GetType() == keyring.TypeLedger {
		return "connect and unlock the Ledger, open the Cosmos app, and approve the transaction on the device"
	}
	return ""
}

// Verify checks every signature of b against its signer info, for the
// given chain-id and account number, the way the chain's ante handler
// does.
func Verify(ctx context.Context, cfg *encoding.Config, b client.TxBuilder, sd SignerData) error {
	t := b.GetTx()
	sigs, err := t.GetSignaturesV2()
	if err != nil {
		return err
	}
	signers, err := t.GetSigners()
	if err != nil {
		return err
	}
	if len(sigs) == 0 {
		return errors.New("the transaction is not signed")
	}
	if len(sigs) != len(signers) {
		return fmt.Errorf("%d signatures for %d signers", len(sigs), len(signers))
	}
	adaptable, ok := t.(authsigning.V2AdaptableTx)
	if !ok {
		return fmt.Errorf("unexpected transaction type %T", t)
	}
	for i, sig := range sigs {
		if sig.PubKey == nil {
			return fmt.Errorf("signature %d carries no public key", i)
		}
		if !sdk.AccAddress(sig.PubKey.Address()).Equals(sdk.AccAddress(signers[i])) {
			return fmt.Errorf("signature %d is by a key that is not the signer's", i)
		}
		anyPk, err := codectypes.NewAnyWithValue(sig.PubKey)
		if err != nil {
			return err
		}
		data := txsigning.SignerData{
			Address:       cfg.Bech32(sdk.AccAddress(signers[i])),
			ChainID:       sd.ChainID,
			AccountNumber: sd.AccountNumber,
			Sequence:      sig.Sequence,
			PubKey:        &anypb.Any{TypeUrl: anyPk.TypeUrl, Value: anyPk.Value},
		}
		if err := authsigning.VerifySignature(ctx, sig.PubKey, data, sig.Data, cfg.TxConfig.SignModeHandler(), adaptable.GetSigningTxData()); err != nil {
			return fmt.Errorf("signature %d does not verify for chain-id %s, account number %d, sequence %d: %w", i, sd.ChainID, sd.AccountNumber, sig.Sequence, err)
		}
	}
	return nil
}

// SignBytes returns the bytes a signer signs in the given mode: the
// protobuf SignDoc for DIRECT, the canonical amino JSON for
// LEGACY_AMINO_JSON (what a Ledger shows and signs).
func SignBytes(ctx context.Context, cfg *encoding.Config, b client.TxBuilder, mode signingtypes.SignMode, pub cryptotypes.PubKey, sd SignerData) ([]byte, error) {
	// DIRECT sign docs include the signer infos, so put one in first,
	// exactly as client/tx.Sign does.
	if err := b.SetSignatures(signingtypes.SignatureV2{
		PubKey:   pub,
		Data:     &signingtypes.SingleSignatureData{SignMode: mode},
		Sequence: sd.Sequence,
	}); err != nil {
		return nil, err
	}
	return authsigning.GetSignBytesAdapter(ctx, cfg.TxConfig.SignModeHandler(), mode, authsigning.SignerData{
		ChainID:       sd.ChainID,
		AccountNumber: sd.AccountNumber,
		Sequence:      sd.Sequence,
		PubKey:        pub,
		Address:       cfg.Bech32(sdk.AccAddress(pub.Address())),
	}, b.GetTx())
}

// SimulationBytes encodes b for simulation: an empty signature by pub
// (or by an empty secp256k1 key when the account has none on chain yet,
// as the SDK's own BuildSimTx does), in the mode that will sign it, so the
// node charges the same signature-verification gas.
//
// extra are the empty signatures of the transaction's other signers, in
// their order (a fee payer other than the signer).
func SimulationBytes(cfg *encoding.Config, b client.TxBuilder, pub cryptotypes.PubKey, mode signingtypes.SignMode, sequence uint64, extra ...signingtypes.SignatureV2) ([]byte, error) {
	if pub == nil {
		pub = &secp256k1.PubKey{}
	}
	var data signingtypes.SignatureData = &signingtypes.SingleSignatureData{SignMode: mode}
	if multi, ok := pub.(*kmultisig.LegacyAminoPubKey); ok {
		data = simMultisig(multi)
	}
	sigs := append([]signingtypes.SignatureV2{{PubKey: pub, Data: data, Sequence: sequence}}, extra...)
	if err := b.SetSignatures(sigs...); err != nil {
		return nil, err
	}
	bz, err := cfg.TxConfig.TxEncoder()(b.GetTx())
	// Leave the builder unsigned for whoever signs it next.
	_ = b.SetSignatures()
	return bz, err
}

// Encode returns the protobuf bytes that are broadcast.
func Encode(cfg *encoding.Config, b client.TxBuilder) ([]byte, error) {
	return cfg.TxConfig.TxEncoder()(b.GetTx())
}
