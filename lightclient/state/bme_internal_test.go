package state

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"google.golang.org/protobuf/encoding/protowire"
)

// The fixtures are encoded here from the definitions in the sources (the
// node's x/bme/keeper/codec.go for keys, chain-sdk's akash/bme/v1
// types.proto for values), field by field, independently of the decoder.
// No chain with x/bme runs here: the decoder is untested against one.

func pbString(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func pbVarint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func pbMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

// pbCoin is cosmos.base.v1beta1.Coin: denom 1, amount 2.
func pbCoin(denom, amount string) []byte {
	return pbString(pbString(nil, 1, denom), 2, amount)
}

// pbCoinPrice is akash.bme.v1.CoinPrice: coin 1, price 2 (LegacyDec's
// gogoproto bytes: the 18-decimal fixed-point integer in text).
func pbCoinPrice(denom, amount, price string) []byte {
	d := math.LegacyMustNewDecFromStr(price)
	bz, err := d.Marshal()
	if err != nil {
		panic(err)
	}
	return pbMessage(pbMessage(nil, 1, pbCoin(denom, amount)), 2, bz)
}

func testAddr(b byte) sdk.AccAddress { return sdk.AccAddress(bytes.Repeat([]byte{b}, 20)) }

// heightSeq is the end of a record's key after the source address.
func heightSeq(h, s uint64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, h), s)
}

func TestBMERecordKeyLayout(t *testing.T) {
	addr := testAddr(7)
	// codec.go Encode: len(denom) denom len(toDenom) toDenom
	// EncodeWithLengthPrefix(addr) BE-u64 height BE-u64 sequence.
	want := []byte{0x03, 0x01, 4, 'u', 'a', 'k', 't', 4, 'u', 'a', 'c', 't', 20}
	want = append(want, addr...)
	if got := bmeRecordPrefix(bmePendingPrefix, "uakt", "uact", addr); !bytes.Equal(got, want) {
		t.Fatalf("prefix %X, want %X", got, want)
	}
	if !bytes.Equal(bmeExecutedPrefix, []byte{0x03, 0x02}) || !bytes.Equal(bmeCanceledPrefix, []byte{0x03, 0x04}) {
		t.Fatal("table prefixes moved")
	}
}

func TestDecodeMintRecords(t *testing.T) {
	addr := testAddr(7)
	other := testAddr(8)
	akt2act := BurnMintRoutes[0]

	t.Run("pending", func(t *testing.T) {
		v := pbString(nil, 1, addr.String())
		v = pbString(v, 2, addr.String())
		v = pbMessage(v, 3, pbCoin("uakt", "2500000"))
		v = pbString(v, 4, "uact")
		v = pbVarint(v, 5, 3)
		v = pbString(v, 99, "a field from a later version") // skipped
		r, err := decodeMintRecord(MintPending, akt2act, addr, heightSeq(1234, 5), v)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != MintPending || r.Height != 1234 || r.Sequence != 5 || r.Source != addr.String() || r.To != addr.String() ||
			r.CoinsToBurn.String() != "2500000uakt" || r.DenomToMint != "uact" || r.Attempts != 3 || r.Denom != "uakt" || r.ToDenom != "uact" {
			t.Fatalf("%+v", r)
		}
	})

	t.Run("executed AKT to ACT", func(t *testing.T) {
		v := pbString(nil, 1, addr.String())
		v = pbString(v, 2, addr.String())
		v = pbString(v, 3, other.String())
		v = pbString(v, 4, other.String())
		v = pbMessage(v, 6, pbCoinPrice("uact", "2850000", "1.0"))
		v = pbMessage(v, 7, pbCoin("uact", "14250"))
		v = pbMessage(v, 9, pbCoinPrice("uakt", "2500000", "1.14"))
		r, err := decodeMintRecord(MintExecuted, akt2act, addr, heightSeq(1240, 5), v)
		if err != nil {
			t.Fatal(err)
		}
		if r.Burned != nil || r.Minted.Coin.String() != "2850000uact" || !r.Minted.Price.Equal(math.LegacyOneDec()) ||
			r.Spread.String() != "14250uact" || r.RemintCreditAccrued.Coin.String() != "2500000uakt" ||
			r.RemintCreditAccrued.Price.String() != "1.140000000000000000" || r.MintedTo != addr.String() || r.BurnedFrom != addr.String() {
			t.Fatalf("%+v", r)
		}
	})

	t.Run("canceled", func(t *testing.T) {
		v := pbString(nil, 1, addr.String())
		v = pbVarint(v, 2, 1)
		v = pbString(v, 3, addr.String())
		v = pbMessage(v, 4, pbCoin("uakt", "1"))
		v = pbString(v, 5, "uact")
		r, err := decodeMintRecord(MintCanceled, akt2act, addr, heightSeq(9, 0), v)
		if err != nil {
			t.Fatal(err)
		}
		if r.CancelReason != "epsilon (the result is below the smallest unit)" || r.CoinsToBurn.String() != "1uakt" {
			t.Fatalf("%+v", r)
		}
		r, err = decodeMintRecord(MintCanceled, akt2act, addr, heightSeq(9, 0), pbVarint(nil, 2, 42))
		if err != nil || r.CancelReason != "reason 42" {
			t.Fatalf("%+v %v", r, err)
		}
	})

	bad := map[string]struct {
		status MintStatus
		rest   []byte
		value  []byte
	}{
		"key too short":            {MintPending, heightSeq(1, 1)[:15], nil},
		"key too long":             {MintPending, append(heightSeq(1, 1), 0), nil},
		"negative height":          {MintPending, heightSeq(1<<63, 1), nil},
		"owner is another address": {MintPending, heightSeq(1, 1), pbString(nil, 1, other.String())},
		"burns another denom":      {MintPending, heightSeq(1, 1), pbMessage(nil, 3, pbCoin("uact", "5"))},
		"string as varint":         {MintPending, heightSeq(1, 1), pbVarint(nil, 1, 5)},
		"truncated":                {MintPending, heightSeq(1, 1), pbString(nil, 1, addr.String())[:10]},
		"invalid coin":             {MintPending, heightSeq(1, 1), pbMessage(nil, 3, pbCoin("uakt", "-5"))},
		"coin not a number":        {MintPending, heightSeq(1, 1), pbMessage(nil, 3, pbCoin("uakt", "five"))},
		"negative price":           {MintExecuted, heightSeq(1, 1), pbMessage(nil, 6, pbCoinPrice("uact", "1", "-1"))},
		"executed for another":     {MintExecuted, heightSeq(1, 1), pbString(nil, 1, other.String())},
		"attempts beyond uint32":   {MintPending, heightSeq(1, 1), pbVarint(nil, 5, 1<<32)},
		"not UTF-8":                {MintPending, heightSeq(1, 1), pbString(nil, 4, "\xff")},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := decodeMintRecord(c.status, akt2act, addr, c.rest, c.value)
			var de *ErrDecode
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want ErrDecode", err)
			}
		})
	}
}

// FuzzDecodeMintRecord: no value a node could prove makes the decoder
// panic, and what it accepts is about the address and route its key names.
func FuzzDecodeMintRecord(f *testing.F) {
	addr := testAddr(7)
	f.Add(uint8(0), heightSeq(1, 2), pbMessage(pbString(nil, 1, addr.String()), 3, pbCoin("uakt", "5")))
	f.Add(uint8(1), heightSeq(1, 2), pbMessage(nil, 9, pbCoinPrice("uakt", "2500000", "1.14")))
	f.Add(uint8(2), heightSeq(1, 2), pbVarint(nil, 2, 7))
	f.Add(uint8(1), heightSeq(1, 2), []byte{0x2a, 0x05, 0x0a, 0x03, 0x0a, 0x01, 0xff})
	statuses := []MintStatus{MintPending, MintExecuted, MintCanceled}
	f.Fuzz(func(t *testing.T, s uint8, rest, value []byte) {
		status := statuses[int(s)%len(statuses)]
		r, err := decodeMintRecord(status, BurnMintRoutes[0], addr, rest, value)
		if err != nil {
			return
		}
		if r.Source != addr.String() || r.Denom != "uakt" || r.Height < 0 || r.Sequence < 0 {
			t.Fatalf("%+v", r)
		}
		if r.CoinsToBurn != nil && (r.CoinsToBurn.Denom != "uakt" || r.CoinsToBurn.Validate() != nil) {
			t.Fatalf("%+v", r.CoinsToBurn)
		}
	})
}
