package history

import (
	"errors"
	"fmt"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"google.golang.org/protobuf/encoding/protowire"

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

var errVestingWire = errors.New("wrong wire type")

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
	err := walkWire(bz, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch {
		case num == 1 || num == 2:
			if typ != protowire.BytesType {
				return fmt.Errorf("field %d: %w", num, errVestingWire)
			}
			if num == 1 {
				m.from = string(b)
			} else {
				m.to = string(b)
			}
		case num == 3 && typeURL != msgCreatePeriodicURL:
			return appendWireCoin(&m.amount, typ, b)
		case num == 3: // start_time
			if typ != protowire.VarintType {
				return fmt.Errorf("start time: %w", errVestingWire)
			}
			m.schedule.Start = int64(v)
		case num == 4 && typeURL == msgCreateVestingURL: // end_time
			if typ != protowire.VarintType {
				return fmt.Errorf("end time: %w", errVestingWire)
			}
			m.schedule.End = int64(v)
		case num == 5 && typeURL == msgCreateVestingURL:
			if typ != protowire.VarintType {
				return fmt.Errorf("delayed: %w", errVestingWire)
			}
			delayed = v != 0
		case num == 4 && typeURL == msgCreatePeriodicURL: // a Period
			if typ != protowire.BytesType {
				return fmt.Errorf("vesting period: %w", errVestingWire)
			}
			m.schedule.Periods++
			return walkWire(b, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
				switch num {
				case 1: // length, seconds
					if typ != protowire.VarintType {
						return fmt.Errorf("period length: %w", errVestingWire)
					}
					m.schedule.End += int64(v)
				case 2:
					return appendWireCoin(&m.amount, typ, b)
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

// walkWire calls f with each field of a protobuf message: its number,
// wire type, and its value (varint) or bytes (length-delimited).
func walkWire(bz []byte, f func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error) error {
	for len(bz) > 0 {
		num, typ, n := protowire.ConsumeTag(bz)
		if n < 0 {
			return protowire.ParseError(n)
		}
		bz = bz[n:]
		var v uint64
		var b []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(bz)
		case protowire.BytesType:
			b, n = protowire.ConsumeBytes(bz)
		default:
			n = protowire.ConsumeFieldValue(num, typ, bz)
		}
		if n < 0 {
			return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
		}
		bz = bz[n:]
		if err := f(num, typ, v, b); err != nil {
			return err
		}
	}
	return nil
}

func appendWireCoin(dst *sdk.Coins, typ protowire.Type, b []byte) error {
	if typ != protowire.BytesType {
		return fmt.Errorf("coin: %w", errVestingWire)
	}
	var c sdk.Coin
	if err := c.Unmarshal(b); err != nil {
		return fmt.Errorf("coin: %w", err)
	}
	if c.Amount.IsNil() {
		return errors.New("coin: no amount")
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
