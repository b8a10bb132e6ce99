// Package encoding builds the SDK codecs and tx config akw signs with:
// protobuf for the wire, SIGN_MODE_DIRECT for local keys and
// SIGN_MODE_LEGACY_AMINO_JSON for Ledger keys. It registers only the
// modules akw sends messages of, with address codecs for the network's
// bech32 prefix, so nothing depends on the SDK's global config.
package encoding

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/std"
	sdk "github.com/cosmos/cosmos-sdk/types"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/gogoproto/proto"

	"cosmossdk.io/x/feegrant"
	"cosmossdk.io/x/tx/signing"
)

// Config is everything needed to encode, decode and sign akw's txs.
type Config struct {
	Prefix   string
	Registry codectypes.InterfaceRegistry
	Codec    codec.Codec
	Amino    *codec.LegacyAmino
	TxConfig client.TxConfig
}

// SignModes are the sign modes akw uses, in order of preference. Akash
// enables DIRECT, DIRECT_AUX and LEGACY_AMINO_JSON; not TEXTUAL.
var SignModes = []signingtypes.SignMode{
	signingtypes.SignMode_SIGN_MODE_DIRECT,
	signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON,
}

// New builds the config for a chain whose account prefix is prefix
// ("akash").
func New(prefix string) (*Config, error) {
	opts := signing.Options{
		AddressCodec:          addresscodec.NewBech32Codec(prefix),
		ValidatorAddressCodec: addresscodec.NewBech32Codec(prefix + "valoper"),
	}
	reg, err := codectypes.NewInterfaceRegistryWithOptions(codectypes.InterfaceRegistryOptions{
		ProtoFiles:     proto.HybridResolver,
		SigningOptions: opts,
	})
	if err != nil {
		return nil, err
	}
	std.RegisterInterfaces(reg)
	authtypes.RegisterInterfaces(reg)
	banktypes.RegisterInterfaces(reg)
	stakingtypes.RegisterInterfaces(reg)
	distrtypes.RegisterInterfaces(reg)
	govv1.RegisterInterfaces(reg)
	govv1beta1.RegisterInterfaces(reg)
	// Grants (x/authz) and fee allowances (x/feegrant): their messages,
	// and the authorizations and allowances they carry as Any.
	authz.RegisterInterfaces(reg)
	feegrant.RegisterInterfaces(reg)

	amino := codec.NewLegacyAmino()
	RegisterAmino(amino)

	cdc := codec.NewProtoCodec(reg)
	so := opts
	so.FileResolver = reg
	txc, err := authtx.NewTxConfigWithOptions(cdc, authtx.ConfigOptions{
		EnabledSignModes: SignModes,
		SigningOptions:   &so,
	})
	if err != nil {
		return nil, err
	}
	return &Config{Prefix: prefix, Registry: reg, Codec: cdc, Amino: amino, TxConfig: txc}, nil
}

// RegisterAmino registers the legacy amino names of every message akw
// signs. The amino JSON sign mode takes the names from the proto
// annotations; this registry lets tests check that both agree, because
// the Ledger app and older nodes know messages only by those names.
func RegisterAmino(cdc *codec.LegacyAmino) {
	std.RegisterLegacyAminoCodec(cdc)
	authtypes.RegisterLegacyAminoCodec(cdc)
	banktypes.RegisterLegacyAminoCodec(cdc)
	stakingtypes.RegisterLegacyAminoCodec(cdc)
	distrtypes.RegisterLegacyAminoCodec(cdc)
	govv1.RegisterLegacyAminoCodec(cdc)
	authz.RegisterLegacyAminoCodec(cdc)
	feegrant.RegisterLegacyAminoCodec(cdc)
}

// Bech32 encodes an account address with the network's prefix.
func (c *Config) Bech32(a sdk.AccAddress) string {
	s, err := addresscodec.NewBech32Codec(c.Prefix).BytesToString(a)
	if err != nil {
		return fmt.Sprintf("%X", []byte(a))
	}
	return s
}

// Valoper encodes a validator operator address with the network's prefix.
func (c *Config) Valoper(v sdk.ValAddress) string {
	s, err := addresscodec.NewBech32Codec(c.Prefix + "valoper").BytesToString(v)
	if err != nil {
		return fmt.Sprintf("%X", []byte(v))
	}
	return s
}
