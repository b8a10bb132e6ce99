package devnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cmtdb "github.com/cometbft/cometbft-db"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	cmted25519 "github.com/cometbft/cometbft/crypto/ed25519"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtnode "github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	"github.com/cometbft/cometbft/rpc/client/local"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/syndtr/goleveldb/leveldb/opt"
	"google.golang.org/grpc"

	"github.com/akash-wallet/akw/internal/atomicfile"

	"cosmossdk.io/log"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	srvconfig "github.com/cosmos/cosmos-sdk/server/config"
	servergrpc "github.com/cosmos/cosmos-sdk/server/grpc"
	servercmtlog "github.com/cosmos/cosmos-sdk/server/log"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// validator is one running node: a CometBFT node, its SDK app, and the
// app's gRPC and REST servers.
type validator struct {
	name   string
	home   string
	keys   ValidatorKeys
	nodeID p2p.ID

	rpcAddr  string // host:port
	p2pAddr  string
	grpcAddr string
	apiAddr  string

	// full is set on a non-validator full node (see fullnode.go): held
	// is its lag, stopping is closed when it stops.
	full     *FullNode
	held     atomic.Int64
	stopping chan struct{}

	// What the node was last started with, to restart it the same way,
	// and whether it runs the software of the chain's upgrade.
	params           nodeParams
	rpcPort, p2pPort int
	upgraded         bool

	app     *runtime.App
	cmt     *cmtnode.Node
	rpcLis  *rpcListener // the node's RPC port, bound before the node starts
	rpcSrv  *rpcServer   // see rpcserver.go
	dbs     *dbTracker
	grpcSrv *grpc.Server
	apiSrv  *http.Server
	served  sync.WaitGroup // the gRPC and REST serve loops
}

// dbTracker remembers every database CometBFT opens for a node. CometBFT
// closes its block, state and evidence stores on stop but not the tx
// indexer's, and nothing after a failed start; a devnet that is stopped and
// started again in one process (tests do) must not find them still locked.
type dbTracker struct {
	mu  sync.Mutex
	dbs []cmtdb.DB
}

func (t *dbTracker) provider(ctx *cmtcfg.DBContext) (cmtdb.DB, error) {
	raw, err := cmtdb.NewGoLevelDBWithOpts(ctx.ID, ctx.Config.DBDir(), levelDBOptions())
	if err != nil {
		return nil, err
	}
	db := &stopSafeDB{DB: raw}
	t.mu.Lock()
	t.dbs = append(t.dbs, db)
	t.mu.Unlock()
	return db, nil
}

// closeAll closes every tracked database; closing one CometBFT already
// closed is harmless.
func (t *dbTracker) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, db := range t.dbs {
		_ = db.Close()
	}
	t.dbs = nil
}

// levelDBOptions are those of every database of a validator. A devnet's
// data is tiny; goleveldb's defaults (8 MiB block cache, 4 MiB write buffer
// per database, five databases per validator) would only make the process
// grow for minutes towards a few hundred MiB.
func levelDBOptions() *opt.Options {
	return &opt.Options{BlockCacheCapacity: 1 << 20, WriteBuffer: 1 << 20}
}

// nodeParams is what a validator needs from the network to start.
type nodeParams struct {
	cfg      Config
	genesis  *Genesis
	genDoc   *cmttypes.GenesisDoc
	peers    []string // id@host:port of the nodes this one dials
	logger   log.Logger
	encoding Encoding
	leader   func() int64 // validator0's height, for a held full node
}

func newValidator(dir string, i int, keys ValidatorKeys) *validator {
	nodeKey := p2p.NodeKey{PrivKey: cmted25519.PrivKey(keys.NodeKey)}
	return &validator{
		name:   keys.Operator.Name,
		home:   filepath.Join(dir, fmt.Sprintf("%s%d", validatorNamePrefix, i)),
		keys:   keys,
		nodeID: nodeKey.ID(),
	}
}

// writeKeys puts the validator's genesis and keys into its home. An existing
// sign state is kept: it is what stops a restarted validator from signing
// twice at one height.
func (v *validator) writeKeys(c *cmtcfg.Config, genesisDoc []byte) (*privval.FilePV, *p2p.NodeKey, error) {
	for _, d := range []string{filepath.Dir(c.GenesisFile()), c.DBDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, nil, err
		}
	}
	var doc bytes.Buffer
	if err := json.Indent(&doc, genesisDoc, "", "  "); err != nil {
		return nil, nil, err
	}
	if err := atomicfile.Write(c.GenesisFile(), doc.Bytes(), 0o600); err != nil {
		return nil, nil, err
	}
	nodeKey := &p2p.NodeKey{PrivKey: cmted25519.PrivKey(v.keys.NodeKey)}
	if err := nodeKey.SaveAs(c.NodeKeyFile()); err != nil {
		return nil, nil, err
	}
	pv := privval.NewFilePV(cmted25519.PrivKey(v.keys.ConsensusKey), c.PrivValidatorKeyFile(), c.PrivValidatorStateFile())
	state, err := os.ReadFile(c.PrivValidatorStateFile())
	switch {
	case err == nil:
		if err := cmtjson.Unmarshal(state, &pv.LastSignState); err != nil {
			return nil, nil, fmt.Errorf("devnet: %s: reading sign state: %w", v.name, err)
		}
		if err := savePV(func() { pv.Key.Save() }); err != nil {
			return nil, nil, err
		}
	case errors.Is(err, os.ErrNotExist):
		if err := savePV(pv.Save); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, err
	}
	return pv, nodeKey, nil
}

// savePV runs one of privval's Save methods, which panic on I/O errors.
func savePV(save func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("devnet: saving validator key: %v", r)
		}
	}()
	save()
	return nil
}

// cometConfig is the validator's CometBFT configuration: every listener on
// 127.0.0.1, blocks every BlockTime, all history kept and txs indexed.
func (v *validator) cometConfig(p nodeParams, rpcPort, p2pPort int) *cmtcfg.Config {
	c := cmtcfg.DefaultConfig()
	c.SetRoot(v.home)
	c.Moniker = v.name

	c.RPC.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", rpcPort)
	c.RPC.GRPCListenAddress = ""
	c.RPC.PprofListenAddress = ""
	c.Instrumentation.Prometheus = false
	// The app runs in-process (a local ABCI client); nothing listens on
	// proxy_app, but a loopback value keeps the config honest.
	c.ProxyApp = "tcp://127.0.0.1:0"

	c.P2P.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", p2pPort)
	c.P2P.ExternalAddress = ""
	c.P2P.PersistentPeers = strings.Join(p.peers, ",")
	// Loopback peers are fine here, and no peer exchange: a devnet only
	// ever talks to its own validators (two devnets forked from one
	// Genesis must never meet).
	c.P2P.AddrBookStrict = false
	c.P2P.AllowDuplicateIP = true
	c.P2P.PexReactor = false
	c.P2P.Seeds = ""

	c.Consensus.TimeoutCommit = p.cfg.BlockTime
	c.Consensus.TimeoutPropose = 2 * time.Second
	if p.cfg.TimeoutPropose > 0 {
		c.Consensus.TimeoutPropose = p.cfg.TimeoutPropose
	}
	c.Consensus.CreateEmptyBlocks = true
	c.StateSync.Enable = false

	c.TxIndex.Indexer = "kv"
	for _, i := range p.cfg.TxIndexOff {
		if v.name == fmt.Sprintf("%s%d", validatorNamePrefix, i) {
			c.TxIndex.Indexer = "null"
		}
	}
	c.Storage.DiscardABCIResponses = false
	return c
}

// start starts the validator with the given CometBFT ports. On error
// everything it opened is closed again.
func (v *validator) start(ctx context.Context, p nodeParams, rpcPort, p2pPort int) (err error) {
	c := v.cometConfig(p, rpcPort, p2pPort)
	if err := c.ValidateBasic(); err != nil {
		return fmt.Errorf("devnet: %s: comet config: %w", v.name, err)
	}
	// The RPC port first: taken, it is the caller's cue to pick others.
	rpcLis, err := listenRPC(fmt.Sprintf("127.0.0.1:%d", rpcPort), c.RPC.MaxOpenConnections)
	if err != nil {
		return fmt.Errorf("devnet: %s: rpc: %w", v.name, err)
	}
	v.rpcLis = rpcLis
	defer func() {
		if err != nil && v.rpcLis != nil {
			v.rpcLis.closeAll()
			v.rpcLis = nil
		}
	}()
	pv, nodeKey, err := v.writeKeys(c, p.genesis.Doc)
	if err != nil {
		return err
	}
	logger := p.logger.With("validator", v.name)

	appDB, err := openAppDB(c.DBDir())
	if err != nil {
		return fmt.Errorf("devnet: %s: opening app db: %w", v.name, err)
	}
	var keepRecent int64
	if v.full != nil {
		keepRecent = v.full.KeepRecent
	}
	app, err := newApp(logger, appDB, appParams{
		chainID:      p.genesis.ChainID,
		minGasPrices: p.cfg.MinGasPrices,
		keepRecent:   keepRecent,
		home:         v.home,
		upgrade:      p.genesis.Upgrade,
		rewrite:      p.cfg.RewriteProposal,
	})
	if err != nil {
		_ = appDB.Close()
		return err
	}
	v.app = app
	v.params, v.rpcPort, v.p2pPort = p, rpcPort, p2pPort
	// An app on the chain's new software, or on a chain without upgrade,
	// has nothing to wait for (see watchUpgrade).
	v.upgraded = p.genesis.Upgrade == nil || app.LastBlockHeight() >= p.genesis.Upgrade.Height-1
	v.dbs = &dbTracker{}
	defer func() {
		if err != nil {
			v.stop()
		}
	}()

	genDoc := p.genDoc
	v.stopping = make(chan struct{})
	var abciApp abci.Application = server.NewCometABCIWrapper(app)
	if v.full != nil {
		abciApp = &fullNodeApp{Application: abciApp, v: v, leader: p.leader, stopping: v.stopping}
	}
	node, err := cmtnode.NewNodeWithContext(ctx, c, pv, nodeKey,
		proxy.NewLocalClientCreator(abciApp),
		func() (*cmttypes.GenesisDoc, error) { return genDoc, nil },
		v.dbs.provider,
		cmtnode.DefaultMetricsProvider(c.Instrumentation),
		servercmtlog.CometLoggerWrapper{Logger: logger},
	)
	if err != nil {
		return fmt.Errorf("devnet: %s: %w", v.name, err)
	}
	// NewNode has put the RPC address into the node's info (/status);
	// cleared now, it keeps Start from serving the RPC itself: the
	// devnet serves it (serveRPC), so that stop ends every connection.
	c.RPC.ListenAddress = ""
	if err := node.Start(); err != nil {
		// A failed Start does not stop what NewNode started (event bus,
		// indexer) nor close the listeners it opened; OnStop does both.
		node.OnStop()
		return fmt.Errorf("devnet: %s: starting node: %w", v.name, err)
	}
	v.cmt = node
	v.rpcSrv, err = serveRPC(node, c, v.rpcLis, logger)
	if err != nil {
		return fmt.Errorf("devnet: %s: rpc: %w", v.name, err)
	}
	v.rpcAddr = fmt.Sprintf("127.0.0.1:%d", rpcPort)
	v.p2pAddr = fmt.Sprintf("127.0.0.1:%d", p2pPort)
	return v.startServers(p, logger)
}

// startServers starts the app's gRPC and REST (gRPC-gateway) servers on
// listeners it opens itself, so their ports cannot be taken in between.
func (v *validator) startServers(p nodeParams, logger log.Logger) error {
	srvCfg := srvconfig.DefaultConfig()
	srvCfg.MinGasPrices = p.cfg.MinGasPrices
	srvCfg.API.Enable = true
	srvCfg.API.Swagger = false
	srvCfg.GRPC.Enable = true
	srvCfg.GRPCWeb.Enable = false
	srvCfg.Telemetry.Enabled = false

	grpcLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	apiLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = grpcLis.Close()
		return err
	}
	v.grpcAddr = grpcLis.Addr().String()
	v.apiAddr = apiLis.Addr().String()
	srvCfg.GRPC.Address = v.grpcAddr
	srvCfg.API.Address = "tcp://" + v.apiAddr

	clientCtx := client.Context{}.
		WithClient(local.New(v.cmt)).
		WithChainID(p.genesis.ChainID).
		WithCodec(p.encoding.Codec).
		WithInterfaceRegistry(p.encoding.InterfaceRegistry).
		WithTxConfig(p.encoding.TxConfig).
		WithLegacyAmino(p.encoding.Amino).
		WithAccountRetriever(authtypes.AccountRetriever{})
	v.app.RegisterTxService(clientCtx)
	v.app.RegisterTendermintService(clientCtx)
	v.app.RegisterNodeService(clientCtx, *srvCfg)

	grpcSrv, clientCtx, err := servergrpc.NewGRPCServerAndContext(clientCtx, v.app, srvCfg.GRPC, logger.With(log.ModuleKey, "grpc-server"))
	if err != nil {
		_ = grpcLis.Close()
		_ = apiLis.Close()
		return fmt.Errorf("devnet: %s: gRPC server: %w", v.name, err)
	}
	v.grpcSrv = grpcSrv

	apiSrv := api.New(clientCtx, logger.With(log.ModuleKey, "api-server"), grpcSrv)
	v.app.RegisterAPIRoutes(apiSrv, srvCfg.API)
	apiSrv.Router.PathPrefix("/").Handler(apiSrv.GRPCGatewayRouter)
	v.apiSrv = &http.Server{Handler: apiSrv.Router, ReadHeaderTimeout: 10 * time.Second}

	v.served.Add(2)
	go func() { defer v.served.Done(); _ = grpcSrv.Serve(grpcLis) }()
	go func() { defer v.served.Done(); _ = v.apiSrv.Serve(apiLis) }()
	return nil
}

// stop stops whatever of the validator runs and closes its databases.
func (v *validator) stop() {
	if v.apiSrv != nil {
		_ = v.apiSrv.Close()
	}
	if v.grpcSrv != nil {
		v.grpcSrv.Stop()
	}
	v.served.Wait()
	v.apiSrv, v.grpcSrv = nil, nil
	if v.stopping != nil {
		// A held full node's FinalizeBlock returns, so that CometBFT's
		// consensus can stop.
		close(v.stopping)
		v.stopping = nil
	}
	// The RPC before the node: no client is answered by a node that
	// stops, or has stopped (rpcserver.go).
	if v.rpcSrv != nil {
		v.rpcSrv.stop()
		v.rpcSrv = nil
	}
	if v.rpcLis != nil {
		v.rpcLis.closeAll()
		v.rpcLis = nil
	}
	if v.cmt != nil {
		if v.cmt.IsRunning() {
			_ = v.cmt.Stop()
			v.cmt.Wait()
		}
		// The node does not stop its ABCI connections; their watchdog
		// goroutine would outlive it.
		_ = v.cmt.ProxyApp().Stop()
		v.cmt = nil
	}
	if v.dbs != nil {
		v.dbs.closeAll()
		v.dbs = nil
	}
	if v.app != nil {
		_ = v.app.Close()
		v.app = nil
	}
}

// info describes the running validator.
func (v *validator) info() ValidatorInfo {
	op, _ := v.keys.Operator.AccAddress()
	consPub := cmted25519.PrivKey(v.keys.ConsensusKey).PubKey()
	return ValidatorInfo{
		Name:             v.name,
		OperatorAddress:  sdk.ValAddress(op).String(),
		AccountAddress:   v.keys.Operator.Address,
		ConsensusAddress: sdk.ConsAddress(consPub.Address()).String(),
		NodeID:           string(v.nodeID),
		RPC:              "http://" + v.rpcAddr,
		GRPC:             v.grpcAddr,
		API:              "http://" + v.apiAddr,
		P2P:              v.p2pAddr,
	}
}

// peerAddress is the validator's persistent-peer entry.
func (v *validator) peerAddress() string {
	return fmt.Sprintf("%s@%s", v.nodeID, v.p2pAddr)
}
