package main

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/akash-wallet/akw/lightclient/trusted/trustedtest"
)

// TestLightScripts drives `akw light` against synthetic chains served on
// 127.0.0.1 by lightclient/trusted/trustedtest: real JSON-RPC, real
// signatures, and forks that a real devnet cannot produce honestly.
func TestLightScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/light",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir+"/userhome")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/userhome/.config")
			env.Setenv("XDG_DATA_HOME", env.WorkDir+"/userhome/.local/share")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"synthnet":  cmdSynthnet,
			"synthtip":  cmdSynthtip,
			"synthkill": cmdSynthkill,
		},
	})
}

type synthNet struct {
	chains  []*trustedtest.Chain
	servers []*trustedtest.Server
}

var synthNets sync.Map // *testscript.TestScript -> *synthNet

// synthnet [-blocks N] [-tip H] [-witnesses K] [-fork H] [-interval MS] [-age MS] [-hash H]...
//
// Starts a primary and K witnesses serving one synthetic chain (chain-id
// synth-1), or with -fork H, witnesses serving a fork from height H signed
// by the same validators. Its last block is from now, or -age MS ago: a
// header of a known age, so that a script about the trusting period does
// not wait for the clock. Sets AKW_NODE, AKW_WITNESS, AKW_CHAIN_ID, and
// HASH<h> for each -hash h.
func cmdSynthnet(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! synthnet")
	}
	blocks, tip, witnesses, fork, interval, age := int64(60), int64(0), 1, int64(0), time.Duration(0), time.Duration(0)
	var hashes []int64
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			ts.Fatalf("synthnet: %s needs a value", args[i])
		}
		v, err := strconv.ParseInt(args[i+1], 10, 64)
		ts.Check(err)
		switch args[i] {
		case "-blocks":
			blocks = v
		case "-tip":
			tip = v
		case "-witnesses":
			witnesses = int(v)
		case "-fork":
			fork = v
		case "-interval":
			interval = time.Duration(v) * time.Millisecond
		case "-age":
			age = time.Duration(v) * time.Millisecond
		case "-hash":
			hashes = append(hashes, v)
		default:
			ts.Fatalf("synthnet: unknown option %s", args[i])
		}
	}
	chain := trustedtest.NewChain(trustedtest.ChainConfig{ChainID: "synth-1", Validators: 4, Blocks: blocks, ChangesPerBlock: 0.1, Interval: interval,
		End: time.Now().Add(-age)})
	n := &synthNet{chains: []*trustedtest.Chain{chain}}
	witnessChain := chain
	if fork > 0 {
		witnessChain = chain.Fork(fork, "fork")
		n.chains = append(n.chains, witnessChain)
	}
	for _, c := range n.chains {
		if tip > 0 {
			c.SetTip(tip)
		}
	}
	start := func(c *trustedtest.Chain) *trustedtest.Server {
		s, err := trustedtest.Serve(c)
		ts.Check(err)
		ts.Defer(func() { s.Close() })
		n.servers = append(n.servers, s)
		return s
	}
	primary := start(chain)
	var ws []string
	for i := 0; i < witnesses; i++ {
		ws = append(ws, start(witnessChain).URL())
	}
	synthNets.Store(ts, n)
	ts.Setenv("AKW_NODE", primary.URL())
	ts.Setenv("AKW_WITNESS", strings.Join(ws, ","))
	ts.Setenv("AKW_CHAIN_ID", "synth-1")
	ts.Setenv("PRIMARY", primary.URL())
	for i, w := range ws {
		ts.Setenv(fmt.Sprintf("WITNESS%d", i+1), w)
	}
	for _, h := range hashes {
		ts.Setenv(fmt.Sprintf("HASH%d", h), chain.Header(h).Hash().String())
	}
}

func synthOf(ts *testscript.TestScript) *synthNet {
	v, ok := synthNets.Load(ts)
	if !ok {
		ts.Fatalf("no synthnet started")
	}
	return v.(*synthNet)
}

// synthtip H: every chain now serves heights up to H.
func cmdSynthtip(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: synthtip H")
	}
	h, err := strconv.ParseInt(args[0], 10, 64)
	ts.Check(err)
	for _, c := range synthOf(ts).chains {
		c.SetTip(h)
	}
}

// synthkill N: stop server N (0 is the primary), as a node that dies.
func cmdSynthkill(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: synthkill N")
	}
	i, err := strconv.Atoi(args[0])
	ts.Check(err)
	ts.Check(synthOf(ts).servers[i].Close())
}
