package fee

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
)

func TestParseGas(t *testing.T) {
	if g, err := ParseGas("auto"); err != nil || !g.Auto {
		t.Fatal(g, err)
	}
	if g, err := ParseGas("250000"); err != nil || g.Auto || g.Limit != 250000 {
		t.Fatal(g, err)
	}
	for _, bad := range []string{"", "0", "-5", "1.5", "abc", "100000001", "99999999999999999999999"} {
		if _, err := ParseGas(bad); errkind.KindOf(err) != errkind.Usage {
			t.Errorf("ParseGas(%q) = %v", bad, err)
		}
	}
}

func TestAdjustAndFee(t *testing.T) {
	adj, err := ParseAdjustment(1.5)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ sim, want uint64 }{{100000, 150000}, {1, 2}, {3, 5}, {0, 0}, {133333, 200000}}
	for _, c := range cases {
		if got := Adjust(c.sim, adj); got != c.want {
			t.Errorf("Adjust(%d, 1.5) = %d, want %d", c.sim, got, c.want)
		}
	}
	for _, bad := range []float64{0, 0.9, 11, -1} {
		if _, err := ParseAdjustment(bad); err == nil {
			t.Errorf("ParseAdjustment(%g) accepted", bad)
		}
	}

	price := sdk.NewDecCoinFromDec("uakt", sdkmath.LegacyMustNewDecFromStr("0.025"))
	for gas, want := range map[uint64]int64{200000: 5000, 1: 1, 39: 1, 40: 1, 41: 2, 0: 0, 150001: 3751} {
		if got := FeeFor(gas, price); got.Denom != "uakt" || got.Amount.Int64() != want {
			t.Errorf("FeeFor(%d, 0.025) = %s, want %d", gas, got, want)
		}
	}
}
