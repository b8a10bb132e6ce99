package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
)

// counts are the traffic's running totals.
type counts struct {
	txOK, txFailed, qOK, qFailed atomic.Int64
}

// sendLoop sends 1uakt from alice to bob every `every` through `akw tx
// send`, as a user would, until ctx ends; each answer is appended to log.
func sendLoop(ctx context.Context, akw, home, to, log string, every time.Duration, c *counts) {
	f, err := os.Create(log)
	if err != nil {
		c.txFailed.Add(1)
		return
	}
	defer f.Close()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		tctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		out, err := exec.CommandContext(tctx, akw, "--home", home, "tx", "send", "alice", to, "1uakt", "-y", "-o", "json").CombinedOutput()
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err == nil && provenSend(out) {
			c.txOK.Add(1)
		} else {
			c.txFailed.Add(1)
		}
		fmt.Fprintf(f, "%s err=%v %s\n", time.Now().Format(time.RFC3339), err, out)
	}
}

// provenSend reads the JSON answer of `akw tx send -o json` (after its
// notes on stderr, which CombinedOutput mixes in): code 0 and inclusion
// proven.
func provenSend(out []byte) bool {
	i := bytes.Index(out, []byte("\n{\n"))
	if i < 0 {
		return false
	}
	var res struct {
		Code     uint32 `json:"code"`
		Verified bool   `json:"verified"`
	}
	return json.NewDecoder(bytes.NewReader(out[i+1:])).Decode(&res) == nil && res.Code == 0 && res.Verified
}

// queryLoop is one proxy client: at its share of qps it asks the proxy
// for a verified balance (of a devnet account or of an address never
// asked before) or a devnet account, and counts the answers. Errors are
// kept in errs (the first few) for the report.
func queryLoop(ctx context.Context, url string, accounts []string, id int, every time.Duration, c *counts, errs chan<- string) {
	cli, err := rpchttp.New(url, "/websocket")
	if err != nil {
		c.qFailed.Add(1)
		return
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var (
			path string
			req  []byte
		)
		addr := accounts[(id+i)%len(accounts)]
		switch i % 3 {
		case 0:
			path = "/cosmos.bank.v1beta1.Query/Balance"
			req, _ = (&banktypes.QueryBalanceRequest{Address: addr, Denom: "uakt"}).Marshal()
		case 1:
			// An address nobody asked for: the proxy proves its absence,
			// and its caches must not grow with the addresses asked.
			sum := sha256.Sum256(fmt.Appendf(nil, "soak %d %d", id, i))
			fresh, _ := bech32.ConvertAndEncode("akash", sum[:20])
			path = "/cosmos.bank.v1beta1.Query/Balance"
			req, _ = (&banktypes.QueryBalanceRequest{Address: fresh, Denom: "uakt"}).Marshal()
		default:
			path = "/cosmos.auth.v1beta1.Query/Account"
			req, _ = (&authtypes.QueryAccountRequest{Address: addr}).Marshal()
		}
		qctx, cancel := context.WithTimeout(ctx, time.Minute)
		res, err := cli.ABCIQueryWithOptions(qctx, path, req, rpcclient.ABCIQueryOptions{})
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			c.qFailed.Add(1)
			report(errs, fmt.Sprintf("%s: %v", path, err))
		case res.Response.Code != 0:
			c.qFailed.Add(1)
			report(errs, fmt.Sprintf("%s: code %d: %s", path, res.Response.Code, res.Response.Log))
		default:
			c.qOK.Add(1)
		}
	}
}

func report(errs chan<- string, s string) {
	select {
	case errs <- s:
	default:
	}
}
