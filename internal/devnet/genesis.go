package devnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	// MinDeposit is gov's minimum deposit (1 AKT), small so that a test's
	// proposal enters its voting period at once.
	MinDeposit = sdkmath.NewInt(1_000_000)
)

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
	g := &Genesis{ChainID: cfg.chainID()}

	var (
		genAccounts []authtypes.GenesisAccount
		balances    []banktypes.Balance
		gentxs      []json.RawMessage
	)
	fund := func(acc Account, amount sdkmath.Int) error {
		addr, err := acc.AccAddress()
		if err != nil {
			return err
		}
		genAccounts = append(genAccounts, authtypes.NewBaseAccount(addr, nil, 0, 0))
		balances = append(balances, banktypes.Balance{Address: acc.Address, Coins: sdk.NewCoins(sdk.NewCoin(Denom, amount))})
		return nil
	}
	for _, name := range cfg.Accounts {
		acc, err := newAccount(name)
		if err != nil {
			return nil, err
		}
		g.Accounts = append(g.Accounts, acc)
		if err := fund(acc, AccountBalance); err != nil {
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
		if err := fund(op, ValidatorBalance); err != nil {
			return nil, err
		}
		tx, err := gentx(enc.TxConfig, g.ChainID, name, op, consKey)
		if err != nil {
			return nil, fmt.Errorf("devnet: gentx of %s: %w", name, err)
		}
		gentxs = append(gentxs, tx)
	}

	if err := setGenesisState(enc, state, cfg, genAccounts, balances, gentxs); err != nil {
		return nil, err
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
	bank.DenomMetadata = append(bank.DenomMetadata, banktypes.Metadata{
		Description: "The native staking token of the Akash Network.",
		DenomUnits: []*banktypes.DenomUnit{
			{Denom: Denom, Exponent: 0, Aliases: []string{"microakt"}},
			{Denom: "akt", Exponent: 6},
		},
		Base:    Denom,
		Display: "akt",
		Name:    "Akash Network",
		Symbol:  "AKT",
	})
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
	voting := cfg.VotingPeriod
	expedited := voting / 2
	depositPeriod := time.Hour
	gov.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(Denom, MinDeposit))
	gov.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(Denom, MinDeposit.MulRaw(5)))
	gov.Params.VotingPeriod = &voting
	gov.Params.ExpeditedVotingPeriod = &expedited
	gov.Params.MaxDepositPeriod = &depositPeriod
	if err := gov.Params.ValidateBasic(); err != nil {
		return fmt.Errorf("devnet: gov params: %w", err)
	}
	if state["gov"], err = cdc.MarshalJSON(&gov); err != nil {
		return err
	}

	state[genutiltypes.ModuleName], err = cdc.MarshalJSON(&genutiltypes.GenesisState{GenTxs: gentxs})
	return err
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
