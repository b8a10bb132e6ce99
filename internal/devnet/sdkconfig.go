package devnet

import (
	"sync"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

var sdkConfigMu sync.Mutex

// SetSDKConfig sets the process-wide cosmos-sdk address configuration to
// Akash's (bech32 prefixes akash, akashvaloper, akashvalcons; coin type 118).
// Many SDK types render addresses through this global, so the devnet needs
// it. It does not seal the configuration, so that the rest of akw can set
// the same values; it fails with ErrSDKConfigSealed if the configuration was
// sealed with other prefixes.
func SetSDKConfig() (err error) {
	sdkConfigMu.Lock()
	defer sdkConfigMu.Unlock()
	c := sdk.GetConfig()
	if c.GetBech32AccountAddrPrefix() == Bech32Prefix &&
		c.GetBech32AccountPubPrefix() == Bech32Prefix+"pub" &&
		c.GetBech32ValidatorAddrPrefix() == Bech32Prefix+"valoper" &&
		c.GetBech32ValidatorPubPrefix() == Bech32Prefix+"valoperpub" &&
		c.GetBech32ConsensusAddrPrefix() == Bech32Prefix+"valcons" &&
		c.GetBech32ConsensusPubPrefix() == Bech32Prefix+"valconspub" &&
		c.GetCoinType() == CoinType {
		return nil
	}
	// A sealed config panics on every setter; there is no other way to ask.
	defer func() {
		if recover() != nil {
			err = ErrSDKConfigSealed
		}
	}()
	c.SetBech32PrefixForAccount(Bech32Prefix, Bech32Prefix+"pub")
	c.SetBech32PrefixForValidator(Bech32Prefix+"valoper", Bech32Prefix+"valoperpub")
	c.SetBech32PrefixForConsensusNode(Bech32Prefix+"valcons", Bech32Prefix+"valconspub")
	c.SetCoinType(CoinType)
	return nil
}
