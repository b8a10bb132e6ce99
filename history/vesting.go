package history

import (
	"fmt"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/internal/wire"
	"github.com/akash-wallet/akw/lightclient/state"
)

// The three messages of x/auth/vesting that create an account move coins:
// the creator sends the amount to the new account, where it is locked by
// the schedule. akw does not link x/auth/vesting/types (it costs every
// command start-up time: lightclient/state/vesting.go), so the codec's
// registry does not know them; they are read here from their protobuf
// encoding (cosmos/vesting/v1beta1/tx.proto, cosmos-sdk v0.53), whose
// field numbers the chain's wire format fixes.
const (
	msgCreateVestingURL   = "/cosmos.vesting.v1beta1.MsgCreateVestingAccount"
	msgCreatePermanentURL = "/cosmos.vesting.v1beta1.MsgCreatePermanentLockedAccount"
	msgCreatePeriodicURL  = "/cosmos.vesting.v1beta1.MsgCreatePeriodicVestingAccount"
)

// Vesting kinds, as Vesting.Kind names them: the words an account's
// proven record uses (akw query account).
const (
	VestingContinuous = state.VestingContinuous
	VestingDelayed    = state.VestingDelayed
	VestingPeriodic   = state.VestingPeriodic
	VestingPermanent  = state.VestingPermanent
)

// Vesting is the schedule a vesting-account creation put the coins under.
type Vesting struct {
	Kind string `json:"kind"` // continuous, delayed, periodic or permanent
	// Start and End are unix seconds (0 where the kind has none: a
	// permanently locked account never vests; a continuous one starts
	// at the block's time, which the message does not hold).
	Start   int64 `json:"start,omitempty"`
	End     int64 `json:"end,omitempty"`
	Periods int   `json:"periods,omitempty"`
}

// vestingMsg is one of the three messages, decoded.
type vestingMsg struct {
	from, to string
	amount   sdk.Coins
	schedule Vesting
}

// decodeVestingMsg reads a vesting-account creation; false when typeURL is
// none of the three, an error when the bytes are not one. Unknown fields
// are skipped, as the SDK's decoder does. The amount of a periodic one is
// the sum of its periods, as the SDK's message server sends it.
func decodeVestingMsg(typeURL string, bz []byte) (*vestingMsg, bool, error) {
	m := &vestingMsg{}
	switch typeURL {
	case msgCreateVestingURL:
		m.schedule.Kind = VestingContinuous
	case msgCreatePermanentURL:
		m.schedule.Kind = VestingPermanent
	case msgCreatePeriodicURL:
		m.schedule.Kind = VestingPeriodic
	default:
		return nil, false, nil
	}
	var delayed bool
	err := wire.Each(bz, func(f wire.Field) error {
		switch {
		case f.Num == 1 || f.Num == 2:
			s, err := f.Text()
			if f.Num == 1 {
				m.from = s
			} else {
				m.to = s
			}
			return err
		case f.Num == 3 && typeURL != msgCreatePeriodicURL:
			return appendWireCoin(&m.amount, f)
		case f.Num == 3: // start_time
			v, err := f.Uint()
			m.schedule.Start = int64(v)
			return err
		case f.Num == 4 && typeURL == msgCreateVestingURL: // end_time
			v, err := f.Uint()
			m.schedule.End = int64(v)
			return err
		case f.Num == 5 && typeURL == msgCreateVestingURL:
			v, err := f.Uint()
			delayed = v != 0
			return err
		case f.Num == 4 && typeURL == msgCreatePeriodicURL: // a Period
			b, err := f.Bytes()
			if err != nil {
				return fmt.Errorf("vesting period: %w", err)
			}
			m.schedule.Periods++
			return wire.Each(b, func(f wire.Field) error {
				switch f.Num {
				case 1: // length, seconds
					v, err := f.Uint()
					m.schedule.End += int64(v)
					return err
				case 2:
					return appendWireCoin(&m.amount, f)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", typeURL[1:], err)
	}
	if delayed {
		m.schedule.Kind = VestingDelayed
	}
	if m.schedule.Kind == VestingPeriodic {
		m.schedule.End += m.schedule.Start // the periods' lengths add up from the start
	}
	// A coin that is not valid is refused (what the chain ran had valid
	// coins); then Coins.Add sorts and merges (a periodic amount is a sum).
	for _, c := range m.amount {
		if err := c.Validate(); err != nil {
			return nil, true, fmt.Errorf("%s: amount: %w", typeURL[1:], err)
		}
	}
	sum := sdk.NewCoins()
	for _, c := range m.amount {
		sum = sum.Add(c)
	}
	m.amount = sum
	return m, true, nil
}

// appendWireCoin decodes one element of a repeated Coin field onto dst;
// the amounts are validated once all are read.
func appendWireCoin(dst *sdk.Coins, f wire.Field) error {
	c, err := f.Coin()
	if err != nil {
		return err
	}
	*dst = append(*dst, c)
	return nil
}

// moves are a vesting-account creation's effects on addr: out of the
// creator's balance, into the new account's (locked as Detail says).
func (v *vestingMsg) moves(addr string) []Movement {
	var out []Movement
	if v.from == addr {
		out = append(out, Movement{Kind: KindSend, Direction: Out, Coins: v.amount, Counterparty: v.to,
			Detail: "creates a " + v.schedule.words(), Vesting: &v.schedule, Verified: true})
	}
	if v.to == addr {
		out = append(out, Movement{Kind: KindReceive, Direction: In, Coins: v.amount, Counterparty: v.from,
			Detail: "into a new " + v.schedule.words(), Vesting: &v.schedule, Verified: true})
	}
	return out
}

func (v *vestingMsg) summary(c func(sdk.Coins) string) string {
	return fmt.Sprintf("create a %s for %s with %s from %s", v.schedule.words(), v.to, c(v.amount), v.from)
}

// words say what the schedule does with the coins.
func (s Vesting) words() string {
	at := func(t int64) string { return time.Unix(t, 0).UTC().Format("2006-01-02 15:04 UTC") }
	switch s.Kind {
	case VestingPermanent:
		return "permanently locked account (locked for good; it can still delegate them)"
	case VestingDelayed:
		return "delayed vesting account (locked until " + at(s.End) + ")"
	case VestingPeriodic:
		return fmt.Sprintf("periodic vesting account (%d periods from %s to %s; locked until each ends)", s.Periods, at(s.Start), at(s.End))
	}
	return "continuous vesting account (vesting from its creation until " + at(s.End) + ")"
}
