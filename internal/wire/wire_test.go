package wire

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func TestEach(t *testing.T) {
	var msg []byte
	msg = protowire.AppendTag(msg, 1, protowire.VarintType)
	msg = protowire.AppendVarint(msg, 300)
	msg = protowire.AppendTag(msg, 2, protowire.BytesType)
	msg = protowire.AppendString(msg, "akash")
	msg = protowire.AppendTag(msg, 3, protowire.Fixed32Type) // skipped: no value
	msg = protowire.AppendFixed32(msg, 7)
	msg = protowire.AppendTag(msg, 2, protowire.BytesType)
	msg = protowire.AppendBytes(msg, []byte{0xff})

	var got []Field
	if err := Each(msg, func(f Field) error { got = append(got, f); return nil }); err != nil || len(got) != 4 {
		t.Fatalf("%d fields, %v", len(got), err)
	}
	if v, err := got[0].Uint(); v != 300 || err != nil {
		t.Errorf("varint %d, %v", v, err)
	}
	if s, err := got[1].Text(); s != "akash" || err != nil {
		t.Errorf("text %q, %v", s, err)
	}
	if got[2].Num != 3 || got[2].Type != protowire.Fixed32Type {
		t.Errorf("fixed32 field %+v", got[2])
	}
	if _, err := got[3].Text(); err == nil {
		t.Error("text that is not UTF-8 read")
	}
	if m, err := got[3].Merge([]byte("akash")); string(m) != "akash\xff" || err != nil {
		t.Errorf("merged %q, %v", m, err)
	}
	for _, f := range []func() error{
		func() error { _, err := got[0].Bytes(); return err },
		func() error { _, err := got[1].Uint(); return err },
		func() error { _, err := got[2].Text(); return err },
	} {
		if err := f(); !errors.Is(err, ErrType) {
			t.Errorf("a field of another wire type: %v", err)
		}
	}
	// A message cut short anywhere but between fields is refused.
	for _, cut := range []int{1, 2, 4, 6, 12, 16} {
		if err := Each(msg[:cut], func(Field) error { return nil }); err == nil {
			t.Errorf("cut at %d of %d: read", cut, len(msg))
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := Each(msg, func(Field) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("f's error: %v after %d fields", err, n)
	}
}

// FuzzEach: no input crashes Each, and it walks exactly the fields
// protowire's own field reader finds.
func FuzzEach(f *testing.F) {
	f.Add([]byte{0x08, 0xac, 0x02, 0x12, 0x01, 'a'})
	f.Add([]byte{0x0b, 0x0c})
	f.Fuzz(func(t *testing.T, msg []byte) {
		n := 0
		err := Each(msg, func(fl Field) error {
			n++
			if fl.Type == protowire.VarintType {
				if _, err := fl.Bytes(); err == nil {
					t.Fatal("a varint read as bytes")
				}
			}
			return nil
		})
		ref, rest := 0, msg
		for len(rest) > 0 {
			_, _, l := protowire.ConsumeField(rest)
			if l < 0 {
				break
			}
			ref++
			rest = rest[l:]
		}
		if (err == nil) != (len(rest) == 0) || (err == nil && n != ref) {
			t.Fatalf("Each: %d fields, %v; protowire: %d fields, %d bytes left", n, err, ref, len(rest))
		}
	})
}

// Coin decodes as the SDK does: a missing amount is zero, an amount that
// is not an integer and a field that is not a message are errors.
func TestCoin(t *testing.T) {
	coin := func(fields ...[]byte) []byte {
		var b []byte
		for i, f := range fields {
			if f != nil {
				b = protowire.AppendTag(b, protowire.Number(i+1), protowire.BytesType)
				b = protowire.AppendBytes(b, f)
			}
		}
		var msg []byte
		msg = protowire.AppendTag(msg, 3, protowire.BytesType)
		return protowire.AppendBytes(msg, b)
	}
	one := func(t *testing.T, msg []byte) (c struct {
		denom, amount string
	}, err error) {
		t.Helper()
		if werr := Each(msg, func(f Field) error {
			got, err := f.Coin()
			if err != nil {
				return err
			}
			c.denom, c.amount = got.Denom, got.Amount.String()
			return nil
		}); werr != nil {
			return c, werr
		}
		return c, nil
	}
	if c, err := one(t, coin([]byte("uakt"), []byte("1234"))); err != nil || c.denom != "uakt" || c.amount != "1234" {
		t.Errorf("1234uakt: %+v %v", c, err)
	}
	if c, err := one(t, coin([]byte("uakt"))); err != nil || c.amount != "0" {
		t.Errorf("no amount: %+v %v, want 0", c, err)
	}
	if _, err := one(t, coin([]byte("uakt"), []byte("1.5"))); err == nil {
		t.Error("amount 1.5: no error")
	}
	var varint []byte
	varint = protowire.AppendTag(varint, 3, protowire.VarintType)
	varint = protowire.AppendVarint(varint, 7)
	if _, err := one(t, varint); !errors.Is(err, ErrType) {
		t.Errorf("a varint as a coin: %v, want ErrType", err)
	}
}
