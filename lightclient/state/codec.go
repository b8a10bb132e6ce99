package state

import (
	"sync"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
)

var (
	codecOnce sync.Once
	theCodec  codec.Codec
)

// Codec decodes proven store values: accounts are stored as Any, so the
// registry knows the account types (base, module, the vesting kinds) and
// the public key types they carry.
func Codec() codec.Codec {
	codecOnce.Do(func() {
		reg := codectypes.NewInterfaceRegistry()
		cryptocodec.RegisterInterfaces(reg)
		authtypes.RegisterInterfaces(reg)
		vestingtypes.RegisterInterfaces(reg)
		theCodec = codec.NewProtoCodec(reg)
	})
	return theCodec
}
