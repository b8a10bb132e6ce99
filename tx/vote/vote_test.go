package vote

import (
	"errors"
	"testing"

	sdkmath "cosmossdk.io/math"

	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
)

func TestParseSingle(t *testing.T) {
	for in, want := range map[string]govv1.VoteOption{
		"yes": govv1.OptionYes, "NO": govv1.OptionNo, "abstain": govv1.OptionAbstain,
		"no_with_veto": govv1.OptionNoWithVeto, "nowithveto": govv1.OptionNoWithVeto, "veto": govv1.OptionNoWithVeto,
	} {
		opts, weighted, err := Parse(in)
		if err != nil || weighted || len(opts) != 1 || opts[0].Option != want || opts[0].Weight != "1.000000000000000000" {
			t.Errorf("Parse(%q) = %v %v %v", in, opts, weighted, err)
		}
	}
}

func TestParseWeighted(t *testing.T) {
	opts, weighted, err := Parse("no=0.4, yes=0.6")
	if err != nil || !weighted || len(opts) != 2 {
		t.Fatalf("got %v %v %v", opts, weighted, err)
	}
	// Canonical order: yes before no, whatever the input order.
	if opts[0].Option != govv1.OptionYes || opts[0].Weight != "0.600000000000000000" || opts[1].Option != govv1.OptionNo {
		t.Fatalf("got %v", opts)
	}
	if got := Describe(opts); got != "yes=0.6, no=0.4" {
		t.Fatalf("Describe = %q", got)
	}
	if _, _, err := Parse("yes=0.25,no=0.25,abstain=0.25,no_with_veto=0.25"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Parse("yes=1"); err != nil {
		t.Fatal(err)
	}
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]error{
		"":                  ErrEmpty,
		"maybe":             ErrUnknownOption,
		"yes=0.6,no=0.3":    ErrSum,
		"yes=0.6,no=0.5":    ErrSum,
		"yes=0.6,yes=0.4":   ErrDuplicate,
		"yes=0.6,maybe=0.4": ErrUnknownOption,
		"yes=-0.5,no=1.5":   ErrBadWeight,
		"yes=0,no=1":        ErrBadWeight,
		"yes=1.5":           ErrBadWeight,
		"yes=abc,no=0.5":    ErrBadWeight,
		"yes=0.6,no":        ErrBadWeight,
		"yes=":              ErrBadWeight,
		"yes=0.1234567890123456789,no=0.8765432109876543211": ErrBadWeight, // more than 18 decimals
	} {
		_, _, err := Parse(in)
		if !errors.Is(err, want) {
			t.Errorf("Parse(%q) = %v, want %v", in, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"yes", "no_with_veto", "yes=0.6,no=0.4", "yes=0.6,no=0.3", "yes=1", "yes=0.5,yes=0.5", "yes=-1,no=2", "", "=", ",", "yes=0.333333333333333333,no=0.333333333333333333,abstain=0.333333333333333334"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		opts, weighted, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %T", err)
			}
			return
		}
		// Whatever is accepted is a valid vote for the chain.
		// The chain's own rules (x/gov msg server VoteWeighted): each
		// option valid, none twice, weights summing to exactly 1.
		if weighted {
			sum := sdkmath.LegacyZeroDec()
			seen := map[govv1.VoteOption]bool{}
			for _, o := range opts {
				w, err := sdkmath.LegacyNewDecFromStr(o.Weight)
				if err != nil || !govv1.ValidWeightedVoteOption(*o) || seen[o.Option] {
					t.Fatalf("accepted %q, which the chain refuses: %v", s, opts)
				}
				seen[o.Option] = true
				sum = sum.Add(w)
			}
			if !sum.Equal(sdkmath.LegacyOneDec()) {
				t.Fatalf("accepted %q summing to %s", s, sum)
			}
		} else if len(opts) != 1 || !govv1.ValidVoteOption(opts[0].Option) {
			t.Fatalf("accepted %q as %v", s, opts)
		}
	})
}
