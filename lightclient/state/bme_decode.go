package state

import (
	"fmt"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/wire"
)

// The akash.bme.v1 messages, read field by field (field numbers and types
// from chain-sdk's proto/node/akash/bme/v1/types.proto, go/v0.2.2 as node
// v2.0.x uses it and go/v0.2.11 as v2.1.0 does; v0.2.11 added
// LedgerPendingRecord.attempts and cancel reasons 2-9). A field akw does
// not know is skipped, as protobuf decoders do; a known field of the
// wrong wire type, or a message cut short, is an error.

// coin reads a cosmos.base.v1beta1.Coin (denom 1, amount 2 as decimal
// text), which must be a valid coin.
func coin(f wire.Field) (*sdk.Coin, error) {
	c, err := f.Coin()
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("field %d: coin: %w", f.Num, err)
	}
	return &c, nil
}

// coinPrice reads an akash.bme.v1.CoinPrice: coin 1, price 2 (a LegacyDec
// as gogoproto writes it: the integer of its 18-decimal fixed point, in
// text).
func coinPrice(f wire.Field) (*CoinPrice, error) {
	b, err := f.Bytes()
	if err != nil {
		return nil, err
	}
	cp := &CoinPrice{Coin: sdk.Coin{Amount: math.ZeroInt()}, Price: math.LegacyZeroDec()}
	err = wire.Each(b, func(g wire.Field) error {
		switch g.Num {
		case 1:
			c, err := coin(g)
			if err != nil {
				return err
			}
			cp.Coin = *c
		case 2:
			b, err := g.Bytes()
			if err != nil {
				return err
			}
			var d math.LegacyDec
			if err := d.Unmarshal(b); err != nil {
				return fmt.Errorf("price: %w", err)
			}
			if d.IsNil() || d.IsNegative() {
				return fmt.Errorf("price %q", b)
			}
			cp.Price = d
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("field %d: %w", f.Num, err)
	}
	return cp, nil
}

// decodePendingRecord reads a LedgerPendingRecord: owner 1, to 2,
// coins_to_burn 3, denom_to_mint 4, attempts 5.
func decodePendingRecord(r *MintRecord, value []byte) error {
	return wire.Each(value, func(f wire.Field) (err error) {
		switch f.Num {
		case 1:
			r.Source, err = f.Text()
		case 2:
			r.To, err = f.Text()
		case 3:
			r.CoinsToBurn, err = coin(f)
		case 4:
			r.DenomToMint, err = f.Text()
		case 5:
			var n uint64
			if n, err = f.Uint(); err == nil {
				if n > 1<<32-1 {
					return fmt.Errorf("attempts %d", n)
				}
				r.Attempts = uint32(n)
			}
		}
		return err
	})
}

// decodeCanceledRecord reads a LedgerCanceledRecord: owner 1,
// cancel_reason 2, to 3, coins_to_burn 4, denom_to_mint 5.
func decodeCanceledRecord(r *MintRecord, value []byte) error {
	r.CancelReason = cancelReason(0)
	return wire.Each(value, func(f wire.Field) (err error) {
		switch f.Num {
		case 1:
			r.Source, err = f.Text()
		case 2:
			var n uint64
			if n, err = f.Uint(); err == nil {
				r.CancelReason = cancelReason(n)
			}
		case 3:
			r.To, err = f.Text()
		case 4:
			r.CoinsToBurn, err = coin(f)
		case 5:
			r.DenomToMint, err = f.Text()
		}
		return err
	})
}

// decodeExecutedRecord reads a LedgerRecord: burned_from 1, minted_to 2,
// burner 3, minter 4 (module accounts, not kept), burned 5, minted 6,
// spread 7, remint_credit_issued 8, remint_credit_accrued 9.
func decodeExecutedRecord(r *MintRecord, value []byte) error {
	return wire.Each(value, func(f wire.Field) (err error) {
		switch f.Num {
		case 1:
			r.BurnedFrom, err = f.Text()
		case 2:
			r.MintedTo, err = f.Text()
		case 3, 4:
			_, err = f.Text()
		case 5:
			r.Burned, err = coinPrice(f)
		case 6:
			r.Minted, err = coinPrice(f)
		case 7:
			r.Spread, err = coin(f)
		case 8:
			r.RemintCreditIssued, err = coinPrice(f)
		case 9:
			r.RemintCreditAccrued, err = coinPrice(f)
		}
		return err
	})
}

// cancelReasons are LedgerCanceledRecord.BMCancelReason's values.
var cancelReasons = []string{
	"unknown", "epsilon (the result is below the smallest unit)", "zero oracle price",
	"insufficient funds in the vault or supply", "invalid denom", "invalid amount",
	"below the minimum mint", "mint failed", "burn failed", "too many attempts",
}

func cancelReason(n uint64) string {
	if n < uint64(len(cancelReasons)) {
		return cancelReasons[n]
	}
	return fmt.Sprintf("reason %d", n)
}
