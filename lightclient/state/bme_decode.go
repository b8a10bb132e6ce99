package state

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"google.golang.org/protobuf/encoding/protowire"
)

// The akash.bme.v1 messages, read field by field (field numbers and types
// from chain-sdk's proto/node/akash/bme/v1/types.proto, go/v0.2.2 as node
// v2.0.x uses it and go/v0.2.11 as v2.1.0 does; v0.2.11 added
// LedgerPendingRecord.attempts and cancel reasons 2-9). A field akw does
// not know is skipped, as protobuf decoders do; a known field of the
// wrong wire type, or a message cut short, is an error.

// protoField is one field of a message: its number, and its value as a
// varint or as bytes (length-delimited), by wire type.
type protoField struct {
	num    protowire.Number
	typ    protowire.Type
	varint uint64
	bytes  []byte
}

// eachField calls f for every field of msg in order.
func eachField(msg []byte, f func(protoField) error) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return protowire.ParseError(n)
		}
		msg = msg[n:]
		fld := protoField{num: num, typ: typ}
		switch typ {
		case protowire.VarintType:
			fld.varint, n = protowire.ConsumeVarint(msg)
		case protowire.BytesType:
			fld.bytes, n = protowire.ConsumeBytes(msg)
		default:
			n = protowire.ConsumeFieldValue(num, typ, msg)
		}
		if n < 0 {
			return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
		}
		msg = msg[n:]
		if err := f(fld); err != nil {
			return err
		}
	}
	return nil
}

var errWireType = errors.New("wrong wire type")

func (f protoField) str() (string, error) {
	if f.typ != protowire.BytesType {
		return "", fmt.Errorf("field %d: %w", f.num, errWireType)
	}
	if !utf8.Valid(f.bytes) {
		return "", fmt.Errorf("field %d: not UTF-8", f.num)
	}
	return string(f.bytes), nil
}

func (f protoField) uint() (uint64, error) {
	if f.typ != protowire.VarintType {
		return 0, fmt.Errorf("field %d: %w", f.num, errWireType)
	}
	return f.varint, nil
}

// coin reads a cosmos.base.v1beta1.Coin (denom 1, amount 2 as decimal
// text), which must be a valid coin.
func (f protoField) coin() (*sdk.Coin, error) {
	if f.typ != protowire.BytesType {
		return nil, fmt.Errorf("field %d: %w", f.num, errWireType)
	}
	var c sdk.Coin
	if err := c.Unmarshal(f.bytes); err != nil {
		return nil, fmt.Errorf("field %d: coin: %w", f.num, err)
	}
	if c.Amount.IsNil() {
		c.Amount = math.ZeroInt()
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("field %d: coin: %w", f.num, err)
	}
	return &c, nil
}

// coinPrice reads an akash.bme.v1.CoinPrice: coin 1, price 2 (a LegacyDec
// as gogoproto writes it: the integer of its 18-decimal fixed point, in
// text).
func (f protoField) coinPrice() (*CoinPrice, error) {
	if f.typ != protowire.BytesType {
		return nil, fmt.Errorf("field %d: %w", f.num, errWireType)
	}
	cp := &CoinPrice{Coin: sdk.Coin{Amount: math.ZeroInt()}, Price: math.LegacyZeroDec()}
	err := eachField(f.bytes, func(g protoField) error {
		switch g.num {
		case 1:
			c, err := g.coin()
			if err != nil {
				return err
			}
			cp.Coin = *c
		case 2:
			if g.typ != protowire.BytesType {
				return fmt.Errorf("field 2: %w", errWireType)
			}
			var d math.LegacyDec
			if err := d.Unmarshal(g.bytes); err != nil {
				return fmt.Errorf("price: %w", err)
			}
			if d.IsNil() || d.IsNegative() {
				return fmt.Errorf("price %q", g.bytes)
			}
			cp.Price = d
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("field %d: %w", f.num, err)
	}
	return cp, nil
}

// decodePendingRecord reads a LedgerPendingRecord: owner 1, to 2,
// coins_to_burn 3, denom_to_mint 4, attempts 5.
func decodePendingRecord(r *MintRecord, value []byte) error {
	return eachField(value, func(f protoField) (err error) {
		switch f.num {
		case 1:
			r.Source, err = f.str()
		case 2:
			r.To, err = f.str()
		case 3:
			r.CoinsToBurn, err = f.coin()
		case 4:
			r.DenomToMint, err = f.str()
		case 5:
			var n uint64
			if n, err = f.uint(); err == nil {
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
	return eachField(value, func(f protoField) (err error) {
		switch f.num {
		case 1:
			r.Source, err = f.str()
		case 2:
			var n uint64
			if n, err = f.uint(); err == nil {
				r.CancelReason = cancelReason(n)
			}
		case 3:
			r.To, err = f.str()
		case 4:
			r.CoinsToBurn, err = f.coin()
		case 5:
			r.DenomToMint, err = f.str()
		}
		return err
	})
}

// decodeExecutedRecord reads a LedgerRecord: burned_from 1, minted_to 2,
// burner 3, minter 4 (module accounts, not kept), burned 5, minted 6,
// spread 7, remint_credit_issued 8, remint_credit_accrued 9.
func decodeExecutedRecord(r *MintRecord, value []byte) error {
	return eachField(value, func(f protoField) (err error) {
		switch f.num {
		case 1:
			r.BurnedFrom, err = f.str()
		case 2:
			r.MintedTo, err = f.str()
		case 3, 4:
			_, err = f.str()
		case 5:
			r.Burned, err = f.coinPrice()
		case 6:
			r.Minted, err = f.coinPrice()
		case 7:
			r.Spread, err = f.coin()
		case 8:
			r.RemintCreditIssued, err = f.coinPrice()
		case 9:
			r.RemintCreditAccrued, err = f.coinPrice()
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
