package state

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"cosmossdk.io/math"
	cmttypes "github.com/cometbft/cometbft/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"golang.org/x/sync/errgroup"
)

// Validator is a validator record with what a delegator chooses by.
type Validator struct {
	OperatorAddress  string         `json:"operator_address"`
	ConsensusAddress string         `json:"consensus_address,omitempty"`
	Moniker          string         `json:"moniker"`
	Website          string         `json:"website,omitempty"`
	Details          string         `json:"details,omitempty"`
	Status           string         `json:"status"` // BOND_STATUS_BONDED, _UNBONDING, _UNBONDED
	Jailed           bool           `json:"jailed"`
	Tokens           math.Int       `json:"tokens"`
	DelegatorShares  math.LegacyDec `json:"delegator_shares"`
	CommissionRate   math.LegacyDec `json:"commission_rate"`
	MaxRate          math.LegacyDec `json:"commission_max_rate"`
	MaxChangeRate    math.LegacyDec `json:"commission_max_change_rate"`
	// VotingPower is the CometBFT voting power in the verified validator
	// set of header Height+1; 0 for a validator outside that set.
	VotingPower int64 `json:"voting_power"`

	record stakingtypes.Validator
}

// ValidatorAnswer is one proven validator.
type ValidatorAnswer struct {
	Proven
	Validator Validator `json:"validator"`
}

// ValidatorSet is the bonded validator set: the CometBFT validator set the
// light client verified for header Height+1, each member resolved to its
// staking record through the proven consensus-address index.
type ValidatorSet struct {
	Proven
	TotalVotingPower int64       `json:"total_voting_power"`
	Validators       []Validator `json:"validators"`
}

// Delegation is one proven delegation with its current token value.
type Delegation struct {
	DelegatorAddress string         `json:"delegator_address"`
	ValidatorAddress string         `json:"validator_address"`
	Moniker          string         `json:"moniker"`
	Shares           math.LegacyDec `json:"shares"`
	// Balance is shares converted to tokens with the validator's proven
	// exchange rate, truncated, as x/staking reports it.
	Balance sdk.Coin `json:"balance"`

	shares    math.LegacyDec
	validator stakingtypes.Validator
}

// Delegations are all delegations of a delegator, proven complete.
type Delegations struct {
	Proven
	Delegator   string       `json:"delegator_address"`
	Delegations []Delegation `json:"delegations"`
	Total       sdk.Coin     `json:"total"`
}

// Unbondings are all unbonding delegations of a delegator, proven complete.
type Unbondings struct {
	Proven
	Delegator  string                             `json:"delegator_address"`
	Unbondings []stakingtypes.UnbondingDelegation `json:"unbonding_responses"`
}

// Redelegations are all redelegations of a delegator, proven complete.
type Redelegations struct {
	Proven
	Delegator     string                      `json:"delegator_address"`
	Redelegations []stakingtypes.Redelegation `json:"redelegations"`
}

func (v *View) decodeValidator(value []byte) (stakingtypes.Validator, error) {
	var val stakingtypes.Validator
	if err := v.q.cdc.Unmarshal(value, &val); err != nil {
		return val, &ErrDecode{What: "validator", Err: err}
	}
	return val, nil
}

func toValidator(r stakingtypes.Validator) Validator {
	out := Validator{
		OperatorAddress: r.OperatorAddress,
		Moniker:         r.Description.Moniker,
		Website:         r.Description.Website,
		Details:         r.Description.Details,
		Status:          r.Status.String(),
		Jailed:          r.Jailed,
		Tokens:          r.Tokens,
		DelegatorShares: r.DelegatorShares,
		CommissionRate:  r.Commission.Rate,
		MaxRate:         r.Commission.MaxRate,
		MaxChangeRate:   r.Commission.MaxChangeRate,
		record:          r,
	}
	if cons, err := r.GetConsAddr(); err == nil {
		out.ConsensusAddress = sdk.ConsAddress(cons).String()
	}
	return out
}

// stakingParams proves the staking module's parameters (for the bond denom).
func (v *View) stakingParams(ctx context.Context) (stakingtypes.Params, error) {
	var params stakingtypes.Params
	p, err := v.get(ctx, storeStaking, stakingParamsKey)
	if err != nil {
		return params, err
	}
	if !p.Exists {
		return params, &ErrInconsistent{Reason: "staking params are absent"}
	}
	if err := v.q.cdc.Unmarshal(p.Value, &params); err != nil {
		return params, &ErrDecode{What: "staking params", Err: err}
	}
	return params, nil
}

// Validator proves one validator's record.
func (v *View) Validator(ctx context.Context, val sdk.ValAddress) (out *ValidatorAnswer, err error) {
	defer guard(&out, &err, "validator "+val.String())
	p, err := v.get(ctx, storeStaking, validatorKey(val))
	if err != nil {
		return nil, err
	}
	if !p.Exists {
		return nil, &ErrNotFound{What: "validator " + val.String(), Height: v.height}
	}
	rec, err := v.decodeValidator(p.Value)
	if err != nil {
		return nil, err
	}
	if !sameAddr(rec.OperatorAddress, val) {
		return nil, &ErrInconsistent{Reason: "validator record under " + val.String() + " is for " + rec.OperatorAddress}
	}
	set, err := verifiedSet(v.Header())
	if err != nil {
		return nil, err
	}
	answer := toValidator(rec)
	if cons, err := rec.GetConsAddr(); err == nil {
		if _, cv := set.GetByAddress(cons); cv != nil {
			answer.VotingPower = cv.VotingPower
		}
	}
	return &ValidatorAnswer{Proven: v.proven(), Validator: answer}, nil
}

// verifiedSet is the validator set of the verified header lb, hashed
// again and compared with the header's ValidatorsHash: the set travels
// beside the signed header, and only that hash ties it to what the
// validators signed. Validator and Validators take voting power from
// here, so neither can show a power the header does not commit.
func verifiedSet(lb *cmttypes.LightBlock) (*cmttypes.ValidatorSet, error) {
	if lb == nil || lb.SignedHeader == nil || lb.Header == nil || lb.ValidatorSet == nil {
		return nil, &ErrInconsistent{Reason: "the verified light block carries no validator set"}
	}
	if got := lb.ValidatorSet.Hash(); !bytes.Equal(got, lb.ValidatorsHash) {
		return nil, &ErrInconsistent{Reason: fmt.Sprintf("the light block's validator set hashes to %X, its header %d commits %X", got, lb.Height, lb.ValidatorsHash)}
	}
	return lb.ValidatorSet, nil
}

// sameAddr reports whether a bech32 address in a record is the address
// in its key, whatever the bech32 prefix.
func sameAddr(bech string, b []byte) bool {
	_, got, err := bech32Decode(bech)
	return err == nil && bytes.Equal(got, b)
}

func bech32Decode(s string) (string, []byte, error) { return bech32.DecodeAndConvert(s) }

// Validators proves the bonded validator set. The set itself comes from
// the light client (the validator set whose hash is in the verified header
// Height+1); the staking state maps each consensus address to its operator
// (0x22 index) and record (0x21). Two rounds of parallel proofs.
func (v *View) Validators(ctx context.Context) (out *ValidatorSet, err error) {
	defer guard(&out, &err, "validator set")
	lb, err := v.header(ctx)
	if err != nil {
		return nil, err
	}
	set, err := verifiedSet(lb)
	if err != nil {
		return nil, err
	}
	consKeys := make([][]byte, len(set.Validators))
	for i, cv := range set.Validators {
		consKeys[i] = validatorByConsKey(cv.Address)
	}
	idx, err := v.getMany(ctx, storeStaking, consKeys)
	if err != nil {
		return nil, err
	}
	valKeys := make([][]byte, len(idx))
	for i, p := range idx {
		if !p.Exists {
			return nil, &ErrInconsistent{Reason: "no staking validator for consensus address " + sdk.ConsAddress(set.Validators[i].Address).String()}
		}
		valKeys[i] = validatorKey(p.Value)
	}
	recs, err := v.getMany(ctx, storeStaking, valKeys)
	if err != nil {
		return nil, err
	}
	out = &ValidatorSet{Proven: v.proven(), TotalVotingPower: set.TotalVotingPower()}
	for i, p := range recs {
		if !p.Exists {
			return nil, &ErrInconsistent{Reason: "index points to missing validator " + sdk.ValAddress(idx[i].Value).String()}
		}
		rec, err := v.decodeValidator(p.Value)
		if err != nil {
			return nil, err
		}
		cons, err := rec.GetConsAddr()
		if err != nil || !bytes.Equal(cons, set.Validators[i].Address) {
			return nil, &ErrInconsistent{Reason: "validator " + rec.OperatorAddress + " does not hold the consensus key the index names"}
		}
		val := toValidator(rec)
		val.VotingPower = set.Validators[i].VotingPower
		out.Validators = append(out.Validators, val)
	}
	sort.SliceStable(out.Validators, func(i, j int) bool { return out.Validators[i].VotingPower > out.Validators[j].VotingPower })
	return out, nil
}

// validators proves the records of several operators concurrently.
func (v *View) validators(ctx context.Context, ops [][]byte) (map[string]stakingtypes.Validator, error) {
	keys := make([][]byte, len(ops))
	for i, op := range ops {
		keys[i] = validatorKey(op)
	}
	ps, err := v.getMany(ctx, storeStaking, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string]stakingtypes.Validator, len(ops))
	for i, p := range ps {
		if !p.Exists {
			return nil, &ErrInconsistent{Reason: "no record for validator " + sdk.ValAddress(ops[i]).String()}
		}
		rec, err := v.decodeValidator(p.Value)
		if err != nil {
			return nil, err
		}
		out[string(ops[i])] = rec
	}
	return out, nil
}

// Delegations proves every delegation of del, each valued with its
// validator's proven exchange rate.
func (v *View) Delegations(ctx context.Context, del sdk.AccAddress) (out *Delegations, err error) {
	defer guard(&out, &err, "delegations of "+del.String())
	var (
		entries []delegationEntry
		params  stakingtypes.Params
	)
	g, gctx := errgroup.WithContext(ctx)
	goGuarded(g, "delegations of "+del.String(), func() (err error) { entries, err = v.delegationEntries(gctx, del); return })
	goGuarded(g, "staking params", func() (err error) { params, err = v.stakingParams(gctx); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out = &Delegations{Proven: v.proven(), Delegator: del.String(), Delegations: []Delegation{}, Total: sdk.NewCoin(params.BondDenom, math.ZeroInt())}
	if len(entries) == 0 {
		return out, nil
	}
	ops := make([][]byte, len(entries))
	for i, e := range entries {
		ops[i] = e.val
	}
	recs, err := v.validators(ctx, ops)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		rec := recs[string(e.val)]
		d := Delegation{
			DelegatorAddress: e.d.DelegatorAddress,
			ValidatorAddress: e.d.ValidatorAddress,
			Moniker:          rec.Description.Moniker,
			Shares:           e.d.Shares,
			Balance:          sdk.NewCoin(params.BondDenom, rec.TokensFromShares(e.d.Shares).TruncateInt()),
			shares:           e.d.Shares,
			validator:        rec,
		}
		out.Delegations = append(out.Delegations, d)
		out.Total = out.Total.Add(d.Balance)
	}
	return out, nil
}

type delegationEntry struct {
	val []byte
	d   stakingtypes.Delegation
}

func (v *View) delegationEntries(ctx context.Context, del sdk.AccAddress) ([]delegationEntry, error) {
	prefix := delegationsPrefix(del)
	hint := func(ctx context.Context) ([][]byte, error) {
		var res stakingtypes.QueryDelegatorDelegationsResponse
		if err := v.grpcHint(ctx, "/cosmos.staking.v1beta1.Query/DelegatorDelegations",
			&stakingtypes.QueryDelegatorDelegationsRequest{DelegatorAddr: del.String()}, &res); err != nil {
			return nil, err
		}
		var keys [][]byte
		for _, d := range res.DelegationResponses {
			if _, val, err := bech32Decode(d.Delegation.ValidatorAddress); err == nil {
				keys = append(keys, delegationKey(del, val))
			}
		}
		return keys, nil
	}
	entries, err := v.walkPrefix(ctx, storeStaking, prefix, nil, hint)
	if err != nil {
		return nil, err
	}
	out := make([]delegationEntry, 0, len(entries))
	for _, e := range entries {
		var d stakingtypes.Delegation
		if err := v.q.cdc.Unmarshal(e.Value, &d); err != nil {
			return nil, &ErrDecode{What: "delegation", Err: err}
		}
		val, err := lengthPrefixed(e.Key[len(prefix):])
		if err != nil {
			return nil, &ErrDecode{What: "delegation key", Err: err}
		}
		// The record must say what its key says: a value under another
		// key would be a proven but misfiled entry.
		if !sameAddr(d.DelegatorAddress, del) || !sameAddr(d.ValidatorAddress, val) {
			return nil, &ErrInconsistent{Reason: "delegation record does not match its key"}
		}
		out = append(out, delegationEntry{val: val, d: d})
	}
	return out, nil
}

// lengthPrefixed reads lp(x) that makes up all of b.
func lengthPrefixed(b []byte) ([]byte, error) {
	if len(b) < 1 || int(b[0]) != len(b)-1 {
		return nil, errBadLength
	}
	return b[1:], nil
}

// twoLengthPrefixed reads lp(x) lp(y) that make up all of b.
func twoLengthPrefixed(b []byte) ([]byte, []byte, error) {
	if len(b) < 1 || int(b[0])+1 > len(b) {
		return nil, nil, errBadLength
	}
	y, err := lengthPrefixed(b[1+int(b[0]):])
	if err != nil {
		return nil, nil, err
	}
	return b[1 : 1+int(b[0])], y, nil
}

// Unbondings proves every unbonding delegation of del.
func (v *View) Unbondings(ctx context.Context, del sdk.AccAddress) (out *Unbondings, err error) {
	defer guard(&out, &err, "unbonding delegations of "+del.String())
	prefix := unbondingsPrefix(del)
	hint := func(ctx context.Context) ([][]byte, error) {
		var res stakingtypes.QueryDelegatorUnbondingDelegationsResponse
		if err := v.grpcHint(ctx, "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations",
			&stakingtypes.QueryDelegatorUnbondingDelegationsRequest{DelegatorAddr: del.String()}, &res); err != nil {
			return nil, err
		}
		var keys [][]byte
		for _, u := range res.UnbondingResponses {
			if _, val, err := bech32Decode(u.ValidatorAddress); err == nil {
				keys = append(keys, cat(prefix, lp(val)))
			}
		}
		return keys, nil
	}
	entries, err := v.walkPrefix(ctx, storeStaking, prefix, nil, hint)
	if err != nil {
		return nil, err
	}
	out = &Unbondings{Proven: v.proven(), Delegator: del.String(), Unbondings: []stakingtypes.UnbondingDelegation{}}
	for _, e := range entries {
		var u stakingtypes.UnbondingDelegation
		if err := v.q.cdc.Unmarshal(e.Value, &u); err != nil {
			return nil, &ErrDecode{What: "unbonding delegation", Err: err}
		}
		val, err := lengthPrefixed(e.Key[len(prefix):])
		if err != nil || !sameAddr(u.DelegatorAddress, del) || !sameAddr(u.ValidatorAddress, val) {
			return nil, &ErrInconsistent{Reason: "unbonding record does not match its key"}
		}
		out.Unbondings = append(out.Unbondings, u)
	}
	return out, nil
}

// Redelegations proves every redelegation of del.
func (v *View) Redelegations(ctx context.Context, del sdk.AccAddress) (out *Redelegations, err error) {
	defer guard(&out, &err, "redelegations of "+del.String())
	prefix := redelegationsPrefix(del)
	hint := func(ctx context.Context) ([][]byte, error) {
		var res stakingtypes.QueryRedelegationsResponse
		if err := v.grpcHint(ctx, "/cosmos.staking.v1beta1.Query/Redelegations",
			&stakingtypes.QueryRedelegationsRequest{DelegatorAddr: del.String()}, &res); err != nil {
			return nil, err
		}
		var keys [][]byte
		for _, r := range res.RedelegationResponses {
			_, src, err1 := bech32Decode(r.Redelegation.ValidatorSrcAddress)
			_, dst, err2 := bech32Decode(r.Redelegation.ValidatorDstAddress)
			if err1 == nil && err2 == nil {
				keys = append(keys, cat(prefix, lp(src), lp(dst)))
			}
		}
		return keys, nil
	}
	entries, err := v.walkPrefix(ctx, storeStaking, prefix, nil, hint)
	if err != nil {
		return nil, err
	}
	out = &Redelegations{Proven: v.proven(), Delegator: del.String(), Redelegations: []stakingtypes.Redelegation{}}
	for _, e := range entries {
		var r stakingtypes.Redelegation
		if err := v.q.cdc.Unmarshal(e.Value, &r); err != nil {
			return nil, &ErrDecode{What: "redelegation", Err: err}
		}
		src, dst, err := twoLengthPrefixed(e.Key[len(prefix):])
		if err != nil || !sameAddr(r.DelegatorAddress, del) || !sameAddr(r.ValidatorSrcAddress, src) || !sameAddr(r.ValidatorDstAddress, dst) {
			return nil, &ErrInconsistent{Reason: "redelegation record does not match its key"}
		}
		out.Redelegations = append(out.Redelegations, r)
	}
	return out, nil
}
