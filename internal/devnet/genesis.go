package devnet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cosmos/go-bip39"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	minttypes "github.com/cosmos/cosmos-sdk/x/mint/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// Token amounts of a new devnet, in uakt.
var (
	// AccountBalance is each funded account's balance: one million AKT.
	AccountBalance = sdkmath.NewInt(1_000_000_000_000)
	// ValidatorBalance is each validator operator's balance before its
	// self-delegation.
	ValidatorBalance = sdkmath.NewInt(1_000_000_000_000)
	// SelfDelegation is each validator's bonded self-delegation: 100,000
	// AKT, i.e. a voting power of 100,000.
	SelfDelegation = sdkmath.NewInt(100_000_000_000)
	// MinDeposit is gov's minimum deposit: 1 AKT, mainnet's 1,000 AKT
	// scaled down a thousandfold (see govParams). A proposal submitted with
	// it enters its voting period at once; one with at least
	// MinInitialDepositRatio of it waits in its deposit period; one with
	// less is refused.
	MinDeposit = sdkmath.NewInt(1_000_000)
	// ExpeditedMinDeposit is an expedited proposal's minimum deposit: 2 AKT,
	// mainnet's 2,000 AKT scaled as MinDeposit.
	ExpeditedMinDeposit = sdkmath.NewInt(2_000_000)

	// ActBalance is each funded account's ACT balance, in uact: 10,000 ACT.
	// (Validator operators hold none.)
	ActBalance = sdkmath.NewInt(10_000_000_000)
	// IBCBalance is what the first funded account (alice by default) holds
	// of IBCDenom: 250 of a token with six decimals, were its exponent known.
	IBCBalance = sdkmath.NewInt(250_000_000)
)

// ActDenom is ACT, the Akash Compute Token: since mainnet's v2.0.0 upgrade
// (2026-03) accounts hold it beside AKT, minted from AKT by the burn-mint
// module (x/bme). Sends of it are disabled in the bank (SendEnabled false),
// as on mainnet; the devnet has no burn-mint module, so its ACT is only
// what genesis gave.
const ActDenom = "uact"

// IBCDenom is a denom as an IBC transfer names a voucher, "ibc/" and the
// upper-case hex SHA-256 of its trace ("transfer/channel-0/uusdc"), with no
// bank metadata: a denom whose display unit and exponent nobody on the
// chain states, as many of mainnet's are. A wallet must show it as it is.
var IBCDenom = ibcDenom("transfer/channel-0/uusdc")

// ibcDenom is ibc-go's name for the voucher of a denom trace.
func ibcDenom(trace string) string {
	sum := sha256.Sum256([]byte(trace))
	return "ibc/" + strings.ToUpper(hex.EncodeToString(sum[:]))
}

// aktMetadata is AKT's bank metadata. Name, symbol and description are
// those of the Akash node's genesis tool (cmd/akash/cmd/genesis.go in
// github.com/akash-network/node, MainnetGenesisParams); the units are
// uakt, makt and akt at exponents 0, 3 and 6, displayed in akt.
func aktMetadata() banktypes.Metadata {
	return banktypes.Metadata{
		Description: "The native token of Akash",
		DenomUnits: []*banktypes.DenomUnit{
			{Denom: Denom, Exponent: 0},
			{Denom: "makt", Exponent: 3},
			{Denom: "akt", Exponent: 6},
		},
		Base:    Denom,
		Display: "akt",
		Name:    "Akash Native Token",
		Symbol:  "AKT",
	}
}

// actMetadata is ACT's bank metadata exactly as mainnet's v2.0.0 upgrade
// handler stores it (upgrades/software/v2.0.0/upgrade.go of the Akash node,
// tag v2.0.0): units uact, mact and act at exponents 0, 3 and 6, and, note,
// Display "uact", the base unit, not "act". A wallet that takes Display as
// the unit to show would show ACT in millionths; the devnet keeps mainnet's
// value so that such a wallet fails here first.
func actMetadata() banktypes.Metadata {
	return banktypes.Metadata{
		Description: "Akash Compute Token",
		DenomUnits: []*banktypes.DenomUnit{
			{Denom: ActDenom, Exponent: 0},
			{Denom: "mact", Exponent: 3},
			{Denom: "act", Exponent: 6},
		},
		Base:    ActDenom,
		Display: ActDenom,
		Name:    "Akash Compute Token",
		Symbol:  "ACT",
	}
}

// Account is a funded devnet account. Its key is derived from Mnemonic at
// HDPath, with no BIP-39 passphrase.
type Account struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	Mnemonic string `json:"mnemonic"`
}

// PrivKey derives the account's secp256k1 key.
func (a Account) PrivKey() (cryptotypes.PrivKey, error) {
	return derivePrivKey(a.Mnemonic)
}

// AccAddress is the account's address in bytes.
func (a Account) AccAddress() (sdk.AccAddress, error) {
	return sdk.AccAddressFromBech32(a.Address)
}

// ValidatorKeys are a validator's secrets: its operator account (which
// signed its gentx and holds its self-delegation) and its CometBFT consensus
// and node keys.
type ValidatorKeys struct {
	Operator     Account `json:"operator"`
	ConsensusKey []byte  `json:"consensus_key"` // ed25519 private key, 64 bytes
	NodeKey      []byte  `json:"node_key"`      // ed25519 private key, 64 bytes
}

// Genesis is everything that defines a devnet chain before its first block:
// the genesis document, the validators' keys and the funded accounts. It is
// saved as DIR/devnet/chain.json and can be given back in Config.Genesis.
//
// Two devnets started from one Genesis (in two directories) are two chains
// with the same chain-id, genesis state and validator keys that fork at
// once: block 1 has the genesis time and state, so it is the same on both
// when both were proposed in round 0, and block 2 takes its time from the
// validators' votes, so it differs. Both forks carry valid commits by the
// same validators, which is what a light-client attack looks like to a
// client.
type Genesis struct {
	ChainID    string          `json:"chain_id"`
	Doc        json.RawMessage `json:"genesis"` // the AppGenesis document (genesis.json)
	Validators []ValidatorKeys `json:"validators"`
	Accounts   []Account       `json:"accounts"`
	// Upgrade is the store upgrade scheduled at genesis, if any
	// (Config.UpgradeAddsStore).
	Upgrade *UpgradeAddsStore `json:"upgrade,omitempty"`
}

// NewGenesis creates a new chain for cfg: fresh mnemonics and keys, funded
// accounts, and one signed gentx per validator. Only cfg's chain parameters
// (validators, accounts, voting and unbonding periods) are used.
func NewGenesis(cfg Config) (*Genesis, error) {
	cfg = cfg.withDefaults()
	if cfg.Validators == 0 {
		cfg.Validators = DefaultValidators
	}
	if cfg.Dir == "" {
		cfg.Dir = "-" // NewGenesis needs no directory
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := SetSDKConfig(); err != nil {
		return nil, err
	}
	enc, err := AppEncoding()
	if err != nil {
		return nil, err
	}
	state, err := defaultGenesis()
	if err != nil {
		return nil, err
	}
	g := &Genesis{ChainID: cfg.chainID(), Upgrade: cfg.UpgradeAddsStore}

	var (
		genAccounts []authtypes.GenesisAccount
		balances    []banktypes.Balance
		gentxs      []json.RawMessage
	)
	fund := func(acc Account, coins ...sdk.Coin) error {
		addr, err := acc.AccAddress()
		if err != nil {
			return err
		}
		genAccounts = append(genAccounts, authtypes.NewBaseAccount(addr, nil, 0, 0))
		balances = append(balances, banktypes.Balance{Address: acc.Address, Coins: sdk.NewCoins(coins...)})
		return nil
	}
	for i, name := range cfg.Accounts {
		acc, err := newAccount(name)
		if err != nil {
			return nil, err
		}
		g.Accounts = append(g.Accounts, acc)
		coins := []sdk.Coin{sdk.NewCoin(Denom, AccountBalance), sdk.NewCoin(ActDenom, ActBalance)}
		if i == 0 {
			coins = append(coins, sdk.NewCoin(IBCDenom, IBCBalance))
		}
		if err := fund(acc, coins...); err != nil {
			return nil, err
		}
	}
	for i := range cfg.Validators {
		name := fmt.Sprintf("%s%d", validatorNamePrefix, i)
		op, err := newAccount(name)
		if err != nil {
			return nil, err
		}
		consKey := cmted25519.GenPrivKey()
		nodeKey := cmted25519.GenPrivKey()
		g.Validators = append(g.Validators, ValidatorKeys{Operator: op, ConsensusKey: consKey, NodeKey: nodeKey})
		if err := fund(op, sdk.NewCoin(Denom, ValidatorBalance)); err != nil {
			return nil, err
		}
		tx, err := gentx(enc.TxConfig, g.ChainID, name, op, consKey)
		if err != nil {
			return nil, fmt.Errorf("devnet: gentx of %s: %w", name, err)
		}
		gentxs = append(gentxs, tx)
	}

	genAccounts = append(genAccounts, authtypes.NewBaseAccount(GenesisGrantee, nil, 0, 0))
	if err := setGenesisState(enc, state, cfg, genAccounts, balances, gentxs); err != nil {
		return nil, err
	}
	if err := seedGrants(enc, state, g.Validators[0].Operator.Address); err != nil {
		return nil, fmt.Errorf("devnet: genesis grants: %w", err)
	}
	appState, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return nil, err
	}
	doc := genutiltypes.NewAppGenesisWithVersion(g.ChainID, appState)
	doc.AppName = "akash-devnet"
	doc.AppVersion = ""
	// Whole seconds: the genesis time is block 1's time, and a round value
	// is easier on the eye in a header dump.
	doc.GenesisTime = time.Now().UTC().Truncate(time.Second)
	doc.InitialHeight = 1
	doc.Consensus = genutiltypes.NewConsensusGenesis(cmttypes.DefaultConsensusParams().ToProto(), nil)
	if err := doc.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("devnet: genesis: %w", err)
	}
	// Compact, so that a Genesis read back from chain.json (where the
	// document is re-indented) compares equal to this one.
	if g.Doc, err = json.Marshal(doc); err != nil {
		return nil, err
	}
	return g, nil
}

// Equal reports whether g and o define the same chain: same chain-id,
// genesis document (ignoring its layout), validator keys and accounts.
func (g *Genesis) Equal(o *Genesis) bool {
	if g == nil || o == nil {
		return g == o
	}
	a, b := *g, *o
	var err error
	if a.Doc, err = compactJSON(a.Doc); err != nil {
		return false
	}
	if b.Doc, err = compactJSON(b.Doc); err != nil {
		return false
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

func compactJSON(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (c Config) chainID() string {
	if c.ChainID != "" {
		return c.ChainID
	}
	return ChainID
}

// setGenesisState sets the devnet's parameters and accounts into the
// modules' default genesis states.
func setGenesisState(enc Encoding, state map[string]json.RawMessage, cfg Config,
	genAccounts []authtypes.GenesisAccount, balances []banktypes.Balance, gentxs []json.RawMessage,
) error {
	cdc := enc.Codec

	var auth authtypes.GenesisState
	if err := cdc.UnmarshalJSON(state[authtypes.ModuleName], &auth); err != nil {
		return err
	}
	packed, err := authtypes.PackAccounts(genAccounts)
	if err != nil {
		return err
	}
	auth.Accounts = append(auth.Accounts, packed...)
	if state[authtypes.ModuleName], err = cdc.MarshalJSON(&auth); err != nil {
		return err
	}

	var bank banktypes.GenesisState
	if err := cdc.UnmarshalJSON(state[banktypes.ModuleName], &bank); err != nil {
		return err
	}
	// Supply stays empty: bank's InitGenesis computes it from the balances.
	bank.Balances = append(bank.Balances, balances...)
	// IBCDenom has no metadata, on purpose.
	bank.DenomMetadata = append(bank.DenomMetadata, aktMetadata(), actMetadata())
	// ACT cannot be sent. Mainnet's upgrade handler calls
	// SetSendEnabled(uact, false), which keeps the flag under the bank
	// store's SendEnabled prefix (0x04), not in Params; this genesis entry
	// lands in the same place.
	bank.SendEnabled = append(bank.SendEnabled, banktypes.SendEnabled{Denom: ActDenom, Enabled: false})
	if state[banktypes.ModuleName], err = cdc.MarshalJSON(&bank); err != nil {
		return err
	}

	var staking stakingtypes.GenesisState
	if err := cdc.UnmarshalJSON(state[stakingtypes.ModuleName], &staking); err != nil {
		return err
	}
	staking.Params.BondDenom = Denom
	staking.Params.UnbondingTime = cfg.UnbondingTime
	if state[stakingtypes.ModuleName], err = cdc.MarshalJSON(&staking); err != nil {
		return err
	}

	var mint minttypes.GenesisState
	if err := cdc.UnmarshalJSON(state[minttypes.ModuleName], &mint); err != nil {
		return err
	}
	mint.Params.MintDenom = Denom
	if state[minttypes.ModuleName], err = cdc.MarshalJSON(&mint); err != nil {
		return err
	}

	var gov govv1.GenesisState
	if err := cdc.UnmarshalJSON(state["gov"], &gov); err != nil {
		return err
	}
	params := govParams(cfg.VotingPeriod)
	gov.Params = &params
	if err := gov.Params.ValidateBasic(); err != nil {
		return fmt.Errorf("devnet: gov params: %w", err)
	}
	if state["gov"], err = cdc.MarshalJSON(&gov); err != nil {
		return err
	}

	state[genutiltypes.ModuleName], err = cdc.MarshalJSON(&genutiltypes.GenesisState{GenTxs: gentxs})
	return err
}

// MinInitialDepositRatio is the part of MinDeposit a proposal must bring
// when it is submitted (mainnet's, see govParams).
const MinInitialDepositRatio = "0.400000000000000000"

// govParams are mainnet's governance parameters, scaled down for tests.
//
// From the Akash node's sources (github.com/akash-network/node): the
// v1.0.0 upgrade handler (upgrades/software/v1.0.0/upgrade.go) set the
// expedited minimum deposit to 2,000 AKT, the expedited threshold to 66.7 %
// and the expedited voting period to 24 h, and carried Akash's own minimum
// initial deposit rate (40 %, upgrades/CHANGELOG.md) over into gov's
// MinInitialDepositRatio; its upgrade test (tests/upgrade/workers_test.go)
// checks the deposit and the ratio on the upgraded chain. From mainnet's
// proposal 341 as a public REST endpoint served it (GetBlock's Akash API
// docs, September 2026): a 14-day deposit period, a 7-day voting period,
// and a 1,000 AKT deposit enough to start voting at once (so the minimum
// deposit is at most 1,000 AKT; taken as 1,000). Quorum (33.4 %),
// threshold (50 %), veto threshold (33.4 %), the burn rules and the
// minimum deposit ratio (1 %) are the SDK's defaults: no public source
// consulted gives mainnet's, and none contradicts them.
//
// Scaled for tests: the deposits are a thousandth of mainnet's (1 and
// 2 AKT), so that tests make proposals with small amounts, in mainnet's
// proportions (the expedited deposit twice the normal one, 40 % of it
// needed at submission). The voting period is votingPeriod
// (Config.VotingPeriod, 20 s by default; mainnet 7 days); the expedited one
// is half of it (mainnet: a seventh, which at the devnet's pace would leave
// a test no time to vote); the deposit period is one hour (mainnet 14
// days), so that a proposal short of its deposit stays in its deposit
// period through any test.
func govParams(votingPeriod time.Duration) govv1.Params {
	p := govv1.DefaultParams()
	expedited := votingPeriod / 2
	depositPeriod := time.Hour
	p.MinDeposit = sdk.NewCoins(sdk.NewCoin(Denom, MinDeposit))
	p.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(Denom, ExpeditedMinDeposit))
	p.MinInitialDepositRatio = MinInitialDepositRatio
	p.ExpeditedThreshold = "0.667000000000000000"
	p.VotingPeriod = &votingPeriod
	p.ExpeditedVotingPeriod = &expedited
	p.MaxDepositPeriod = &depositPeriod
	return p
}

// gentx builds and signs the MsgCreateValidator of a validator: it bonds
// SelfDelegation from the operator account to the consensus key.
func gentx(txCfg client.TxConfig, chainID, moniker string, op Account, consKey cmted25519.PrivKey) (json.RawMessage, error) {
	priv, err := op.PrivKey()
	if err != nil {
		return nil, err
	}
	consPub, err := cryptocodec.FromCmtPubKeyInterface(consKey.PubKey())
	if err != nil {
		return nil, err
	}
	addr, err := op.AccAddress()
	if err != nil {
		return nil, err
	}
	msg, err := stakingtypes.NewMsgCreateValidator(
		sdk.ValAddress(addr).String(),
		consPub,
		sdk.NewCoin(Denom, SelfDelegation),
		stakingtypes.NewDescription(moniker, "", "", "", "akw devnet validator"),
		stakingtypes.NewCommissionRates(
			sdkmath.LegacyNewDecWithPrec(5, 2), // 5 %: Akash's minimum commission
			sdkmath.LegacyNewDecWithPrec(20, 2),
			sdkmath.LegacyNewDecWithPrec(1, 2),
		),
		sdkmath.OneInt(),
	)
	if err != nil {
		return nil, err
	}
	b := txCfg.NewTxBuilder()
	if err := b.SetMsgs(msg); err != nil {
		return nil, err
	}
	b.SetGasLimit(1_000_000)
	// At genesis the ante handler takes account number 0 for every signer.
	if err := signTx(context.Background(), txCfg, b, priv, signing.SignMode_SIGN_MODE_DIRECT, chainID, 0, 0); err != nil {
		return nil, err
	}
	return txCfg.TxJSONEncoder()(b.GetTx())
}

func newAccount(name string) (Account, error) {
	entropy, err := bip39.NewEntropy(256)
	if err != nil {
		return Account{}, err
	}
	mnemonic, err := bip39.NewMnemonic(entropy)
	if err != nil {
		return Account{}, err
	}
	priv, err := derivePrivKey(mnemonic)
	if err != nil {
		return Account{}, err
	}
	return Account{Name: name, Address: sdk.AccAddress(priv.PubKey().Address()).String(), Mnemonic: mnemonic}, nil
}

func derivePrivKey(mnemonic string) (cryptotypes.PrivKey, error) {
	bz, err := hd.Secp256k1.Derive()(mnemonic, "", HDPath)
	if err != nil {
		// The mnemonic itself stays out of the error.
		return nil, fmt.Errorf("devnet: deriving key: %w", err)
	}
	return hd.Secp256k1.Generate()(bz), nil
}

// appGenesis parses the genesis document.
func (g *Genesis) appGenesis() (*genutiltypes.AppGenesis, error) {
	var doc genutiltypes.AppGenesis
	if err := json.Unmarshal(g.Doc, &doc); err != nil {
		return nil, fmt.Errorf("devnet: genesis document: %w", err)
	}
	if doc.ChainID != g.ChainID {
		return nil, fmt.Errorf("devnet: genesis document is for chain %q, not %q", doc.ChainID, g.ChainID)
	}
	return &doc, nil
}

// validate checks that g is usable: its document parses and its keys have
// the right sizes.
func (g *Genesis) validate() error {
	if g == nil {
		return &ConfigError{Field: "Genesis", Reason: "is nil"}
	}
	if _, err := g.appGenesis(); err != nil {
		return &ConfigError{Field: "Genesis", Reason: err.Error()}
	}
	if len(g.Validators) == 0 {
		return &ConfigError{Field: "Genesis", Reason: "has no validators"}
	}
	for i, v := range g.Validators {
		if len(v.ConsensusKey) != cmted25519.PrivateKeySize || len(v.NodeKey) != cmted25519.PrivateKeySize {
			return &ConfigError{Field: "Genesis", Reason: fmt.Sprintf("validator %d has malformed keys", i)}
		}
	}
	return nil
}
