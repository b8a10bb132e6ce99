package devnet

import (
	"fmt"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// MainnetStores are the KV stores of Akash mainnet's multistore, by name:
// those of the Akash node's app at v2.0.1 (app/types/app.go, kvStoreKeys,
// in github.com/akash-network/node), 26 in all. The devnet's multistore
// has exactly these.
var MainnetStores = []string{
	"acc", "audit", "authz", "awasm", "bank", "bme", "cert", "consensus",
	"deployment", "distribution", "epochs", "escrow", "evidence", "feegrant",
	"gov", "ibc", "market", "mint", "oracle", "params", "provider",
	"slashing", "staking", "transfer", "upgrade", "wasm",
}

// standInStores are the mainnet stores that no module of the devnet
// fills: IBC and its transfer app, CosmWasm, Akash's own modules, and the
// SDK modules a wallet does not talk to (evidence, slashing, the legacy
// params). They are mounted as plain IAVL stores, each holding one
// StandInKey, because what a wallet meets in them is the shape of the
// multistore: an ICS23 proof of any key goes from its store's root through
// the multistore's simple Merkle tree of every store's root, ordered by
// name, to the app hash. With mainnet's 26 stores that tree, and so every
// proof's second step, has mainnet's width and depth, and a store's
// neighbours are mainnet's. (The "upgrade" store is x/upgrade's keeper's,
// with the modules' versions and any plan; see upgrade.go.)
var standInStores = []string{
	"audit", "awasm", "bme", "cert", "deployment", "epochs", "escrow",
	"evidence", "ibc", "market", "oracle", "params", "provider", "slashing",
	"transfer", "wasm",
}

// StandInKey is the one key of each stand-in store; its value names the
// store ("stand-in for mainnet's market store").
var StandInKey = []byte("devnet/stand-in")

// mountStandInStores mounts the stand-in stores on app and returns what
// the chain's InitChain must do for them: write their key. It must be
// called before app.Load.
func mountStandInStores(app *runtime.App) (func(sdk.Context), error) {
	keys := storetypes.NewKVStoreKeys(standInStores...)
	list := make([]storetypes.StoreKey, 0, len(keys))
	for _, name := range standInStores {
		list = append(list, keys[name])
	}
	if err := app.RegisterStores(list...); err != nil {
		return nil, fmt.Errorf("devnet: mounting stand-in stores: %w", err)
	}
	return func(ctx sdk.Context) {
		for _, name := range standInStores {
			ctx.KVStore(keys[name]).Set(StandInKey, []byte("stand-in for mainnet's "+name+" store"))
		}
	}, nil
}
