package devnet_test

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	sdkmath "cosmossdk.io/math"

	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/address"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	txmodule "github.com/cosmos/cosmos-sdk/x/auth/tx/config"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-wallet/akw/internal/config"
	"github.com/akash-wallet/akw/internal/devnet"
	"github.com/akash-wallet/akw/internal/testctx"
)

// TestLifecycle starts a devnet, checks what it promises while it runs,
// stops it, and starts it again (resume, refusal, reset).
func TestLifecycle(t *testing.T) {
	dir := t.TempDir()
	ctx := testctx.New(t)
	goroutinesBefore := runtime.NumGoroutine()
	rssBefore := rssKiB(t)

	logFile, err := os.Create(filepath.Join(t.TempDir(), "nodes.log"))
	require.NoError(t, err)
	defer logFile.Close()

	began := time.Now()
	n, err := devnet.Start(ctx, devnet.Config{Dir: dir, Log: logFile, Logf: t.Logf})
	require.NoError(t, err)
	ready := time.Since(began)
	stopped := false
	defer func() {
		if !stopped {
			_ = n.Stop()
		}
	}()
	require.False(t, n.Resumed())

	info := n.Info()
	require.Len(t, info.RPC, devnet.DefaultValidators)

	// Time to block 1: block 2's time is when the validators voted for
	// block 1, i.e. when block 1 was committed.
	b2, err := n.Client(0).Block(ctx, ptr(int64(2)))
	require.NoError(t, err)
	t.Logf("MEASURE: Start returned after %s (every validator at height 2); block 1 committed %s after Start began",
		ready.Round(time.Millisecond), b2.Block.Time.Sub(began).Round(time.Millisecond))

	t.Run("devnet.json", func(t *testing.T) {
		path := filepath.Join(dir, devnet.InfoFile)
		require.Equal(t, path, n.InfoPath())
		st, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "devnet.json holds mnemonics")

		var raw map[string]json.RawMessage
		bz, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(bz, &raw))
		for _, k := range []string{"chain_id", "rpc", "accounts"} {
			require.Contains(t, raw, k)
		}
		got, err := devnet.ReadInfo(dir)
		require.NoError(t, err)
		require.Equal(t, devnet.ChainID, got.ChainID)
		require.Equal(t, info.RPC, got.RPC)
		require.Len(t, got.Accounts, 3)
		for i, name := range []string{"alice", "bob", "carol"} {
			a := got.Accounts[i]
			require.Equal(t, name, a.Name)
			require.True(t, strings.HasPrefix(a.Address, "akash1"), a.Address)
			require.Len(t, strings.Fields(a.Mnemonic), 24)
			// The address is the mnemonic's at m/44'/118'/0'/0/0.
			priv, err := a.PrivKey()
			require.NoError(t, err)
			require.Equal(t, a.Address, sdk.AccAddress(priv.PubKey().Address()).String())
		}
		for _, v := range got.Validators {
			require.True(t, strings.HasPrefix(v.OperatorAddress, "akashvaloper1"), v.OperatorAddress)
			require.True(t, strings.HasPrefix(v.ConsensusAddress, "akashvalcons1"), v.ConsensusAddress)
		}
	})

	t.Run("validators agree", func(t *testing.T) {
		var hash1 string
		for i, url := range info.RPC {
			require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
			st, err := n.Client(i).Status(ctx)
			require.NoError(t, err)
			require.Equal(t, devnet.ChainID, st.NodeInfo.Network)
			b, err := n.Client(i).Block(ctx, ptr(int64(1)))
			require.NoError(t, err)
			if i == 0 {
				hash1 = b.BlockID.Hash.String()
			}
			require.Equal(t, hash1, b.BlockID.Hash.String(), "validator %d has another block 1", i)
			vals, err := n.Client(i).Validators(ctx, ptr(int64(2)), nil, nil)
			require.NoError(t, err)
			require.Len(t, vals.Validators, devnet.DefaultValidators)
		}
	})

	t.Run("heights advance", func(t *testing.T) {
		h0, err := n.LatestHeight(ctx, 0)
		require.NoError(t, err)
		start := time.Now()
		require.NoError(t, n.WaitForHeight(ctx, h0+3))
		perBlock := time.Since(start) / 3
		// Measured, not asserted: on a loaded machine consensus rounds
		// time out and a block takes several seconds; what must hold is
		// that the heights advance (within ctx's bound).
		t.Logf("MEASURE: ~%s per block", perBlock.Round(10*time.Millisecond))
	})

	t.Run("listeners are loopback", func(t *testing.T) {
		want := map[int]string{}
		for _, v := range info.Validators {
			for what, hostport := range map[string]string{"rpc": strings.TrimPrefix(v.RPC, "http://"), "p2p": v.P2P, "grpc": v.GRPC, "api": strings.TrimPrefix(v.API, "http://")} {
				host, port, err := net.SplitHostPort(hostport)
				require.NoError(t, err)
				require.Equal(t, "127.0.0.1", host, "%s %s of %s", what, hostport, v.Name)
				p, _ := strconv.Atoi(port)
				want[p] = v.Name + " " + what
			}
		}
		listening := processListeners(t)
		for port, what := range want {
			require.Contains(t, listening, port, "%s is not listening", what)
		}
		for port, ip := range listening {
			require.Equal(t, "127.0.0.1", ip, "this process listens on %s:%d", ip, port)
		}
	})

	t.Run("grpc and rest serve", func(t *testing.T) {
		addr := info.Accounts[0].Address
		for _, v := range info.Validators {
			resp, err := http.Get(v.API + "/cosmos/bank/v1beta1/balances/" + addr)
			require.NoError(t, err)
			var body struct {
				Balances []struct{ Denom, Amount string } `json:"balances"`
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			// alice holds AKT, ACT and the IBC voucher; the REST
			// answer lists them by denom.
			require.Len(t, body.Balances, 3)
			require.Equal(t, devnet.IBCDenom, body.Balances[0].Denom)
			require.Equal(t, devnet.ActDenom, body.Balances[1].Denom)
			require.Equal(t, devnet.Denom, body.Balances[2].Denom)

			conn, err := grpc.NewClient(v.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(n.Encoding().InterfaceRegistry).GRPCCodec())))
			require.NoError(t, err)
			res, err := banktypes.NewQueryClient(conn).Balance(ctx, &banktypes.QueryBalanceRequest{Address: addr, Denom: devnet.Denom})
			conn.Close()
			require.NoError(t, err)
			require.Equal(t, body.Balances[2].Amount, res.Balance.Amount.String())
		}
	})

	t.Run("keyring", func(t *testing.T) {
		kr, err := keyring.New(devnet.KeyringAppName, keyring.BackendTest, dir, nil, n.Encoding().Codec)
		require.NoError(t, err)
		recs, err := kr.List()
		require.NoError(t, err)
		got := map[string]string{}
		for _, r := range recs {
			a, err := r.GetAddress()
			require.NoError(t, err)
			got[r.Name] = a.String()
		}
		want := map[string]string{}
		for _, a := range info.Accounts {
			want[a.Name] = a.Address
		}
		require.Equal(t, want, got)
		require.DirExists(t, filepath.Join(dir, devnet.KeyringSubdir))
	})

	alice, err := n.Account("alice")
	require.NoError(t, err)
	bob, err := n.Account("bob")
	require.NoError(t, err)
	cctx := n.ClientContext(1)
	bank := banktypes.NewQueryClient(cctx)
	balance := func(addr string) sdkmath.Int {
		res, err := bank.Balance(ctx, &banktypes.QueryBalanceRequest{Address: addr, Denom: devnet.Denom})
		require.NoError(t, err)
		return res.Balance.Amount
	}

	var sendHash string
	t.Run("send", func(t *testing.T) {
		before := balance(bob.Address)
		require.Equal(t, devnet.AccountBalance.String(), balance(alice.Address).String())
		amt := sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1_234_567))
		res, err := n.Send(ctx, "alice", bob.Address, amt)
		require.NoError(t, err)
		require.Positive(t, res.Height)
		sendHash = res.Hash
		// Queries go to validator 1: it must have the block too.
		require.NoError(t, n.WaitForHeight(ctx, res.Height))
		require.Equal(t, before.AddRaw(1_234_567).String(), balance(bob.Address).String())

		// The fee was the minimum: 400000 gas at 0.0025uakt = 1000uakt.
		require.Equal(t, devnet.AccountBalance.SubRaw(1_234_567+1000).String(), balance(alice.Address).String())
	})

	t.Run("tx indexed", func(t *testing.T) {
		require.NotEmpty(t, sendHash)
		// A node indexes a block's transactions after it commits the
		// block, in a goroutine of its own: on a busy machine a node may
		// answer "not found" for a moment. Each "not found" waits for the
		// next block and asks again, until the test's deadline.
		for _, url := range info.RPC {
			for {
				resp, err := http.Get(url + "/tx?hash=0x" + sendHash)
				require.NoError(t, err)
				var body struct {
					Result struct {
						Hash   string `json:"hash"`
						Height string `json:"height"`
					} `json:"result"`
					Error json.RawMessage `json:"error"`
				}
				require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
				resp.Body.Close()
				if body.Error != nil && strings.Contains(string(body.Error), "not found") {
					h, err := n.LatestHeight(ctx, 0)
					require.NoError(t, err)
					require.NoError(t, n.WaitForHeight(ctx, h+1), "the transaction was never indexed by %s", url)
					continue
				}
				require.Nil(t, body.Error)
				require.Equal(t, sendHash, body.Result.Hash)
				break
			}
		}
	})

	t.Run("unordered send", func(t *testing.T) {
		before := balance(alice.Address)
		_, err := n.Send(ctx, "bob", alice.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 7)), devnet.Unordered(time.Minute))
		require.NoError(t, err)
		require.Equal(t, before.AddRaw(7).String(), balance(alice.Address).String())
	})

	t.Run("sign modes", func(t *testing.T) {
		// Amino JSON (what a Ledger signs) is accepted.
		_, err := n.Send(ctx, "carol", bob.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 11)),
			devnet.WithSignMode(signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON))
		require.NoError(t, err)

		// SIGN_MODE_TEXTUAL is not, as on Akash mainnet.
		textual, err := authtx.NewTxConfigWithOptions(n.Encoding().Codec, authtx.ConfigOptions{
			EnabledSignModes:           []signing.SignMode{signing.SignMode_SIGN_MODE_TEXTUAL},
			TextualCoinMetadataQueryFn: txmodule.NewGRPCCoinMetadataQueryFn(cctx),
		})
		require.NoError(t, err)
		carol, err := n.Account("carol")
		require.NoError(t, err)
		priv, err := carol.PrivKey()
		require.NoError(t, err)
		ai, err := authtypes.NewQueryClient(cctx).AccountInfo(ctx, &authtypes.QueryAccountInfoRequest{Address: carol.Address})
		require.NoError(t, err)
		b := textual.NewTxBuilder()
		require.NoError(t, b.SetMsgs(banktypes.NewMsgSend(sdk.MustAccAddressFromBech32(carol.Address), sdk.MustAccAddressFromBech32(bob.Address), sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 13)))))
		b.SetGasLimit(200_000)
		b.SetFeeAmount(sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1000)))
		seq := ai.Info.Sequence
		require.NoError(t, b.SetSignatures(signing.SignatureV2{PubKey: priv.PubKey(), Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_TEXTUAL}, Sequence: seq}))
		sig, err := clienttx.SignWithPrivKey(ctx, signing.SignMode_SIGN_MODE_TEXTUAL, authsigning.SignerData{
			Address: carol.Address, ChainID: n.ChainID(), AccountNumber: ai.Info.AccountNumber, Sequence: seq, PubKey: priv.PubKey(),
		}, b, priv, textual, seq)
		require.NoError(t, err)
		require.NoError(t, b.SetSignatures(sig))
		bz, err := textual.TxEncoder()(b.GetTx())
		require.NoError(t, err)
		res, err := n.Client(0).BroadcastTxSync(ctx, bz)
		require.NoError(t, err)
		require.NotZero(t, res.Code, "a SIGN_MODE_TEXTUAL transaction was accepted")
		t.Logf("textual rejected: %s", res.Log)
	})

	t.Run("rejected tx", func(t *testing.T) {
		_, err := n.Send(ctx, "carol", bob.Address, sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.AccountBalance.MulRaw(2))))
		var txErr *devnet.TxError
		require.ErrorAs(t, err, &txErr)
		require.Equal(t, "sdk", txErr.Codespace)
		require.Equal(t, uint32(5), txErr.Code, txErr.Log) // insufficient funds
	})

	t.Run("delegate", func(t *testing.T) {
		val := info.Validators[1].OperatorAddress
		_, err := n.Delegate(ctx, "alice", val, sdk.NewInt64Coin(devnet.Denom, 5_000_000))
		require.NoError(t, err)
		res, err := stakingtypes.NewQueryClient(cctx).Delegation(ctx, &stakingtypes.QueryDelegationRequest{DelegatorAddr: alice.Address, ValidatorAddr: val})
		require.NoError(t, err)
		require.Equal(t, "5000000", res.DelegationResponse.Balance.Amount.String())
	})

	t.Run("proposal and vote", func(t *testing.T) {
		id, _, err := n.SubmitProposal(ctx, "carol", "Devnet test", "A text proposal.", sdk.NewCoins(sdk.NewCoin(devnet.Denom, devnet.MinDeposit)))
		require.NoError(t, err)
		require.Positive(t, id)
		gov := govv1.NewQueryClient(cctx)
		p, err := gov.Proposal(ctx, &govv1.QueryProposalRequest{ProposalId: id})
		require.NoError(t, err)
		require.Equal(t, govv1.StatusVotingPeriod, p.Proposal.Status)
		require.WithinDuration(t, p.Proposal.VotingStartTime.Add(devnet.DefaultVotingPeriod), *p.Proposal.VotingEndTime, time.Second)

		_, err = n.Vote(ctx, "validator0", id, govv1.OptionYes, devnet.ViaValidator(1))
		require.NoError(t, err)
		v, err := gov.Vote(ctx, &govv1.QueryVoteRequest{ProposalId: id, Voter: info.Validators[0].AccountAddress})
		require.NoError(t, err)
		require.Equal(t, govv1.OptionYes, v.Vote.Options[0].Option)
	})

	t.Run("proofs at recent and old heights", func(t *testing.T) {
		addr, err := sdk.AccAddressFromBech32(alice.Address)
		require.NoError(t, err)
		key := append(append([]byte{2}, address.MustLengthPrefix(addr)...), devnet.Denom...)
		latest, err := n.LatestHeight(ctx, 0)
		require.NoError(t, err)
		for _, h := range []int64{2, latest - 1} {
			res, err := n.Client(0).ABCIQueryWithOptions(ctx, "/store/bank/key", key, rpcclient.ABCIQueryOptions{Height: h, Prove: true})
			require.NoError(t, err)
			require.Zero(t, res.Response.Code, res.Response.Log)
			require.Equal(t, h, res.Response.Height)
			require.NotEmpty(t, res.Response.Value)
			require.NotNil(t, res.Response.ProofOps)
			require.Len(t, res.Response.ProofOps.Ops, 2, "iavl + multistore proof")
		}
	})

	t.Run("second start on a running dir", func(t *testing.T) {
		_, err := devnet.Start(ctx, devnet.Config{Dir: dir})
		require.ErrorIs(t, err, devnet.ErrInUse)
		// The running devnet is untouched.
		_, err = os.Stat(n.InfoPath())
		require.NoError(t, err)
	})

	t.Run("configure home", func(t *testing.T) {
		home := t.TempDir()
		cfgFile, err := devnet.ConfigureHome(home, &info, dir)
		require.NoError(t, err)
		f, err := config.Load(cfgFile)
		require.NoError(t, err)
		require.Equal(t, config.Devnet, f.Network)
		require.Equal(t, "test", f.KeyringBackend)
		require.Equal(t, dir, f.KeyringDir)
		net, err := f.LookupNetwork(f.Network)
		require.NoError(t, err)
		require.Equal(t, info.RPC[0], net.RPC)
		require.Equal(t, info.RPC[1:], net.Witnesses)
		require.Equal(t, devnet.ChainID, net.ChainID)
	})

	rss := rssKiB(t)
	t.Logf("MEASURE: RSS %d MiB with the devnet running (%d MiB before Start), %d goroutines",
		rss/1024, rssBefore/1024, runtime.NumGoroutine())

	lastHeight, err := n.LatestHeight(ctx, 0)
	require.NoError(t, err)
	bobBalance := balance(bob.Address)
	genesis := n.Genesis()

	// Stop: everything closes, ports are free, goroutines are gone.
	began = time.Now()
	require.NoError(t, n.Stop())
	stopped = true
	t.Logf("MEASURE: Stop took %s", time.Since(began).Round(time.Millisecond))
	require.NoError(t, n.Stop(), "second Stop is a no-op")
	select {
	case <-n.Done():
	default:
		t.Fatal("Done not closed after Stop")
	}
	require.NoFileExists(t, n.InfoPath())
	for _, v := range info.Validators {
		for _, hp := range []string{strings.TrimPrefix(v.RPC, "http://"), v.P2P, v.GRPC, strings.TrimPrefix(v.API, "http://")} {
			l, err := net.Listen("tcp", hp)
			require.NoError(t, err, "port %s still taken after Stop", hp)
			l.Close()
		}
	}
	require.Empty(t, processListeners(t), "listeners left after Stop")
	waitGoroutines(t, goroutinesBefore)
	_, err = n.Send(ctx, "alice", bob.Address, sdk.NewCoins(sdk.NewInt64Coin(devnet.Denom, 1)))
	require.ErrorIs(t, err, devnet.ErrStopped)

	t.Run("read genesis", func(t *testing.T) {
		g, err := devnet.ReadGenesis(filepath.Join(dir, devnet.ChainDir, devnet.GenesisFile))
		require.NoError(t, err)
		require.True(t, genesis.Equal(g))
		_, err = devnet.ReadGenesis(filepath.Join(dir, "nope.json"))
		require.ErrorIs(t, err, os.ErrNotExist)
		_, err = devnet.ReadGenesis(filepath.Join(dir, devnet.KeyringSubdir))
		require.Error(t, err)
	})

	t.Run("resume", func(t *testing.T) {
		n2, err := devnet.Start(ctx, devnet.Config{Dir: dir})
		require.NoError(t, err)
		defer n2.Stop()
		require.True(t, n2.Resumed())
		require.True(t, genesis.Equal(n2.Genesis()), "resumed another chain")
		h, err := n2.LatestHeight(ctx, 0)
		require.NoError(t, err)
		require.Greater(t, h, lastHeight)
		res, err := banktypes.NewQueryClient(n2.ClientContext(0)).Balance(ctx, &banktypes.QueryBalanceRequest{Address: bob.Address, Denom: devnet.Denom})
		require.NoError(t, err)
		require.Equal(t, bobBalance.String(), res.Balance.Amount.String())
		// The chain goes on producing blocks.
		_, err = n2.WaitForNextBlock(ctx)
		require.NoError(t, err)
		info2, err := devnet.ReadInfo(dir)
		require.NoError(t, err)
		require.Equal(t, n2.Info().RPC, info2.RPC)
	})

	t.Run("refuse another validator count", func(t *testing.T) {
		_, err := devnet.Start(ctx, devnet.Config{Dir: dir, Validators: 3})
		var ec *devnet.ExistingChainError
		require.ErrorAs(t, err, &ec)
		require.FileExists(t, filepath.Join(dir, devnet.ChainDir, devnet.GenesisFile))
	})

	t.Run("reset", func(t *testing.T) {
		// A file of the user's in DIR must survive the reset.
		mine := filepath.Join(dir, "config.toml")
		require.NoError(t, os.WriteFile(mine, []byte("network = \"devnet\"\n"), 0o600))
		n3, err := devnet.Start(ctx, devnet.Config{Dir: dir, Validators: 1, Reset: true})
		require.NoError(t, err)
		defer n3.Stop()
		require.False(t, n3.Resumed())
		require.Len(t, n3.RPC(), 1)
		require.NotEqual(t, genesis.Accounts[0].Address, n3.Accounts()[0].Address)
		kr, err := keyring.New(devnet.KeyringAppName, keyring.BackendTest, dir, nil, n3.Encoding().Codec)
		require.NoError(t, err)
		rec, err := kr.Key("alice")
		require.NoError(t, err)
		a, err := rec.GetAddress()
		require.NoError(t, err)
		require.Equal(t, n3.Accounts()[0].Address, a.String())
		require.FileExists(t, mine)
	})
}

// TestKeyConflict: a new chain never overwrites a key it did not create.
func TestKeyConflict(t *testing.T) {
	dir := t.TempDir()
	g, err := devnet.NewGenesis(devnet.Config{Validators: 1})
	require.NoError(t, err)
	enc, err := devnet.AppEncoding()
	require.NoError(t, err)
	kr, err := keyring.New(devnet.KeyringAppName, keyring.BackendTest, dir, nil, enc.Codec)
	require.NoError(t, err)
	_, _, err = kr.NewMnemonic("alice", keyring.English, devnet.HDPath, "", hd.Secp256k1)
	require.NoError(t, err)

	_, err = devnet.Start(testctx.New(t), devnet.Config{Dir: dir, Genesis: g})
	var kc *devnet.KeyConflictError
	require.ErrorAs(t, err, &kc)
	require.Equal(t, "alice", kc.Name)
	require.NotContains(t, err.Error(), g.Accounts[0].Mnemonic)
}

func TestConfigErrors(t *testing.T) {
	ctx := context.Background()
	for _, c := range []devnet.Config{
		{},
		{Dir: t.TempDir(), Validators: -1},
		{Dir: t.TempDir(), Validators: devnet.MaxValidators + 1},
		{Dir: t.TempDir(), FullNodes: make([]devnet.FullNode, devnet.MaxFullNodes+1)},
		{Dir: t.TempDir(), FullNodes: []devnet.FullNode{{KeepRecent: 1}}},
		{Dir: t.TempDir(), UpgradeAddsStore: &devnet.UpgradeAddsStore{Height: 2, Name: "newstore"}},
		{Dir: t.TempDir(), UpgradeAddsStore: &devnet.UpgradeAddsStore{Height: 10, Name: "bank"}},
		{Dir: t.TempDir(), UpgradeAddsStore: &devnet.UpgradeAddsStore{Height: 10, Name: "New Store"}},
		{Dir: t.TempDir(), Accounts: []string{"alice", "alice"}},
		{Dir: t.TempDir(), Accounts: []string{"validator0"}},
		{Dir: t.TempDir(), LogLevel: "loud"},
		{Dir: t.TempDir(), BlockTime: time.Millisecond},
	} {
		_, err := devnet.Start(ctx, c)
		var ce *devnet.ConfigError
		require.ErrorAs(t, err, &ce, "%+v", c)
	}
}

// TestFork starts two devnets in one process from one Genesis: they share
// block 1 and then fork, both validly signed by the same validators.
func TestFork(t *testing.T) {
	ctx := testctx.New(t)
	g, err := devnet.NewGenesis(devnet.Config{})
	require.NoError(t, err)

	a, err := devnet.Start(ctx, devnet.Config{Dir: t.TempDir(), Genesis: g})
	require.NoError(t, err)
	defer a.Stop()
	// Let the first chain run ahead, so that the second one's block times
	// are certainly different.
	_, err = a.WaitForNextBlock(ctx)
	require.NoError(t, err)
	b, err := devnet.Start(ctx, devnet.Config{Dir: t.TempDir(), Genesis: g})
	require.NoError(t, err)
	defer b.Stop()

	require.Equal(t, a.ChainID(), b.ChainID())
	require.NotEqual(t, a.RPC(), b.RPC())
	require.NoError(t, b.WaitForHeight(ctx, 3))

	header := func(n *devnet.Network, h int64) (hash, vals, app string) {
		res, err := n.Client(0).Block(ctx, &h)
		require.NoError(t, err)
		return res.BlockID.Hash.String(), res.Block.ValidatorsHash.String(), res.Block.AppHash.String()
	}
	// Block 1 carries the state after InitChain: the same on both. (Its
	// hash may differ: a round-0 timeout changes the proposer.)
	_, av1, aa1 := header(a, 1)
	_, bv1, ba1 := header(b, 1)
	require.Equal(t, aa1, ba1, "genesis state differs")
	require.Equal(t, av1, bv1)
	a3, av3, _ := header(a, 3)
	b3, bv3, _ := header(b, 3)
	require.NotEqual(t, a3, b3, "the chains must have forked by height 3")
	require.Equal(t, av3, bv3, "same validators on both forks")

	// Both commits at height 3 are signed by both validators.
	for _, n := range []*devnet.Network{a, b} {
		c, err := n.Client(0).Commit(ctx, ptr(int64(3)))
		require.NoError(t, err)
		for _, sig := range c.Commit.Signatures {
			require.NotEmpty(t, sig.Signature)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// processListeners returns the TCP sockets this process listens on: port ->
// IP. It matches the socket inodes of /proc/self/fd against
// /proc/self/net/tcp{,6}, so other processes' listeners do not count.
func processListeners(t *testing.T) map[int]string {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	out := map[int]string{}
	for _, file := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6"} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" || !inodes[fields[9]] {
				continue
			}
			ip, port := decodeProcAddr(t, fields[1])
			out[port] = ip
		}
		f.Close()
	}
	return out
}

// decodeProcAddr decodes "0100007F:1F90" (IPv4) or the 32-hex-digit IPv6
// form: the address in host-order 32-bit words, the port big-endian.
func decodeProcAddr(t *testing.T, s string) (string, int) {
	hexIP, hexPort, ok := strings.Cut(s, ":")
	require.True(t, ok, s)
	raw, err := hex.DecodeString(hexIP)
	require.NoError(t, err)
	for i := 0; i+4 <= len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	port, err := strconv.ParseInt(hexPort, 16, 32)
	require.NoError(t, err)
	return net.IP(raw).String(), int(port)
}

func rssKiB(t *testing.T) int {
	bz, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(bz), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			v, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return v
		}
	}
	return 0
}

// waitGoroutines waits for the goroutine count to fall back to about what it
// was before Start; a few long-lived ones (HTTP keep-alive, the SDK's
// telemetry and config singletons) may stay.
func waitGoroutines(t *testing.T, before int) {
	const slack = 10
	// Until the test binary's deadline, which only goroutines that never
	// end reach: a busy machine ends them slowly.
	ctx := testctx.New(t)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for runtime.NumGoroutine() > before+slack && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	if n := runtime.NumGoroutine(); n > before+slack {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%d goroutines after Stop, %d before Start:\n%s", n, before, buf)
	}
	t.Logf("MEASURE: %d goroutines after Stop, %d before Start", runtime.NumGoroutine(), before)
}

// TestConcurrentStarts: devnets in one process may be started at the same
// time (tests running in parallel do).
func TestConcurrentStarts(t *testing.T) {
	ctx := testctx.New(t)
	nets := make([]*devnet.Network, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range nets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nets[i], errs[i] = devnet.Start(ctx, devnet.Config{Dir: t.TempDir(), Validators: 1})
		}()
	}
	wg.Wait()
	for i := range nets {
		require.NoError(t, errs[i])
		defer nets[i].Stop()
	}
	for _, n := range nets {
		_, err := n.WaitForNextBlock(ctx)
		require.NoError(t, err)
	}
	require.NotEqual(t, nets[0].Accounts()[0].Address, nets[1].Accounts()[0].Address)
}
