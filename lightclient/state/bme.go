package state

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"golang.org/x/sync/errgroup"
)

// Akash's burn-mint module (x/bme, since node v2.0.0) turns AKT into ACT
// and back. A request (MsgBurnMint) moves the coins to burn into the
// module and leaves a pending record; the module's end-blocker executes
// it later — or cancels it and refunds the coins — so a mint transaction
// with code 0 does not mean the ACT is there yet. The records are the
// answer to "where is my ACT", proven here from the bme store.
//
// Layout, from the node's sources (github.com/akash-network/node,
// x/bme/keeper/key.go and codec.go, the same from v2.0.0 to v2.1.0-rc12):
//
//	0x03 0x01 | key -> LedgerPendingRecord   (pending)
//	0x03 0x02 | key -> LedgerRecord          (executed)
//	0x03 0x04 | key -> LedgerCanceledRecord  (canceled, coins refunded)
//	key = lp(burned denom) lp(denom to mint) lp(source address)
//	      BE-u64 height BE-u64 sequence
//
// and the values are akash.bme.v1 protobuf messages (github.com/akash-
// network/chain-sdk, proto/node/akash/bme/v1/types.proto; the node's
// modules are not Go modules akw can import, so bme_decode.go reads
// them field by field). The key starts with the route and the source, so
// an address's records of one route are one prefix, and a prefix walk
// proves the list complete. The devnet has no x/bme (its bme store is a
// stand-in): these decoders are tested against records encoded from the
// sources' definitions, not against a chain's.

const storeBME = "bme"

var (
	bmePendingPrefix  = []byte{0x03, 0x01}
	bmeExecutedPrefix = []byte{0x03, 0x02}
	bmeCanceledPrefix = []byte{0x03, 0x04}
)

// BurnMintRoutes are the conversions x/bme accepts (RequestBurnMint
// refuses any other): AKT to ACT, and ACT back to AKT.
var BurnMintRoutes = [][2]string{{"uakt", "uact"}, {"uact", "uakt"}}

// NativeDenoms are the denoms an address on a chain whose token is base
// probably holds: base and the tokens x/bme mints from it (on Akash,
// uakt and the ACT minted from it, uact, both with metadata in the
// bank). The balance walk proves them in its first round (denomHints).
func NativeDenoms(base string) []string {
	out := []string{base}
	for _, r := range BurnMintRoutes {
		if r[0] == base {
			out = append(out, r[1])
		}
	}
	return out
}

// MintStatus is where a burn-mint request stands.
type MintStatus string

const (
	MintPending  MintStatus = "pending"  // requested; coins held by the module, nothing minted yet
	MintExecuted MintStatus = "executed" // burned and minted; the minted coins were sent
	MintCanceled MintStatus = "canceled" // refused by the end-blocker; coins refunded
)

// CoinPrice is a coin with the oracle price it was burned or minted at.
type CoinPrice struct {
	Coin  sdk.Coin       `json:"coin"`
	Price math.LegacyDec `json:"price"`
}

// MintRecord is one burn-mint request of an address, in any status.
type MintRecord struct {
	Status   MintStatus `json:"status"`
	Denom    string     `json:"denom"`    // the denom burned
	ToDenom  string     `json:"to_denom"` // the denom minted
	Source   string     `json:"source"`   // whose coins are burned
	Height   int64      `json:"height"`   // block of the request
	Sequence int64      `json:"sequence"` // order within the module's ledger

	// Pending and canceled records.
	To           string    `json:"to,omitempty"` // who receives the minted coins
	CoinsToBurn  *sdk.Coin `json:"coins_to_burn,omitempty"`
	DenomToMint  string    `json:"denom_to_mint,omitempty"`
	Attempts     uint32    `json:"attempts,omitempty"`      // pending: failed retriable tries
	CancelReason string    `json:"cancel_reason,omitempty"` // canceled: why

	// Executed records. An AKT-to-ACT mint records the AKT it burned as
	// RemintCreditAccrued (Burned is then nil): the module keeps it as
	// credit to mint AKT back later.
	BurnedFrom          string     `json:"burned_from,omitempty"`
	MintedTo            string     `json:"minted_to,omitempty"`
	Burned              *CoinPrice `json:"burned,omitempty"`
	Minted              *CoinPrice `json:"minted,omitempty"`
	Spread              *sdk.Coin  `json:"spread,omitempty"`
	RemintCreditIssued  *CoinPrice `json:"remint_credit_issued,omitempty"`
	RemintCreditAccrued *CoinPrice `json:"remint_credit_accrued,omitempty"`
}

// MintRecords is an address's burn-mint records, proven complete: every
// pending, executed and canceled record whose source is the address, on
// every route, in key order (route, then height and sequence).
type MintRecords struct {
	Proven
	Address string       `json:"address"`
	Records []MintRecord `json:"records"`
}

// MintRecords proves addr's x/bme records at the view's height. On a
// chain without x/bme at that height (before Akash v2.0.0) it is
// ErrStoreAbsent; on a chain whose bme store holds no records, an empty
// list, proven.
func (v *View) MintRecords(ctx context.Context, addr sdk.AccAddress) (out *MintRecords, err error) {
	defer guard(&out, &err, "burn-mint records of "+addr.String())
	type table struct {
		prefix []byte
		status MintStatus
	}
	tables := []table{{bmePendingPrefix, MintPending}, {bmeExecutedPrefix, MintExecuted}, {bmeCanceledPrefix, MintCanceled}}
	lists := make([][]MintRecord, len(tables)*len(BurnMintRoutes))
	g, gctx := errgroup.WithContext(ctx)
	for i, t := range tables {
		for j, route := range BurnMintRoutes {
			prefix := bmeRecordPrefix(t.prefix, route[0], route[1], addr)
			goGuarded(g, "burn-mint records", func() error {
				entries, err := v.walkPrefix(gctx, storeBME, prefix, nil, nil)
				if err != nil {
					return err
				}
				for _, e := range entries {
					r, err := decodeMintRecord(t.status, route, addr, e.Key[len(prefix):], e.Value)
					if err != nil {
						return err
					}
					lists[i*len(BurnMintRoutes)+j] = append(lists[i*len(BurnMintRoutes)+j], r)
				}
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out = &MintRecords{Proven: v.proven(), Address: addr.String(), Records: []MintRecord{}}
	for _, l := range lists {
		out.Records = append(out.Records, l...)
	}
	return out, nil
}

// bmeRecordPrefix is table | lp(denom) lp(toDenom) lp(addr): the records
// of one route whose source is addr.
func bmeRecordPrefix(table []byte, denom, toDenom string, addr sdk.AccAddress) []byte {
	p := append([]byte(nil), table...)
	p = append(p, lp([]byte(denom))...)
	p = append(p, lp([]byte(toDenom))...)
	return append(p, lp(addr)...)
}

// decodeMintRecord reads one proven record: rest is its key after the
// walked prefix (height and sequence), value its protobuf message.
func decodeMintRecord(status MintStatus, route [2]string, addr sdk.AccAddress, rest, value []byte) (MintRecord, error) {
	what := fmt.Sprintf("%s burn-mint record of %s", status, addr)
	if len(rest) != 16 {
		return MintRecord{}, &ErrDecode{What: what, Err: fmt.Errorf("key ends in %d bytes after the address, want 16 (height, sequence)", len(rest))}
	}
	r := MintRecord{
		Status: status, Denom: route[0], ToDenom: route[1], Source: addr.String(),
		Height:   int64(binary.BigEndian.Uint64(rest[:8])),
		Sequence: int64(binary.BigEndian.Uint64(rest[8:])),
	}
	if r.Height < 0 || r.Sequence < 0 {
		return MintRecord{}, &ErrDecode{What: what, Err: fmt.Errorf("height %d, sequence %d", r.Height, r.Sequence)}
	}
	var err error
	switch status {
	case MintPending:
		err = decodePendingRecord(&r, value)
	case MintExecuted:
		err = decodeExecutedRecord(&r, value)
	case MintCanceled:
		err = decodeCanceledRecord(&r, value)
	}
	if err != nil {
		return MintRecord{}, &ErrDecode{What: what, Err: err}
	}
	// The record must be about what its key says.
	owner := r.Source
	if status == MintExecuted {
		owner = r.BurnedFrom
	}
	if status != MintExecuted && r.CoinsToBurn != nil && r.CoinsToBurn.Denom != r.Denom {
		return MintRecord{}, &ErrDecode{What: what, Err: fmt.Errorf("burns %s, its key says %s", r.CoinsToBurn.Denom, r.Denom)}
	}
	if owner != "" && owner != addr.String() && !bytes.Equal(mustAcc(owner), addr) {
		return MintRecord{}, &ErrDecode{What: what, Err: fmt.Errorf("belongs to %s, its key says %s", owner, addr)}
	}
	return r, nil
}

// mustAcc is the bytes of a bech32 account address, nil if it is none.
func mustAcc(s string) []byte {
	a, err := sdk.AccAddressFromBech32(s)
	if err != nil {
		return nil
	}
	return a
}
