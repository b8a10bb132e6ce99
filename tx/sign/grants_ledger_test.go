package sign

// Issue 15's messages signed on a Ledger: the emulated Cosmos app
// (internal/ledgeremu) under the real client stack (keys ->
// cosmos-sdk keyring and crypto/ledger -> ledger-cosmos-go -> ledger-go
// framing), reached through Sign with keys.SignLedgerAminoJSON, exactly as
// `akw tx` signs with a Ledger key (wallet.Env sets flow.Env.Ledger to it).
// Neither keys nor ledgeremu imports this package, so this internal test
// can use them and grantOps alike.

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/akash-wallet/akw/internal/ledgeremu"
	"github.com/akash-wallet/akw/keys"
)

// Every issue-15 operation signs on the device in amino JSON: the app's
// checks (canonical form, required fields, token limit of the model)
// accept its sign document, the user is shown each message type and what
// it carries (authorizations, allowances, inner messages) both on the
// device and in the review akw computes beforehand, and the signature the
// device returns verifies against the key over the very bytes akw built.
func TestLedgerSignsGrantOps(t *testing.T) {
	mode := signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON
	sd := SignerData{ChainID: "akash-devnet-1", AccountNumber: 12, Sequence: 3}
	for _, dc := range []struct {
		name string
		cfg  ledgeremu.Config
	}{
		// The Nano S Plus allows 768 JSON tokens; Stax and Flex only 600.
		// The newer app also enforces its prefix allowlist (not "akash"),
		// which signing must not trip over.
		{"nano-s-plus", ledgeremu.Config{Model: ledgeremu.NanoSPlus, Version: ledgeremu.V2_34}},
		{"stax-allowlist", ledgeremu.Config{Model: ledgeremu.Stax, Version: ledgeremu.V2_38_12, HRPAllowlist: true}},
	} {
		t.Run(dc.name, func(t *testing.T) {
			dc.cfg.Mnemonic = testMnemonic
			dev, err := ledgeremu.New(dc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			keys.SetLedgerConnector(dev.Connect)
			t.Cleanup(func() { keys.SetLedgerConnector(nil) })

			cfg, _, _ := setup(t)
			kr := keyring.NewInMemory(cfg.Codec)
			lk, err := keys.AddLedgerKey(kr, "hw", keys.LedgerKeyOptions{HRP: "akash", Account: 0, Index: 0})
			if err != nil {
				t.Fatal(err)
			}
			signer := sdk.AccAddress(lk.PubKey.Address())

			for name, op := range grantOps(signer) {
				t.Run(name, func(t *testing.T) {
					ctx := context.Background()
					body := Body{Memo: "restake via akw"}

					// The sign bytes the device receives, as akw's real
					// Ledger signer is handed them.
					var sent []byte
					ledger := func(kr keyring.Keyring, name string, signBytes []byte) ([]byte, cryptotypes.PubKey, error) {
						sent = bytes.Clone(signBytes)
						return keys.SignLedgerAminoJSON(kr, name, signBytes)
					}
					before := len(dev.Reviews())
					b := unsigned(t, cfg, op, body)
					got, err := Sign(ctx, cfg, kr, ledger, "hw", b.b, sd)
					if err != nil {
						t.Fatalf("signing on the Ledger: %v", err)
					}
					if got != mode {
						t.Fatalf("signed in %v, want %v", got, mode)
					}

					// The bytes signed are the transaction's amino-JSON
					// sign document, built afresh from the same operation.
					want, err := SignBytes(ctx, cfg, unsigned(t, cfg, op, body).b, mode, lk.PubKey, sd)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(sent, want) {
						t.Fatalf("the device was sent\n%s\nnot the sign document\n%s", sent, want)
					}
					if !isCanonical(t, sent) {
						t.Errorf("sign document is not canonical JSON:\n%s", sent)
					}
					for _, n := range grantMsgNames[name] {
						if !bytes.Contains(sent, []byte(`{"type":"`+n+`","value":`)) {
							t.Errorf("sign document has no %s message:\n%s", n, sent)
						}
					}

					// The signature is the device key's over exactly those
					// bytes, and over nothing else.
					sigs, err := b.b.GetTx().GetSignaturesV2()
					if err != nil || len(sigs) != 1 {
						t.Fatalf("signatures %v, %v", sigs, err)
					}
					single, ok := sigs[0].Data.(*signingtypes.SingleSignatureData)
					if !ok || single.SignMode != mode || !sigs[0].PubKey.Equals(lk.PubKey) {
						t.Fatalf("signature %+v by %v", sigs[0].Data, sigs[0].PubKey)
					}
					if !lk.PubKey.VerifySignature(want, single.Signature) {
						t.Fatal("the device's signature does not verify over the sign bytes")
					}
					tampered := bytes.Replace(want, []byte(`"sequence":"3"`), []byte(`"sequence":"4"`), 1)
					if bytes.Equal(tampered, want) || lk.PubKey.VerifySignature(tampered, single.Signature) {
						t.Fatal("the signature verifies over another document")
					}
					if err := Verify(ctx, cfg, b.b, sd); err != nil {
						t.Fatalf("the chain's verification: %v", err)
					}

					// The device reviewed it once, and the user approved.
					reviews := dev.Reviews()
					if len(reviews) != before+1 {
						t.Fatalf("%d reviews on the device, want 1", len(reviews)-before)
					}
					shown := reviews[before]
					if shown.Kind != ledgeremu.ReviewTransaction || shown.Decision != ledgeremu.Approve || shown.Path != lk.Path {
						t.Fatalf("device review %v %v at %s", shown.Kind, shown.Decision, shown.Path)
					}
					var device []keys.ReviewScreen
					for _, s := range shown.Screens {
						device = append(device, keys.ReviewScreen{Title: s.Key, Value: s.Value})
					}
					review, err := keys.LedgerReview(want)
					if err != nil {
						t.Fatalf("akw's review of the sign document: %v", err)
					}
					checkReviewNames(t, "the device", device, name)
					checkReviewNames(t, "akw's review", review, name)
				})
			}
		})
	}
}

// checkReviewNames checks that the pages name each message type of op
// (the app shows a type once when every message has it) and what the
// messages carry, in the values the app shows as raw JSON.
func checkReviewNames(t *testing.T, who string, pages []keys.ReviewScreen, op string) {
	t.Helper()
	var types []string
	var all strings.Builder
	for _, p := range pages {
		if p.Title == "Type" {
			types = append(types, p.Value)
		}
		all.WriteString(p.Value)
		all.WriteByte('\n')
	}
	var want []string
	for _, n := range grantMsgNames[op] {
		if len(want) == 0 || want[len(want)-1] != n {
			want = append(want, n)
		}
	}
	if strings.Join(types, ",") != strings.Join(want, ",") {
		t.Errorf("%s shows message types %q, want %q", who, types, want)
	}
	for _, n := range grantInnerNames[op] {
		if !strings.Contains(all.String(), `"type":"`+n+`"`) {
			t.Errorf("%s does not show %s:\n%s", who, n, all.String())
		}
	}
}
