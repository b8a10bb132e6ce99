package sign

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/akash-wallet/akw/tx/encoding"
)

// protoTx is the SDK builder's access to the transaction it wraps (the
// same workaround x/auth/tx's service uses).
type protoTx interface{ GetProtoTx() *txtypes.Tx }

// SetFeeParties names the fee granter and the fee payer (nil: none) in
// b's AuthInfo.Fee. The SDK builder's SetFeeGranter and SetFeePayer write
// the address with the process-wide bech32 prefix (sdk.GetConfig), which
// a library must not rely on; the chain decodes them with its own prefix,
// so they are written here with the network's.
func SetFeeParties(cfg *encoding.Config, b client.TxBuilder, granter, payer sdk.AccAddress) error {
	if granter == nil && payer == nil {
		return nil
	}
	// Through the builder first: it makes the Fee and drops its cached
	// AuthInfo bytes, so the strings set below are what gets encoded.
	b.SetFeeGranter(granter)
	b.SetFeePayer(payer)
	pt, ok := b.(protoTx)
	if !ok {
		return fmt.Errorf("unexpected transaction builder %T", b)
	}
	f := pt.GetProtoTx().AuthInfo.Fee
	f.Granter, f.Payer = "", ""
	if granter != nil {
		f.Granter = cfg.Bech32(granter)
	}
	if payer != nil {
		f.Payer = cfg.Bech32(payer)
	}
	return nil
}
