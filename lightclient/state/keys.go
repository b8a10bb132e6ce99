package state

import (
	"encoding/binary"

	"github.com/cosmos/cosmos-sdk/types/address"
)

// Store keys and key layouts of the modules akw reads, as the Cosmos SDK
// v0.53 keepers write them (checked against x/*/types/keys.go and the
// collections schemas; keys_test.go re-derives each from the SDK's own
// encoders). lp(x) is x with a one-byte length prefix.
const (
	storeBank         = "bank"
	storeAuth         = "acc"
	storeStaking      = "staking"
	storeDistribution = "distribution"
	storeGov          = "gov"
)

var (
	bankBalancesPrefix = []byte{0x02} // bank: 0x02 lp(addr) denom -> math.Int text

	authAccountsPrefix = []byte{0x01} // acc: 0x01 addr -> Any(AccountI)

	stakingValidatorPrefix  = []byte{0x21} // staking: 0x21 lp(valoper) -> Validator
	stakingByConsAddrPrefix = []byte{0x22} // staking: 0x22 lp(consaddr) -> operator address bytes
	stakingDelegationPrefix = []byte{0x31} // staking: 0x31 lp(del) lp(val) -> Delegation
	stakingUnbondingPrefix  = []byte{0x32} // staking: 0x32 lp(del) lp(val) -> UnbondingDelegation
	stakingRedelegPrefix    = []byte{0x34} // staking: 0x34 lp(del) lp(src) lp(dst) -> Redelegation
	stakingParamsKey        = []byte{0x51} // staking: params

	distOutstandingPrefix = []byte{0x02} // distribution: 0x02 lp(val) -> ValidatorOutstandingRewards
	distStartingPrefix    = []byte{0x04} // distribution: 0x04 lp(val) lp(del) -> DelegatorStartingInfo
	distHistoricalPrefix  = []byte{0x05} // distribution: 0x05 lp(val) LE-u64 period -> ValidatorHistoricalRewards
	distCurrentPrefix     = []byte{0x06} // distribution: 0x06 lp(val) -> ValidatorCurrentRewards
	distSlashPrefix       = []byte{0x08} // distribution: 0x08 lp(val) BE-u64 height BE-u64 period -> ValidatorSlashEvent

	govProposalPrefix     = []byte{0x00} // gov: 0x00 BE-u64 id -> v1.Proposal
	govVotingPeriodPrefix = []byte{0x04} // gov: 0x04 BE-u64 id -> []byte{1}
	govVotePrefix         = []byte{0x20} // gov: 0x20 BE-u64 id lp(voter) -> v1.Vote
)

func cat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func lp(b []byte) []byte { return address.MustLengthPrefix(b) }

func be64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func le64(n uint64) []byte { return binary.LittleEndian.AppendUint64(nil, n) }

func balancesPrefix(addr []byte) []byte           { return cat(bankBalancesPrefix, lp(addr)) }
func balanceKey(addr []byte, denom string) []byte { return cat(balancesPrefix(addr), []byte(denom)) }
func accountKey(addr []byte) []byte               { return cat(authAccountsPrefix, addr) }
func validatorKey(val []byte) []byte              { return cat(stakingValidatorPrefix, lp(val)) }
func validatorByConsKey(cons []byte) []byte       { return cat(stakingByConsAddrPrefix, lp(cons)) }
func delegationsPrefix(del []byte) []byte         { return cat(stakingDelegationPrefix, lp(del)) }
func delegationKey(del, val []byte) []byte        { return cat(delegationsPrefix(del), lp(val)) }
func unbondingsPrefix(del []byte) []byte          { return cat(stakingUnbondingPrefix, lp(del)) }
func redelegationsPrefix(del []byte) []byte       { return cat(stakingRedelegPrefix, lp(del)) }
func outstandingKey(val []byte) []byte            { return cat(distOutstandingPrefix, lp(val)) }
func startingInfoKey(val, del []byte) []byte      { return cat(distStartingPrefix, lp(val), lp(del)) }
func historicalKey(val []byte, period uint64) []byte {
	return cat(distHistoricalPrefix, lp(val), le64(period))
}
func currentRewardsKey(val []byte) []byte { return cat(distCurrentPrefix, lp(val)) }
func slashEventsFrom(val []byte, height uint64) []byte {
	return cat(distSlashPrefix, lp(val), be64(height))
}
func proposalKey(id uint64) []byte     { return cat(govProposalPrefix, be64(id)) }
func votingPeriodKey(id uint64) []byte { return cat(govVotingPeriodPrefix, be64(id)) }
func voteKey(id uint64, voter []byte) []byte {
	return cat(govVotePrefix, be64(id), lp(voter))
}
