package devnet

import (
	"encoding/json"
	"fmt"
	"sync"

	runtimev1alpha1 "cosmossdk.io/api/cosmos/app/runtime/v1alpha1"
	appv1alpha1 "cosmossdk.io/api/cosmos/app/v1alpha1"
	authmodulev1 "cosmossdk.io/api/cosmos/auth/module/v1"
	authzmodulev1 "cosmossdk.io/api/cosmos/authz/module/v1"
	bankmodulev1 "cosmossdk.io/api/cosmos/bank/module/v1"
	consensusmodulev1 "cosmossdk.io/api/cosmos/consensus/module/v1"
	distrmodulev1 "cosmossdk.io/api/cosmos/distribution/module/v1"
	feegrantmodulev1 "cosmossdk.io/api/cosmos/feegrant/module/v1"
	genutilmodulev1 "cosmossdk.io/api/cosmos/genutil/module/v1"
	govmodulev1 "cosmossdk.io/api/cosmos/gov/module/v1"
	mintmodulev1 "cosmossdk.io/api/cosmos/mint/module/v1"
	stakingmodulev1 "cosmossdk.io/api/cosmos/staking/module/v1"
	txconfigv1 "cosmossdk.io/api/cosmos/tx/config/v1"
	vestingmodulev1 "cosmossdk.io/api/cosmos/vesting/module/v1"
	"cosmossdk.io/core/appconfig"
	"cosmossdk.io/depinject"
	"cosmossdk.io/log"
	pruningtypes "cosmossdk.io/store/pruning/types"
	feegrantkeeper "cosmossdk.io/x/feegrant/keeper"
	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/mempool"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"

	// The blank imports register each module with the app-wiring registry,
	// so that appConfig below can name them.
	_ "cosmossdk.io/x/feegrant/module"
	_ "github.com/cosmos/cosmos-sdk/x/auth"
	_ "github.com/cosmos/cosmos-sdk/x/auth/tx/config"
	_ "github.com/cosmos/cosmos-sdk/x/auth/vesting"
	_ "github.com/cosmos/cosmos-sdk/x/authz/module"
	_ "github.com/cosmos/cosmos-sdk/x/bank"
	_ "github.com/cosmos/cosmos-sdk/x/consensus"
	_ "github.com/cosmos/cosmos-sdk/x/distribution"
	_ "github.com/cosmos/cosmos-sdk/x/genutil"
	_ "github.com/cosmos/cosmos-sdk/x/gov"
	_ "github.com/cosmos/cosmos-sdk/x/mint"
	_ "github.com/cosmos/cosmos-sdk/x/staking"
)

// The app is wired with the SDK's runtime/depinject app config rather than a
// hand-written app.go: the module set is small and standard, the runtime
// wires keepers, store keys, ante handler (including unordered transactions)
// and begin/end blockers exactly as upstream chains do, and the whole app is
// this one declarative value. A hand-written app would be ~400 lines of
// keeper plumbing that could only drift from upstream.

// moduleAccountPermissions are those of the modules below; the bank module
// blocks sends to every one of these accounts.
var moduleAccountPermissions = []*authmodulev1.ModuleAccountPermission{
	{Account: "fee_collector"},
	{Account: "distribution"},
	{Account: "mint", Permissions: []string{"minter"}},
	{Account: "bonded_tokens_pool", Permissions: []string{"burner", "staking"}},
	{Account: "not_bonded_tokens_pool", Permissions: []string{"burner", "staking"}},
	{Account: "gov", Permissions: []string{"burner"}},
}

// appConfig is the module set of the devnet chain: the modules a wallet talks
// to on Akash (auth, bank, staking, distribution, gov v1, mint, authz for
// grants, feegrant for fee allowances), plus consensus (block params),
// genutil (gentxs), vesting (so vesting accounts decode, as on mainnet) and
// the tx config (sign modes, ante handler). authz and feegrant have no
// parameters, on mainnet or here; their messages and authorization and
// allowance types carry amino names, so a Ledger signs them in amino JSON.
// It is composed on first use, not during package initialisation: every
// akw command links this package, and only `akw devnet` and `akw demo`
// need it (composing it cost about 0.5 ms and 1,800 allocations at each
// start of akw).
var appConfig = sync.OnceValue(func() depinject.Config { return composeAppConfig() })

func composeAppConfig() depinject.Config {
	return appconfig.Compose(&appv1alpha1.Config{
		Modules: []*appv1alpha1.ModuleConfig{
			{
				Name: "runtime",
				Config: appconfig.WrapAny(&runtimev1alpha1.Module{
					AppName: "akash-devnet",
					// auth's pre-blocker prunes expired unordered-tx nonces.
					PreBlockers: []string{"auth"},
					// authz prunes expired grants when a block begins,
					// feegrant expired allowances when it ends.
					BeginBlockers: []string{"mint", "distribution", "staking", "authz", "auth", "bank", "gov", "genutil", "vesting", "consensus", "feegrant"},
					EndBlockers:   []string{"gov", "staking", "auth", "bank", "distribution", "mint", "genutil", "vesting", "consensus", "authz", "feegrant"},
					InitGenesis:   []string{"auth", "bank", "distribution", "staking", "gov", "mint", "genutil", "vesting", "consensus", "authz", "feegrant"},
					// Mainnet (and every SDK chain) keeps accounts under the
					// store key "acc"; proofs for account queries name it.
					OverrideStoreKeys: []*runtimev1alpha1.StoreKeyConfig{{ModuleName: "auth", KvStoreKey: "acc"}},
				}),
			},
			{
				Name: "auth",
				Config: appconfig.WrapAny(&authmodulev1.Module{
					Bech32Prefix:                Bech32Prefix,
					ModuleAccountPermissions:    moduleAccountPermissions,
					EnableUnorderedTransactions: true,
				}),
			},
			{Name: "bank", Config: appconfig.WrapAny(&bankmodulev1.Module{})},
			{
				Name: "staking",
				Config: appconfig.WrapAny(&stakingmodulev1.Module{
					Bech32PrefixValidator: Bech32Prefix + "valoper",
					Bech32PrefixConsensus: Bech32Prefix + "valcons",
				}),
			},
			{Name: "distribution", Config: appconfig.WrapAny(&distrmodulev1.Module{})},
			{Name: "authz", Config: appconfig.WrapAny(&authzmodulev1.Module{})},
			{Name: "feegrant", Config: appconfig.WrapAny(&feegrantmodulev1.Module{})},
			{Name: "gov", Config: appconfig.WrapAny(&govmodulev1.Module{})},
			{
				Name:   "mint",
				Config: appconfig.WrapAny(&mintmodulev1.Module{}),
				GolangBindings: []*appv1alpha1.GolangBinding{{
					InterfaceType:  "github.com/cosmos/cosmos-sdk/x/mint/types/types.StakingKeeper",
					Implementation: "github.com/cosmos/cosmos-sdk/x/staking/keeper/*keeper.Keeper",
				}},
			},
			{Name: "consensus", Config: appconfig.WrapAny(&consensusmodulev1.Module{})},
			{Name: "genutil", Config: appconfig.WrapAny(&genutilmodulev1.Module{})},
			{Name: "vesting", Config: appconfig.WrapAny(&vestingmodulev1.Module{})},
			// The ante handler is built in newApp, with Akash's sign modes.
			{Name: "tx", Config: appconfig.WrapAny(&txconfigv1.Config{SkipAnteHandler: true})},
		},
	})
}

// Encoding is the devnet app's codec set, shared by genesis building, the
// keyring and the transaction helpers.
type Encoding struct {
	Codec             codec.Codec
	Amino             *codec.LegacyAmino
	InterfaceRegistry codectypes.InterfaceRegistry
	TxConfig          client.TxConfig
}

var (
	encOnce sync.Once
	enc     Encoding
	encErr  error
)

// AppEncoding returns the devnet app's codecs. They are built once per
// process: depinject resolves the whole module graph to produce them.
func AppEncoding() (Encoding, error) {
	encOnce.Do(func() {
		encErr = depinject.Inject(
			depinject.Configs(appConfig(), depinject.Supply(log.NewNopLogger())),
			&enc.TxConfig, &enc.Codec, &enc.Amino, &enc.InterfaceRegistry,
		)
		if encErr != nil {
			encErr = fmt.Errorf("devnet: wiring app codecs: %w", encErr)
		}
	})
	return enc, encErr
}

// defaultGenesis returns each module's default genesis state.
func defaultGenesis() (map[string]json.RawMessage, error) {
	var b *runtime.AppBuilder
	if err := depinject.Inject(depinject.Configs(appConfig(), depinject.Supply(log.NewNopLogger())), &b); err != nil {
		return nil, fmt.Errorf("devnet: wiring app: %w", err)
	}
	return b.DefaultGenesis(), nil
}

// ChainSignModes are the sign modes the devnet accepts: Akash mainnet's.
// SIGN_MODE_TEXTUAL, which the SDK's default wiring enables, is not among
// them, so that a wallet relying on it fails here as it would on mainnet.
var ChainSignModes = []signingtypes.SignMode{
	signingtypes.SignMode_SIGN_MODE_DIRECT,
	signingtypes.SignMode_SIGN_MODE_DIRECT_AUX,
	signingtypes.SignMode_SIGN_MODE_LEGACY_AMINO_JSON,
}

// appParams are what a node's app depends on besides its database.
type appParams struct {
	chainID      string
	minGasPrices string
	// keepRecent > 0 makes the app prune all but the last keepRecent
	// versions of its state every 10 blocks (a full node that prunes);
	// 0 keeps all.
	keepRecent int64
	// home is the node's home, where x/upgrade writes upgrade-info.json.
	home string
	// upgrade is the chain's scheduled store upgrade, if any.
	upgrade *UpgradeAddsStore
	// rewrite, when not nil, rewrites the transactions of the node's
	// proposals (Config.RewriteProposal).
	rewrite func([][]byte) [][]byte
}

// newApp builds one node's application on db. Every node gets its own app
// instance (its own keepers and stores); only the codecs are shared.
func newApp(logger log.Logger, db dbm.DB, p appParams) (*runtime.App, error) {
	var (
		b      *runtime.AppBuilder
		cdc    codec.Codec
		ak     authkeeper.AccountKeeper
		bk     bankkeeper.BaseKeeper
		fk     feegrantkeeper.Keeper
		txOpts authtx.ConfigOptions
	)
	if err := depinject.Inject(depinject.Configs(appConfig(), depinject.Supply(logger)), &b, &cdc, &ak, &bk, &fk, &txOpts); err != nil {
		return nil, fmt.Errorf("devnet: wiring app: %w", err)
	}
	// The SDK's default ante handler, over a sign-mode handler map with
	// mainnet's modes only.
	txOpts.EnabledSignModes = ChainSignModes
	txOpts.TextualCoinMetadataQueryFn = nil
	txOpts.CustomSignModes = nil
	signModes, err := authtx.NewSigningHandlerMap(txOpts)
	if err != nil {
		return nil, fmt.Errorf("devnet: sign modes: %w", err)
	}
	anteHandler, err := ante.NewAnteHandler(ante.HandlerOptions{
		AccountKeeper: ak,
		BankKeeper:    bk,
		// With it, a transaction's fee granter pays its fee, as on
		// mainnet; without it the ante handler refuses fee granters.
		FeegrantKeeper:  fk,
		SignModeHandler: signModes,
		SigGasConsumer:  ante.DefaultSigVerificationGasConsumer,
	})
	if err != nil {
		return nil, fmt.Errorf("devnet: ante handler: %w", err)
	}
	pruning := pruningtypes.NewPruningOptions(pruningtypes.PruningNothing)
	if p.keepRecent > 0 {
		pruning = pruningtypes.NewCustomPruningOptions(uint64(p.keepRecent), 10)
	}
	opts := []func(*baseapp.BaseApp){
		func(b *baseapp.BaseApp) { b.SetAnteHandler(anteHandler) },
		// A validator keeps every version: light-client proofs are asked
		// for at recent (and, in tests, not so recent) heights.
		baseapp.SetPruning(pruning),
		// Synchronous pruning spares each IAVL store a pruning goroutine
		// that nothing stops when the app is closed; with nothing to
		// prune it costs nothing, and a pruning full node's state is
		// tiny.
		baseapp.SetIAVLSyncPruning(true),
		// The default IAVL node cache (500,000 nodes per store) fills up
		// with every version kept, growing the process for hours; a
		// devnet's state fits in a small fraction of it.
		baseapp.SetIAVLCacheSize(20_000),
		baseapp.SetMinGasPrices(p.minGasPrices),
		baseapp.SetChainID(p.chainID),
		// Queries are not gas-metered, as on a default node.
		baseapp.SetQueryGasLimit(0),
	}
	if p.rewrite != nil {
		opts = append(opts, rewriteProposals(p.rewrite))
	}
	app := b.Build(db, nil, opts...)
	initStandIns, err := mountStandInStores(app)
	if err != nil {
		return nil, err
	}
	upgrade, err := wireUpgrade(app, cdc, db, p.home, p.upgrade)
	if err != nil {
		return nil, err
	}
	// Set before Load, so that the runtime keeps them: its own InitChainer
	// and PreBlocker, then the devnet's additions.
	app.SetInitChainer(func(ctx sdk.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
		res, err := app.InitChainer(ctx, req)
		if err != nil {
			return nil, err
		}
		initStandIns(ctx)
		if err := upgrade.initGenesis(ctx); err != nil {
			return nil, fmt.Errorf("devnet: upgrade genesis: %w", err)
		}
		return res, nil
	})
	app.SetPreBlocker(func(ctx sdk.Context, req *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
		changed, err := upgrade.preBlock(ctx)
		if err != nil {
			return nil, err
		}
		res, err := app.PreBlocker(ctx, req)
		if err != nil {
			return nil, err
		}
		res.ConsensusParamsChanged = res.ConsensusParamsChanged || changed
		return res, nil
	})
	if err := app.Load(true); err != nil {
		return nil, fmt.Errorf("devnet: loading app state: %w", err)
	}
	return app, nil
}

// rewriteProposals makes the app's PrepareProposal the SDK's default one
// (the node's mempool order, within the block's limits) followed by
// rewrite. ProcessProposal stays the default, which with the SDK's no-op
// mempool accepts any list: the other validators vote for the block, as
// they would on a real chain.
func rewriteProposals(rewrite func([][]byte) [][]byte) func(*baseapp.BaseApp) {
	return func(b *baseapp.BaseApp) {
		prepare := baseapp.NewDefaultProposalHandler(mempool.NoOpMempool{}, b).PrepareProposalHandler()
		b.SetPrepareProposal(func(ctx sdk.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
			resp, err := prepare(ctx, req)
			if err != nil {
				return nil, err
			}
			resp.Txs = rewrite(resp.Txs)
			return resp, nil
		})
	}
}
