// Package wire reads a protobuf message field by field, for the few
// messages akw decodes without their generated Go types: x/auth/vesting's
// accounts (lightclient/state) and account creations (history), whose
// types cost every command start-up time, and akash.bme.v1's records,
// whose types akw does not link. The rules are protobuf's, as
// google.golang.org/protobuf/encoding/protowire reads them; what each
// field means is left to the caller, but for the one message they all
// embed, the SDK's Coin (Field.Coin).
package wire

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"google.golang.org/protobuf/encoding/protowire"
)

// ErrType is a known field of a wire type its schema does not give it.
var ErrType = errors.New("wrong wire type")

// Field is one field of a message: its number and wire type, and its
// value as a varint or as bytes (length-delimited), by wire type.
type Field struct {
	Num  protowire.Number
	Type protowire.Type

	varint uint64
	bytes  []byte
}

// Each calls f for every field of msg, in order. A field of a fixed or
// group wire type is passed with no value (akw's schemas have none); a
// message cut short, or a malformed tag, is an error (protowire's
// "proto:" errors), and so is any error of f, which stops the walk.
func Each(msg []byte, f func(Field) error) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return protowire.ParseError(n)
		}
		msg = msg[n:]
		fld := Field{Num: num, Type: typ}
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

func (f Field) wrongType() error { return fmt.Errorf("field %d: %w", f.Num, ErrType) }

// Uint is a varint field's value (uint64, int64, bool, enum).
func (f Field) Uint() (uint64, error) {
	if f.Type != protowire.VarintType {
		return 0, f.wrongType()
	}
	return f.varint, nil
}

// Bytes is a length-delimited field's value: bytes, a string, an
// embedded message. It aliases the message walked.
func (f Field) Bytes() ([]byte, error) {
	if f.Type != protowire.BytesType {
		return nil, f.wrongType()
	}
	return f.bytes, nil
}

// Text is a string field's value, which protobuf requires be UTF-8.
func (f Field) Text() (string, error) {
	b, err := f.Bytes()
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("field %d: not UTF-8", f.Num)
	}
	return string(b), nil
}

// Merge appends an embedded message's bytes to those of its earlier
// occurrences: protobuf merges a message field given twice, which is
// decoding the concatenation.
func (f Field) Merge(prev []byte) ([]byte, error) {
	b, err := f.Bytes()
	if err != nil {
		return nil, err
	}
	return append(prev, b...), nil
}

// Coin is an embedded cosmos.base.v1beta1.Coin (denom 1, amount 2 as
// decimal text), decoded as the SDK's decoder does: an amount that is
// not a decimal integer is an error, a missing one is zero. It is not
// validated (denom syntax, sign): what a caller accepts is its own rule,
// the stored state as the chain wrote it, or a message that must be
// valid.
func (f Field) Coin() (sdk.Coin, error) {
	b, err := f.Bytes()
	if err != nil {
		return sdk.Coin{}, err
	}
	var c sdk.Coin
	if err := c.Unmarshal(b); err != nil {
		return sdk.Coin{}, fmt.Errorf("field %d: coin: %w", f.Num, err)
	}
	if c.Amount.IsNil() {
		c.Amount = math.ZeroInt()
	}
	return c, nil
}
