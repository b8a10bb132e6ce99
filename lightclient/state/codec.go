package state

import (
	"sync"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"cosmossdk.io/x/feegrant"
)

var (
	codecOnce sync.Once
	theCodec  codec.Codec
)

// Codec decodes proven store values: accounts are stored as Any, so the
// registry knows the account types (base, module; DecodeAccount reads
// the vesting kinds without it) and the public key types they carry;
// grants and fee allowances too, so it knows the SDK's authorizations
// (generic, send, stake) and allowances (basic, periodic, allowed
// messages). Governance proposals carry
// messages of any module as Any: they are decoded without unpacking them
// (decodeProposal), so that no registry is needed there.
func Codec() codec.Codec {
	codecOnce.Do(func() {
		reg := codectypes.NewInterfaceRegistry()
		cryptocodec.RegisterInterfaces(reg)
		authtypes.RegisterInterfaces(reg)
		authz.RegisterInterfaces(reg)
		banktypes.RegisterInterfaces(reg)
		stakingtypes.RegisterInterfaces(reg)
		feegrant.RegisterInterfaces(reg)
		theCodec = codec.NewProtoCodec(reg)
	})
	return theCodec
}
