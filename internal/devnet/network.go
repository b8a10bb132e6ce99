package devnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cometbft/cometbft/store"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/akash-wallet/akw/internal/atomicfile"
)

// File and directory names under Config.Dir.
const (
	InfoFile      = "devnet.json"  // written when the devnet is ready, removed on Stop
	ChainDir      = "devnet"       // node data; the devnet's own, wiped by Reset
	GenesisFile   = "chain.json"   // under ChainDir: the Genesis, to resume or fork
	KeyringSubdir = "keyring-test" // made by the cosmos-sdk keyring, backend test
	lockFile      = "LOCK"         // under ChainDir
)

// readyHeight is the height every validator reaches before Start returns:
// from height 2 on there is a committed block 1 with its commit, so a light
// client can verify a header and a proof at once.
const readyHeight = 2

// startAttempts bounds the retries of a validator whose freshly chosen port
// was taken by someone else before CometBFT could bind it.
const startAttempts = 4

// idleConnTimeout is how long the devnet's own RPC client keeps an idle
// connection: well below the node's idle limit (CometBFT's RPC server
// closes a connection idle for its read timeout, 10 s), so that the client
// never sends a request on a connection the node is closing at that
// moment. Such a request gets EOF, and Go's transport does not send a
// POST again by itself. akw's own client met it on a busy machine (it
// marks its reads as safe to send again: lightclient/trusted).
const idleConnTimeout = 4 * time.Second

// Info describes a running devnet; it is what DIR/devnet.json holds.
type Info struct {
	ChainID string `json:"chain_id"`
	// RPC are the validators' CometBFT RPC URLs, validator0 first.
	RPC  []string `json:"rpc"`
	GRPC []string `json:"grpc"` // host:port
	API  []string `json:"api"`  // REST (gRPC gateway) URLs
	// Accounts are the funded accounts, also in the test keyring.
	Accounts   []Account       `json:"accounts"`
	Validators []ValidatorInfo `json:"validators"`
	// FullNodes are the non-validator full nodes (Config.FullNodes).
	FullNodes []FullNodeInfo `json:"full_nodes,omitempty"`
	Denom     string         `json:"denom"`
	// KeyringBackend and KeyringDir locate the keyring holding Accounts,
	// opened with app name KeyringAppName.
	KeyringBackend string `json:"keyring_backend"`
	KeyringDir     string `json:"keyring_dir"`
	Home           string `json:"home"`
	PID            int    `json:"pid"`
	GenesisTime    string `json:"genesis_time"`
}

// ValidatorInfo describes one running validator.
type ValidatorInfo struct {
	Name             string `json:"name"`
	OperatorAddress  string `json:"operator_address"` // akashvaloper...
	AccountAddress   string `json:"account_address"`  // akash..., the self-delegator
	ConsensusAddress string `json:"consensus_address"`
	NodeID           string `json:"node_id"`
	RPC              string `json:"rpc"`
	GRPC             string `json:"grpc"`
	API              string `json:"api"`
	P2P              string `json:"p2p"`
}

// ReadInfo reads DIR/devnet.json as a running devnet wrote it.
func ReadInfo(dir string) (*Info, error) {
	bz, err := os.ReadFile(filepath.Join(dir, InfoFile))
	if err != nil {
		return nil, err
	}
	var info Info
	if err := json.Unmarshal(bz, &info); err != nil {
		return nil, fmt.Errorf("devnet: %s: %w", filepath.Join(dir, InfoFile), err)
	}
	return &info, nil
}

// Network is a running devnet.
type Network struct {
	cfg     Config
	dir     string
	genesis *Genesis
	genTime time.Time
	enc     Encoding
	vals    []*validator
	rpc     []*rpchttp.HTTP
	full    []*validator // non-validator full nodes
	fullRPC []*rpchttp.HTTP
	// nodesMu is held while a node restarts (watchUpgrade) and while
	// the nodes are described or stopped; leader is validator0's block
	// store, for held full nodes, which must not wait for nodesMu.
	nodesMu     sync.Mutex
	leader      atomic.Pointer[store.BlockStore]
	closing     chan struct{} // closed when Stop begins
	closeOnce   sync.Once
	upgradeDone chan struct{}
	upgradeErr  error
	httpc       *http.Client
	resumed     bool
	release     func()
	stopOnce    sync.Once
	stopped     chan struct{}
	stopErr     error

	muteLog func()

	txMu    sync.Mutex
	signers map[string]*sync.Mutex
}

// Start starts a devnet as cfg describes and returns once every validator
// has produced block readyHeight and answers on its RPC, after writing
// DIR/devnet.json and the accounts into DIR's test keyring.
//
// If DIR/devnet holds a chain (from an earlier Start), that chain is resumed
// with its state, keys and accounts, on new ports; Config.Reset wipes it
// and makes a new one. Start never touches files of DIR other than
// devnet.json, keyring-test/ (only the devnet's account names) and devnet/.
//
// Several devnets can run in one process if their Dirs differ (the tests
// run two forked from one Genesis); each validator has its own ports.
func Start(ctx context.Context, cfg Config) (n *Network, err error) {
	cfg = cfg.withDefaults()
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
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, err
	}
	chainDir := filepath.Join(dir, ChainDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(chainDir, 0o700); err != nil {
		return nil, err
	}
	unlock, err := lockDir(filepath.Join(chainDir, lockFile))
	if err != nil {
		if errors.Is(err, ErrInUse) {
			return nil, fmt.Errorf("%w: %s", ErrInUse, dir)
		}
		return nil, err
	}
	var releaseOnce sync.Once
	release := func() { releaseOnce.Do(unlock) }
	defer func() {
		if err != nil {
			release()
		}
	}()
	// A devnet.json left by a devnet that did not stop cleanly names dead
	// ports; nobody must read it while this one starts.
	if err := os.Remove(filepath.Join(dir, InfoFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}

	g, resumed, err := prepareChainDir(cfg, dir, chainDir)
	if err != nil {
		return nil, err
	}
	appGen, err := g.appGenesis()
	if err != nil {
		return nil, err
	}
	genDoc, err := appGen.ToGenesisDoc()
	if err != nil {
		return nil, fmt.Errorf("devnet: genesis: %w", err)
	}
	if err := writeKeyring(dir, enc, g.Accounts, cfg.Reset); err != nil {
		return nil, err
	}

	n = &Network{
		cfg:     cfg,
		dir:     dir,
		genesis: g,
		genTime: genDoc.GenesisTime,
		enc:     enc,
		resumed: resumed,
		release: release,
		stopped: make(chan struct{}),
		closing: make(chan struct{}),
		httpc:   &http.Client{Transport: &http.Transport{IdleConnTimeout: idleConnTimeout}, Timeout: 30 * time.Second},
		signers: map[string]*sync.Mutex{},
	}
	defer func() {
		if err != nil {
			n.shutdown()
		}
	}()

	logger, mute := newLogger(cfg)
	n.muteLog = mute
	params := nodeParams{cfg: cfg, genesis: g, genDoc: genDoc, logger: logger, encoding: enc}
	var started []string // peer addresses, validator0 first
	for i, keys := range g.Validators {
		v := newValidator(chainDir, i, keys)
		params.peers = dialedPeers(started)
		if err := startWithRetry(ctx, v, params); err != nil {
			return nil, err
		}
		n.vals = append(n.vals, v)
		if i == 0 {
			n.leader.Store(v.cmt.BlockStore())
		}
		started = append(started, v.peerAddress())
		cl, err := rpchttp.NewWithClient("http://"+v.rpcAddr, "/websocket", n.httpc)
		if err != nil {
			return nil, err
		}
		n.rpc = append(n.rpc, cl)
		cfg.Logf("started %s: rpc http://%s", v.name, v.rpcAddr)
	}
	params.peers = fullNodePeers(n.vals)
	params.leader = n.leaderHeight
	for i, fn := range cfg.FullNodes {
		v := newFullNode(chainDir, i, fn)
		if err := startWithRetry(ctx, v, params); err != nil {
			return nil, err
		}
		n.full = append(n.full, v)
		cl, err := rpchttp.NewWithClient("http://"+v.rpcAddr, "/websocket", n.httpc)
		if err != nil {
			return nil, err
		}
		n.fullRPC = append(n.fullRPC, cl)
		cfg.Logf("started %s (full node): rpc http://%s", v.name, v.rpcAddr)
	}

	// An upgrade may come before the chain is ready (at height 3).
	n.startUpgradeWatch()
	if err := n.waitReady(ctx); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, InfoFile), mustJSON(n.Info()), 0o600); err != nil {
		return nil, err
	}
	return n, nil
}

// prepareChainDir returns the Genesis of the chain to run: the one in
// DIR/devnet if there is one (resumed = true), else Config.Genesis or a new
// one, saved there.
func prepareChainDir(cfg Config, dir, chainDir string) (g *Genesis, resumed bool, err error) {
	path := filepath.Join(chainDir, GenesisFile)
	if cfg.Reset {
		if err := wipeChainDir(chainDir); err != nil {
			return nil, false, err
		}
	}
	existing, err := readGenesisFile(path)
	if err != nil {
		return nil, false, err
	}
	if existing != nil {
		if err := existing.validate(); err != nil {
			return nil, false, &ExistingChainError{Dir: dir, Reason: fmt.Sprintf("%s is unusable (%v); start with Reset", path, err)}
		}
		switch {
		case cfg.Genesis != nil && !cfg.Genesis.Equal(existing):
			return nil, false, &ExistingChainError{Dir: dir, Reason: "its chain differs from the Genesis asked for"}
		case cfg.Validators != 0 && cfg.Validators != len(existing.Validators):
			return nil, false, &ExistingChainError{Dir: dir, Reason: fmt.Sprintf("it has %d validators, not %d", len(existing.Validators), cfg.Validators)}
		case cfg.ChainID != "" && cfg.ChainID != existing.ChainID:
			return nil, false, &ExistingChainError{Dir: dir, Reason: fmt.Sprintf("its chain-id is %s, not %s", existing.ChainID, cfg.ChainID)}
		}
		cfg.Logf("resuming %s from %s", existing.ChainID, chainDir)
		return existing, true, nil
	}

	// No chain.json: whatever else is in DIR/devnet is the debris of a
	// start that failed before saving it.
	if err := wipeChainDir(chainDir); err != nil {
		return nil, false, err
	}
	if cfg.Genesis != nil {
		if cfg.Validators != 0 && cfg.Validators != len(cfg.Genesis.Validators) {
			return nil, false, &ConfigError{Field: "Validators", Reason: fmt.Sprintf("is %d but Genesis has %d", cfg.Validators, len(cfg.Genesis.Validators))}
		}
		if err := cfg.Genesis.validate(); err != nil {
			return nil, false, err
		}
		g = cfg.Genesis
	} else {
		cfg.Logf("creating a new chain in %s", chainDir)
		if g, err = NewGenesis(cfg); err != nil {
			return nil, false, err
		}
	}
	if err := atomicfile.Write(path, mustJSON(g), 0o600); err != nil {
		return nil, false, err
	}
	return g, false, nil
}

// wipeChainDir empties DIR/devnet except its lock file, which this process
// holds.
func wipeChainDir(chainDir string) error {
	entries, err := os.ReadDir(chainDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == lockFile {
			continue
		}
		if err := os.RemoveAll(filepath.Join(chainDir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// ReadGenesis reads a Genesis saved by a devnet (DIR/devnet/chain.json), to
// start another devnet from it, for instance in another process.
func ReadGenesis(path string) (*Genesis, error) {
	g, err := readGenesisFile(path)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, fmt.Errorf("devnet: %s: %w", path, os.ErrNotExist)
	}
	if err := g.validate(); err != nil {
		return nil, err
	}
	return g, nil
}

func readGenesisFile(path string) (*Genesis, error) {
	bz, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var g Genesis
	err = json.Unmarshal(bz, &g)
	if err == nil {
		g.Doc, err = compactJSON(g.Doc)
	}
	if err != nil {
		return nil, &ExistingChainError{Dir: filepath.Dir(filepath.Dir(path)), Reason: fmt.Sprintf("%s does not parse: %v", path, err)}
	}
	return &g, nil
}

// writeKeyring puts the accounts into DIR's test keyring. A key of the same
// name and address is left alone; one with another address is an error
// unless replace is set (a new chain replaces its own accounts' keys).
func writeKeyring(dir string, enc Encoding, accounts []Account, replace bool) error {
	kr, err := keyring.New(KeyringAppName, keyring.BackendTest, dir, nil, enc.Codec)
	if err != nil {
		return fmt.Errorf("devnet: opening keyring: %w", err)
	}
	for _, acc := range accounts {
		rec, err := kr.Key(acc.Name)
		if err == nil {
			addr, err := rec.GetAddress()
			if err != nil {
				return err
			}
			if addr.String() == acc.Address {
				continue
			}
			if !replace {
				return &KeyConflictError{Name: acc.Name, Existing: addr.String(), Wanted: acc.Address}
			}
			if err := kr.Delete(acc.Name); err != nil {
				return fmt.Errorf("devnet: replacing key %q: %w", acc.Name, err)
			}
		} else if !errors.Is(err, sdkerrors.ErrKeyNotFound) {
			return fmt.Errorf("devnet: reading key %q: %w", acc.Name, err)
		}
		rec, err = kr.NewAccount(acc.Name, acc.Mnemonic, "", HDPath, hd.Secp256k1)
		if err != nil {
			return fmt.Errorf("devnet: storing key %q: %w", acc.Name, err)
		}
		if addr, err := rec.GetAddress(); err != nil || addr.String() != acc.Address {
			return fmt.Errorf("devnet: key %q derives to %v, not %s", acc.Name, addr, acc.Address)
		}
	}
	return nil
}

// dialedPeers are the validators a new validator dials, among those
// started before it (earlier, in order): the ones 1, 2, 4, 8 and 16
// places back. With three validators or fewer that is all of them;
// beyond, every validator has a handful of peers (at most five dialled,
// about as many dialling it) and a vote reaches every validator in a few
// hops. A full mesh of 30 in-process validators (435 encrypted
// connections, every vote sent to 29 peers by each) spent most of two
// cores on gossip and made a block take about six seconds.
func dialedPeers(earlier []string) []string {
	var peers []string
	for d := 1; d <= 16 && d <= len(earlier); d *= 2 {
		peers = append(peers, earlier[len(earlier)-d])
	}
	return peers
}

func startWithRetry(ctx context.Context, v *validator, p nodeParams) error {
	var err error
	for range startAttempts {
		var ports []int
		if ports, err = portPicker(2); err != nil {
			return err
		}
		err = v.start(ctx, p, ports[0], ports[1])
		if err == nil || !isAddrInUse(err) {
			return err
		}
	}
	return err
}

// waitReady waits for every validator to reach readyHeight and, on a
// resumed chain, to commit a new block: the proof that consensus is live.
func (n *Network) waitReady(ctx context.Context) error {
	ctx, cancel := n.cfg.startContext(ctx)
	defer cancel()
	target := int64(readyHeight)
	for i := range n.vals {
		if h, err := n.LatestHeight(ctx, i); err == nil && h+1 > target {
			target = h + 1
		}
	}
	for i := range n.vals {
		if err := n.waitHeight(ctx, i, target); err != nil {
			return &NotReadyError{Validator: n.vals[i].name, Height: target, Err: err}
		}
	}
	for i := range n.full {
		if err := n.WaitForFullNodeHeight(ctx, i, target); err != nil {
			return &NotReadyError{Validator: n.full[i].name, Height: target, Err: err}
		}
	}
	return nil
}

func mustJSON(v any) []byte {
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // only plain structs of strings, numbers and bytes
	}
	return append(bz, '\n')
}

// Info describes the running devnet.
func (n *Network) Info() Info {
	n.nodesMu.Lock()
	defer n.nodesMu.Unlock()
	info := Info{
		ChainID:        n.genesis.ChainID,
		Accounts:       append([]Account(nil), n.genesis.Accounts...),
		Denom:          Denom,
		KeyringBackend: keyring.BackendTest,
		KeyringDir:     n.dir,
		Home:           n.dir,
		PID:            os.Getpid(),
		GenesisTime:    n.genTime.UTC().Format(time.RFC3339Nano),
	}
	for _, v := range n.vals {
		vi := v.info()
		info.Validators = append(info.Validators, vi)
		info.RPC = append(info.RPC, vi.RPC)
		info.GRPC = append(info.GRPC, vi.GRPC)
		info.API = append(info.API, vi.API)
	}
	for _, v := range n.full {
		info.FullNodes = append(info.FullNodes, v.fullInfo())
	}
	return info
}

// ChainID is the devnet's chain-id.
func (n *Network) ChainID() string { return n.genesis.ChainID }

// Dir is the devnet's home directory (absolute).
func (n *Network) Dir() string { return n.dir }

// InfoPath is the path of DIR/devnet.json.
func (n *Network) InfoPath() string { return filepath.Join(n.dir, InfoFile) }

// RPC returns the validators' CometBFT RPC URLs, validator0 first.
func (n *Network) RPC() []string { return n.Info().RPC }

// Accounts returns the funded accounts.
func (n *Network) Accounts() []Account { return append([]Account(nil), n.genesis.Accounts...) }

// Account returns the funded account or validator operator named name.
func (n *Network) Account(name string) (Account, error) {
	for _, a := range n.genesis.Accounts {
		if a.Name == name {
			return a, nil
		}
	}
	for _, v := range n.genesis.Validators {
		if v.Operator.Name == name {
			return v.Operator, nil
		}
	}
	return Account{}, &UnknownAccountError{Name: name}
}

// Validators describes the running validators.
func (n *Network) Validators() []ValidatorInfo { return n.Info().Validators }

// Genesis returns the chain's genesis and keys, to start another devnet
// from (see Genesis).
func (n *Network) Genesis() *Genesis { return n.genesis }

// Resumed reports whether Start resumed a chain found in DIR.
func (n *Network) Resumed() bool { return n.resumed }

// Encoding returns the chain's codecs.
func (n *Network) Encoding() Encoding { return n.enc }

// Client returns a CometBFT RPC client of validator i.
func (n *Network) Client(i int) *rpchttp.HTTP { return n.rpc[i] }

// Done is closed when the network has stopped.
func (n *Network) Done() <-chan struct{} { return n.stopped }

// Stop stops every validator, closes their databases, removes
// DIR/devnet.json and releases DIR. The chain stays in DIR/devnet, to be
// resumed by the next Start. Calling Stop again does nothing.
func (n *Network) Stop() error {
	n.stopOnce.Do(func() {
		n.stopErr = n.shutdown()
		close(n.stopped)
	})
	return n.stopErr
}

func (n *Network) shutdown() error {
	n.closeOnce.Do(func() { close(n.closing) })
	if n.muteLog != nil {
		n.muteLog()
	}
	n.nodesMu.Lock()
	defer n.nodesMu.Unlock()
	// Later validators dialled earlier ones; stopping in reverse order
	// spares the earlier ones a round of reconnection attempts.
	for i := len(n.full) - 1; i >= 0; i-- {
		n.full[i].stop()
	}
	for i := len(n.vals) - 1; i >= 0; i-- {
		n.vals[i].stop()
	}
	n.httpc.CloseIdleConnections()
	var err error
	if rmErr := os.Remove(filepath.Join(n.dir, InfoFile)); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		err = rmErr
	}
	n.release()
	return err
}
