package devnet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	storetypes "cosmossdk.io/store/types"
	upgradekeeper "cosmossdk.io/x/upgrade/keeper"
	upgradetypes "cosmossdk.io/x/upgrade/types"
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/store/rootmulti"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// UpgradeAddsStore schedules, in a new chain's genesis, a software upgrade
// that adds a KV store at a height, the way mainnet's upgrades changed its
// store set (v2.0.0 added epochs, oracle, awasm, wasm and bme and removed
// take): a historical query before the upgrade meets another store set
// than one after it.
//
// It runs as on mainnet, with x/upgrade's keeper and plan: at Height every
// node's app finds the plan without a handler, writes upgrade-info.json and
// halts (CometBFT logs a consensus failure). The devnet then restarts each
// node as the new software would run: the store mounted through x/upgrade's
// UpgradeStoreLoader (StoreUpgrades{Added: [Name]}), and a handler for the
// plan that writes UpgradeKey into the new store. Block Height is the first
// with the store; Network.WaitForUpgrade waits for it.
type UpgradeAddsStore struct {
	// Height is the upgrade height, at least 3.
	Height int64 `json:"height"`
	// Name is the new store's name; it must not be one of MainnetStores.
	Name string `json:"name"`
}

// UpgradeKey is the key the upgrade handler writes into the new store; its
// value says when ("added by upgrade devnet-add-NAME at height H").
var UpgradeKey = []byte("devnet/upgrade")

// PlanName is the name of the upgrade plan.
func (u UpgradeAddsStore) PlanName() string { return "devnet-add-" + u.Name }

func (u UpgradeAddsStore) validate() error {
	if u.Height < 3 {
		return &ConfigError{Field: "UpgradeAddsStore", Reason: fmt.Sprintf("height %d is below 3", u.Height)}
	}
	if !storeNameRE(u.Name) {
		return &ConfigError{Field: "UpgradeAddsStore", Reason: fmt.Sprintf("%q is not a store name (lower-case letters, digits, _)", u.Name)}
	}
	for _, s := range MainnetStores {
		if s == u.Name {
			return &ConfigError{Field: "UpgradeAddsStore", Reason: fmt.Sprintf("the chain already has a %q store", u.Name)}
		}
	}
	return nil
}

func storeNameRE(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// upgradeWiring is x/upgrade on one node's app: the keeper on the
// "upgrade" store, and the plan of the chain's UpgradeAddsStore if any.
// The keeper is used without x/upgrade's module package, which links its
// CLI and, through it, go-getter with the AWS and Google Cloud SDKs (some
// 380 packages) into every akw binary; preBlock is that module's
// PreBlocker, reduced to what the devnet's one plan needs.
type upgradeWiring struct {
	keeper  *upgradekeeper.Keeper
	mm      *module.Manager
	plan    *UpgradeAddsStore
	newKey  *storetypes.KVStoreKey // the added store, on an upgraded node
	applied bool                   // the node runs the new software
}

// wireUpgrade mounts the upgrade store on app and, if the chain has an
// upgrade that this node is at or past (its state is at Height-1 or later),
// mounts the new store with the store loader and handler of the new
// software.
func wireUpgrade(app *runtime.App, cdc codec.Codec, db dbm.DB, home string, plan *UpgradeAddsStore) (*upgradeWiring, error) {
	key := storetypes.NewKVStoreKey(upgradetypes.StoreKey)
	if err := app.RegisterStores(key); err != nil {
		return nil, fmt.Errorf("devnet: mounting the upgrade store: %w", err)
	}
	w := &upgradeWiring{
		keeper: upgradekeeper.NewKeeper(map[int64]bool{}, runtime.NewKVStoreService(key), cdc, home, app.BaseApp,
			authtypes.NewModuleAddress("gov").String()),
		mm:   app.ModuleManager,
		plan: plan,
	}
	if plan == nil || rootmulti.GetLatestVersion(db) < plan.Height-1 {
		return w, nil
	}
	w.applied = true
	w.newKey = storetypes.NewKVStoreKey(plan.Name)
	if err := app.RegisterStores(w.newKey); err != nil {
		return nil, fmt.Errorf("devnet: mounting store %s: %w", plan.Name, err)
	}
	app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(plan.Height, &storetypes.StoreUpgrades{Added: []string{plan.Name}}))
	w.keeper.SetUpgradeHandler(plan.PlanName(), func(ctx context.Context, _ upgradetypes.Plan, vm module.VersionMap) (module.VersionMap, error) {
		sdk.UnwrapSDKContext(ctx).KVStore(w.newKey).Set(UpgradeKey,
			[]byte(fmt.Sprintf("added by upgrade %s at height %d", plan.PlanName(), plan.Height)))
		return vm, nil
	})
	return w, nil
}

// initGenesis does what x/upgrade's InitGenesis does (record the modules'
// versions) and schedules the chain's plan.
func (w *upgradeWiring) initGenesis(ctx sdk.Context) error {
	if err := w.keeper.SetModuleVersionMap(ctx, w.mm.GetVersionMap()); err != nil {
		return err
	}
	if w.plan == nil {
		return nil
	}
	return w.keeper.ScheduleUpgrade(ctx, upgradetypes.Plan{
		Name:   w.plan.PlanName(),
		Height: w.plan.Height,
		Info:   "adds the " + w.plan.Name + " store",
	})
}

// preBlock is x/upgrade's PreBlocker (cosmossdk.io/x/upgrade v0.2.0,
// abci.go) for a chain without skip heights: at the plan's height, apply
// it if this software has its handler, else write upgrade-info.json and
// halt the chain; before that height, refuse software that already has
// the handler.
func (w *upgradeWiring) preBlock(ctx sdk.Context) (bool, error) {
	plan, err := w.keeper.GetUpgradePlan(ctx)
	if errors.Is(err, upgradetypes.ErrNoUpgradePlanFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	height := ctx.HeaderInfo().Height
	if !plan.ShouldExecute(height) {
		if w.keeper.HasHandler(plan.Name) {
			return false, fmt.Errorf("BINARY UPDATED BEFORE TRIGGER! UPGRADE %q - in binary but not executed on chain. Downgrade your binary", plan.Name)
		}
		return false, nil
	}
	if !w.keeper.HasHandler(plan.Name) {
		if err := w.keeper.DumpUpgradeInfoToDisk(height, plan); err != nil {
			return false, fmt.Errorf("unable to write upgrade info to filesystem: %w", err)
		}
		msg := fmt.Sprintf("UPGRADE %q NEEDED at %s: %s", plan.Name, plan.DueAt(), plan.Info)
		ctx.Logger().Error(msg)
		// CometBFT halts this node's consensus on the error.
		return false, errors.New(msg)
	}
	ctx.Logger().Info(fmt.Sprintf("applying upgrade %q at %s", plan.Name, plan.DueAt()))
	if err := w.keeper.ApplyUpgrade(ctx.WithBlockGasMeter(storetypes.NewInfiniteGasMeter()), plan); err != nil {
		return false, err
	}
	return true, nil
}

// upgradeInfoWritten reports whether a node halted for the upgrade: its
// app wrote upgrade-info.json into home/data.
func upgradeInfoWritten(home string) bool {
	_, err := os.Stat(filepath.Join(home, "data", upgradetypes.UpgradeInfoFilename))
	return err == nil
}
