package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"github.com/spf13/pflag"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/keys"
	"github.com/akash-wallet/akw/tx/address"
)

// `akw keys add NAME --multisig a,b,c --multisig-threshold K` stores the
// public key of a K-of-N multisig account (keys.SaveMultisig). Its members
// sign its transactions apart (`akw tx sign --multisig`), and their
// signatures are combined (`akw tx multisign`).

// multisigHint is what a refused multisig asks of the user.
const multisigHint = "give 2 to 7 different members (key names in this keyring, or public keys as `akw keys show` prints them) and --multisig-threshold from 1 to their number"

func addMultisigFlags(f *pflag.FlagSet, o *keysAddOptions) {
	f.StringArrayVar(&o.MultisigArgs, "multisig", nil, "store a multisig public key of these members: key names or public keys, comma-separated (or the flag repeated)")
	f.IntVar(&o.MultisigThreshold, "multisig-threshold", 0, "with --multisig: how many members must sign (1 to the number of members)")
}

// splitMembers splits --multisig values on the commas outside braces: a
// public key's JSON ({"@type":...,"key":...}) holds a comma of its own.
func splitMembers(vals []string) []string {
	var out []string
	for _, v := range vals {
		depth, start := 0, 0
		for i, r := range v {
			switch r {
			case '{':
				depth++
			case '}':
				if depth > 0 { // a stray brace opens nothing
					depth--
				}
			case ',':
				if depth == 0 {
					out = append(out, strings.TrimSpace(v[start:i]))
					start = i + 1
				}
			}
		}
		out = append(out, strings.TrimSpace(v[start:]))
	}
	return out
}

// validateMultisig checks --multisig and --multisig-threshold without a
// keyring: what the keyring must answer (an unknown member, a name and a
// public key of the same key) SaveMultisig refuses, with nothing stored.
func (o *keysAddOptions) validateMultisig(thresholdGiven bool) error {
	if o.MultisigArgs == nil {
		if thresholdGiven {
			return output.UsageError("--multisig-threshold without --multisig", "give the members too: --multisig a,b,c --multisig-threshold 2")
		}
		return nil
	}
	switch {
	case o.Recover || o.Ledger || o.ShowMnemonic:
		return output.UsageError("--multisig cannot be combined with --recover, --ledger or --show-mnemonic", "a multisig key is only the members' public keys: add the members first, then the multisig")
	case o.Account != 0 || o.Index != 0:
		return output.UsageError("--multisig has no HD path: --account and --index do not apply", "leave --account and --index out")
	case !thresholdGiven:
		return output.UsageError("--multisig needs --multisig-threshold", "say how many members must sign: --multisig-threshold K")
	}
	o.Multisig = splitMembers(o.MultisigArgs)
	seen := map[string]bool{}
	for _, m := range o.Multisig {
		if m == "" {
			return output.UsageError(fmt.Sprintf("--multisig %q has an empty member", strings.Join(o.MultisigArgs, ",")), multisigHint)
		}
		if seen[m] {
			return output.UsageError(fmt.Sprintf("member %q is given twice", m), multisigHint)
		}
		seen[m] = true
	}
	n := len(o.Multisig)
	if n < 2 || n > keys.MaxMultisigMembers {
		return output.UsageError(fmt.Sprintf("%d member(s): a multisig has from 2 to %d", n, keys.MaxMultisigMembers), multisigHint)
	}
	if o.MultisigThreshold < 1 || o.MultisigThreshold > n {
		return output.UsageError(fmt.Sprintf("--multisig-threshold %d with %d members: it must be from 1 to %d", o.MultisigThreshold, n, n), multisigHint)
	}
	return nil
}

// runKeysAddMultisig stores the multisig key; a refusal stores nothing
// and overwrites nothing.
func runKeysAddMultisig(app *App, o *keysAddOptions) error {
	kr, err := openKeyring(app, o.Keyring)
	if err != nil {
		return err
	}
	k, err := kr.SaveMultisig(o.Name, o.Multisig, o.MultisigThreshold, o.Overwrite)
	if err != nil {
		if errors.Is(err, keys.ErrInvalidMultisig) {
			return output.Wrap(output.Usage, err, "", multisigHint)
		}
		return keysError(err)
	}
	j := toKeyJSON(k)
	nameMembers(kr, &j)
	res := addResult{Key: j, Backend: kr.Backend()}
	return app.Printer.Result(res, func(w io.Writer) error {
		fmt.Fprintf(w, "Added multisig key %q to the %s keyring.\n", k.Name, kr.Backend())
		writeKeyText(w, k)
		writeMultisigText(w, j.Multisig)
		fmt.Fprintln(w, "Its transactions: generate with --generate-only, sign with `akw tx sign FILE --multisig "+k.Name+" --from MEMBER`, combine with `akw tx multisign`.")
		return nil
	})
}

// multisigKeyJSON is a multisig key's threshold and members.
type multisigKeyJSON struct {
	Threshold int          `json:"threshold"`
	Members   []memberJSON `json:"members"`
}

type memberJSON struct {
	Address string     `json:"address"`
	PubKey  pubKeyJSON `json:"pubkey"`
	// Name is the member's key name in this keyring, when it holds it.
	Name string `json:"name,omitempty"`
}

// toMultisigJSON is k's threshold and members, nil for a key that is not
// a multisig. Member addresses take the prefix of k's own address.
func toMultisigJSON(k keys.Key) *multisigKeyJSON {
	multi, ok := k.PubKey.(*kmultisig.LegacyAminoPubKey)
	if !ok {
		return nil
	}
	hrp, _, err := bech32.DecodeAndConvert(k.Address)
	if err != nil {
		return nil
	}
	j := &multisigKeyJSON{Threshold: int(multi.Threshold), Members: []memberJSON{}}
	for _, pk := range multi.GetPubKeys() {
		j.Members = append(j.Members, memberJSON{
			Address: address.Bech32(hrp, pk.Address()),
			PubKey:  pubKeyJSON{Type: keys.Key{PubKey: pk}.PubKeyTypeURL(), Key: base64.StdEncoding.EncodeToString(pk.Bytes())},
		})
	}
	return j
}

// nameMembers names the members of j's multisig that kr holds.
func nameMembers(kr *keys.Keyring, j *keyJSON) {
	if j.Multisig == nil {
		return
	}
	for i, m := range j.Multisig.Members {
		if k, err := kr.KeyByAddress(m.Address); err == nil {
			j.Multisig.Members[i].Name = k.Name
		}
	}
}

func writeMultisigText(w io.Writer, m *multisigKeyJSON) {
	if m == nil {
		return
	}
	fmt.Fprintf(w, "threshold: %d of %d members must sign\n", m.Threshold, len(m.Members))
	for _, mb := range m.Members {
		name := ""
		if mb.Name != "" {
			name = " (" + mb.Name + ")"
		}
		fmt.Fprintf(w, "member:  %s%s\n", mb.Address, name)
	}
}

// nameMembersFrom names the members of j's multisig found in names
// (address to key name: a listing's keys).
func nameMembersFrom(names map[string]string, j *keyJSON) {
	if j.Multisig == nil {
		return
	}
	for i, m := range j.Multisig.Members {
		j.Multisig.Members[i].Name = names[m.Address]
	}
}

// listType is a key's type in `keys list`: a multisig's with its
// threshold and members.
func listType(j keyJSON) string {
	if j.Multisig == nil {
		return j.Type
	}
	var ms []string
	for _, m := range j.Multisig.Members {
		if m.Name != "" {
			ms = append(ms, m.Name)
		} else {
			ms = append(ms, m.Address)
		}
	}
	return fmt.Sprintf("multisig %d-of-%d (%s)", j.Multisig.Threshold, len(j.Multisig.Members), strings.Join(ms, ", "))
}
