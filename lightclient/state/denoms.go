package state

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-wallet/akw/lightclient/proof"
)

// The bank's denom metadata and send rules, as the SDK v0.53 keeper keeps
// them (x/bank/types/keys.go, x/bank/keeper/view.go; collections with a
// terminal string key, so the denom follows the prefix as it is).
// denoms_keys_test.go re-derives each key from the SDK's own encoders.
var (
	bankDenomMetadataPrefix = []byte{0x01} // bank: 0x01 denom -> Metadata
	bankSendEnabledPrefix   = []byte{0x04} // bank: 0x04 denom -> BoolValue (false is the empty value)
	bankParamsKey           = []byte{0x05} // bank: params (DefaultSendEnabled)
)

func denomMetadataKey(denom string) []byte { return cat(bankDenomMetadataPrefix, []byte(denom)) }
func sendEnabledKey(denom string) []byte   { return cat(bankSendEnabledPrefix, []byte(denom)) }

// DenomMetadata is what the bank says about one denom: its units and the
// unit it is displayed in, or, proven just as well, nothing.
type DenomMetadata struct {
	Denom string `json:"denom"`
	// Metadata is nil when the chain holds no metadata for Denom (its
	// absence is proven). Such a denom — most IBC vouchers, "ibc/<hash>"
	// — has no known exponent: show its amounts in Denom as they are.
	Metadata *banktypes.Metadata `json:"metadata,omitempty"`
}

// DenomsMetadata is the proven metadata of several denoms at one height,
// in the order asked.
type DenomsMetadata struct {
	Proven
	Denoms []DenomMetadata `json:"denoms"`
}

// Holdings are an address's balances, proven complete, with the proven
// metadata of every denom it holds, all at one height: what a balance
// screen needs to show each amount in the unit the chain describes.
type Holdings struct {
	Proven
	Address string          `json:"address"`
	Coins   sdk.Coins       `json:"balances"`
	Denoms  []DenomMetadata `json:"denoms"` // one per coin, in the coins' order
}

// SendEnabled is whether the bank lets denom be sent (MsgSend,
// MsgMultiSend), as x/bank decides it: the denom's own SendEnabled entry
// if it has one, else the DefaultSendEnabled parameter.
type SendEnabled struct {
	Proven
	Denom   string `json:"denom"`
	Enabled bool   `json:"enabled"`
	// Entry is true when the denom has its own entry (ACT on mainnet:
	// SetSendEnabled(uact, false) at the v2.0.0 upgrade); false when the
	// default parameter decided.
	Entry bool `json:"entry"`
}

// DenomMetadata proves the bank metadata of one denom: present, or
// proven absent (Metadata nil).
func (v *View) DenomMetadata(ctx context.Context, denom string) (out *DenomMetadata, err error) {
	defer guard(&out, &err, "metadata of "+denom)
	all, err := v.denomsMetadata(ctx, []string{denom})
	if err != nil {
		return nil, err
	}
	return &all[0], nil
}

// DenomsMetadata proves the bank metadata of each denom, in one round of
// proofs.
func (v *View) DenomsMetadata(ctx context.Context, denoms []string) (out *DenomsMetadata, err error) {
	defer guard(&out, &err, "denom metadata")
	all, err := v.denomsMetadata(ctx, denoms)
	if err != nil {
		return nil, err
	}
	return &DenomsMetadata{Proven: v.proven(), Denoms: all}, nil
}

// Holdings proves every balance of addr and the metadata of each denom
// it holds. The metadata of the denoms it is guessed to hold (the denom
// hints) is proven with the walk's first round, that of the denoms the
// node's hint names with its second: a one-shot balance query of the
// usual account is one round trip, not one more for the metadata.
func (v *View) Holdings(ctx context.Context, addr sdk.AccAddress) (out *Holdings, err error) {
	defer guard(&out, &err, "holdings of "+addr.String())
	along := &alongWalk{hintKeys: func(hinted [][]byte) [][]byte {
		prefix := balancesPrefix(addr)
		var keys [][]byte
		for _, k := range hinted {
			// The node's unproven word: a key that names no denom only
			// goes unproven here; the walk decides what is held.
			if d := string(bytes.TrimPrefix(k, prefix)); len(k) > len(prefix) && sdk.ValidateDenom(d) == nil {
				keys = append(keys, denomMetadataKey(d))
			}
		}
		return keys
	}}
	for _, d := range v.q.denomHints {
		if sdk.ValidateDenom(d) == nil {
			along.firstKeys = append(along.firstKeys, denomMetadataKey(d))
		}
	}
	bals, err := v.balances(ctx, addr, along)
	if err != nil {
		return nil, err
	}
	md := make([]DenomMetadata, len(bals.Coins))
	var rest []string
	var at []int
	for i, c := range bals.Coins {
		p, ok := along.get(denomMetadataKey(c.Denom))
		if !ok {
			rest, at = append(rest, c.Denom), append(at, i)
			continue
		}
		if md[i], err = metadataFrom(c.Denom, p); err != nil {
			return nil, err
		}
	}
	if len(rest) > 0 {
		more, err := v.denomsMetadata(ctx, rest)
		if err != nil {
			return nil, err
		}
		for j, i := range at {
			md[i] = more[j]
		}
	}
	return &Holdings{Proven: v.proven(), Address: bals.Address, Coins: bals.Coins, Denoms: md}, nil
}

func (v *View) denomsMetadata(ctx context.Context, denoms []string) ([]DenomMetadata, error) {
	keys := make([][]byte, len(denoms))
	for i, d := range denoms {
		if err := sdk.ValidateDenom(d); err != nil {
			return nil, err
		}
		keys[i] = denomMetadataKey(d)
	}
	ps, err := v.getMany(ctx, storeBank, keys)
	if err != nil {
		return nil, err
	}
	out := make([]DenomMetadata, len(denoms))
	for i, p := range ps {
		if out[i], err = metadataFrom(denoms[i], p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// metadataFrom decodes the proven metadata entry of denom (or its proven
// absence).
func metadataFrom(denom string, p *proof.KeyProof) (DenomMetadata, error) {
	out := DenomMetadata{Denom: denom}
	if !p.Exists {
		return out, nil
	}
	var md banktypes.Metadata
	if err := md.Unmarshal(p.Value); err != nil {
		return DenomMetadata{}, &ErrDecode{What: fmt.Sprintf("metadata of %q", denom), Err: err}
	}
	// The keeper files metadata under its Base (SetDenomMetaData).
	if md.Base != denom {
		return DenomMetadata{}, &ErrInconsistent{Reason: fmt.Sprintf("metadata stored under %q is for %q", denom, md.Base)}
	}
	out.Metadata = &md
	return out, nil
}

// TokenBalance is one denomination's balance with that denomination's
// metadata (the unit to show it in), proven at one height.
type TokenBalance struct {
	Balance
	Denom DenomMetadata `json:"denom"`
}

// TokenBalance proves addr's balance of denom and denom's metadata with
// one batch of proofs: a one-shot balance query is then one round trip
// (with the header, when Querier.Newest guessed its height), where
// Balance then DenomMetadata would be two.
func (v *View) TokenBalance(ctx context.Context, addr sdk.AccAddress, denom string) (out *TokenBalance, err error) {
	defer guard(&out, &err, "balance of "+addr.String())
	if err := sdk.ValidateDenom(denom); err != nil {
		return nil, err
	}
	ps, err := v.getMany(ctx, storeBank, [][]byte{balanceKey(addr, denom), denomMetadataKey(denom)})
	if err != nil {
		return nil, err
	}
	amt, err := balanceFrom(denom, ps[0])
	if err != nil {
		return nil, err
	}
	md, err := metadataFrom(denom, ps[1])
	if err != nil {
		return nil, err
	}
	return &TokenBalance{Balance: Balance{Proven: v.proven(), Address: addr.String(), Coin: sdk.Coin{Denom: denom, Amount: amt}}, Denom: md}, nil
}

// SendEnabled proves whether denom can be sent: its SendEnabled entry and
// the bank's parameters are proven together (one round), and the answer
// is x/bank's IsSendEnabledDenom over them.
func (v *View) SendEnabled(ctx context.Context, denom string) (out *SendEnabled, err error) {
	defer guard(&out, &err, "send rule of "+denom)
	if err := sdk.ValidateDenom(denom); err != nil {
		return nil, err
	}
	ps, err := v.getMany(ctx, storeBank, [][]byte{sendEnabledKey(denom), bankParamsKey})
	if err != nil {
		return nil, err
	}
	entry, params := ps[0], ps[1]
	out = &SendEnabled{Denom: denom}
	if entry.Exists {
		// codec.BoolValue is the keeper's own codec: a protobuf BoolValue,
		// false being the empty value that proof/empty.go proves.
		enabled, err := codec.BoolValue.Decode(entry.Value)
		if err != nil {
			return nil, &ErrDecode{What: fmt.Sprintf("SendEnabled entry of %q", denom), Err: err}
		}
		out.Enabled, out.Entry = enabled, true
	} else if params.Exists {
		var p banktypes.Params
		if err := p.Unmarshal(params.Value); err != nil {
			return nil, &ErrDecode{What: "bank params", Err: err}
		}
		out.Enabled = p.DefaultSendEnabled
	}
	// Neither an entry nor params: the keeper's GetParams answers the
	// zero Params then, whose DefaultSendEnabled is false, so the chain
	// refuses the send; so does akw.
	out.Proven = v.proven()
	return out, nil
}
