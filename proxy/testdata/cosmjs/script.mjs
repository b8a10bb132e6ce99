// cosmjs, a client nobody at akw wrote, against akw proxy.
//
//   node script.mjs config.json
//
// config.json (written by proxy/cosmjs_test.go):
//   {"mode": "honest" | "lying", "proxy": URL, "node": URL, "denom",
//    "alice", "bob", "nobody", "validator", "mnemonic", "gasPrice",
//    "height", "grantMsg"}
//
// honest: StargateClient.connect(proxy) answers getHeight, getChainId,
// getBalance, getAllBalances, getAccount, getDelegation and getBlock as
// the node does, and so do the authz and feegrant query extensions (the
// grants and the fee allowance alice gave bob: config "grantMsg"); a SigningStargateClient with a DirectSecp256k1HdWallet
// sends and delegates through the proxy; the balances after are the
// node's. lying: the node behind the proxy lies about state; every
// query must throw, none may return a value.
//
// Prints one JSON document: {"checks": [{"name", "ok", "proxy", "node"}]}.
import { readFileSync } from "node:fs";
import {
  StargateClient,
  SigningStargateClient,
  GasPrice,
  coin,
  QueryClient,
  setupAuthzExtension,
  setupFeegrantExtension,
} from "@cosmjs/stargate";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const checks = [];

// The authz and feegrant query extensions over a client's own comet
// client (forceGetCometClient is protected in TypeScript only).
function extended(client) {
  return QueryClient.withExtensions(client.forceGetCometClient(), setupAuthzExtension, setupFeegrantExtension);
}

// Plain data for comparison and printing: bytes as hex, bigints as text.
function plain(v) {
  return JSON.parse(
    JSON.stringify(v, (_k, x) => {
      if (typeof x === "bigint") return x.toString();
      if (x instanceof Uint8Array) return Buffer.from(x).toString("hex");
      return x;
    }),
  );
}

function check(name, ok, proxy, node) {
  checks.push({ name, ok: Boolean(ok), proxy: plain(proxy), node: plain(node) });
}

function same(name, proxy, node) {
  check(name, JSON.stringify(plain(proxy)) === JSON.stringify(plain(node)), proxy, node);
}

async function honest() {
  const viaProxy = await StargateClient.connect(cfg.proxy);
  const direct = await StargateClient.connect(cfg.node);

  const [ph, nh] = [await viaProxy.getHeight(), await direct.getHeight()];
  // The proxy's newest is the newest verified header: at most the node's,
  // and close behind it.
  check("getHeight", ph <= nh + 1 && ph >= nh - 5, ph, nh);
  same("getChainId", await viaProxy.getChainId(), await direct.getChainId());
  same("getBalance", await viaProxy.getBalance(cfg.alice, cfg.denom), await direct.getBalance(cfg.alice, cfg.denom));
  same("getAllBalances", await viaProxy.getAllBalances(cfg.alice), await direct.getAllBalances(cfg.alice));
  same("getAccount", await viaProxy.getAccount(cfg.alice), await direct.getAccount(cfg.alice));
  same("getAccount of an address with no account", await viaProxy.getAccount(cfg.nobody), await direct.getAccount(cfg.nobody));
  same("getDelegation", await viaProxy.getDelegation(cfg.alice, cfg.validator), await direct.getDelegation(cfg.alice, cfg.validator));
  same("getBlock", await viaProxy.getBlock(cfg.height), await direct.getBlock(cfg.height));
  const [pq, nq] = [extended(viaProxy), extended(direct)];
  same("authz grants of one type", await pq.authz.grants(cfg.alice, cfg.bob, cfg.grantMsg), await nq.authz.grants(cfg.alice, cfg.bob, cfg.grantMsg));
  same("authz grants", await pq.authz.grants(cfg.alice, cfg.bob, ""), await nq.authz.grants(cfg.alice, cfg.bob, ""));
  same("authz granterGrants", await pq.authz.granterGrants(cfg.alice), await nq.authz.granterGrants(cfg.alice));
  same("authz granteeGrants", await pq.authz.granteeGrants(cfg.bob), await nq.authz.granteeGrants(cfg.bob));
  same("feegrant allowance", await pq.feegrant.allowance(cfg.alice, cfg.bob), await nq.feegrant.allowance(cfg.alice, cfg.bob));
  same("feegrant allowances", await pq.feegrant.allowances(cfg.bob), await nq.feegrant.allowances(cfg.bob));
  const latest = await viaProxy.getBlock();
  check("getBlock of the newest", latest.header.height === ph || latest.header.height >= ph, latest.header.height, ph);

  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(cfg.mnemonic, { prefix: "akash" });
  const [sender] = await wallet.getAccounts();
  const signer = await SigningStargateClient.connectWithSigner(cfg.proxy, wallet, {
    gasPrice: GasPrice.fromString(cfg.gasPrice),
  });
  const before = await viaProxy.getBalance(cfg.bob, cfg.denom);
  const sent = await signer.sendTokens(sender.address, cfg.bob, [coin(31337, cfg.denom)], "auto", "akw proxy cosmjs test");
  check("sendTokens through the proxy", sent.code === 0 && sent.height > 0, { code: sent.code, height: sent.height, hash: sent.transactionHash }, null);
  const delegated = await signer.delegateTokens(sender.address, cfg.validator, coin(1000000, cfg.denom), "auto");
  check("delegateTokens through the proxy", delegated.code === 0 && delegated.height > 0, { code: delegated.code, height: delegated.height }, null);

  // The proxy proved both transactions, so its newest state includes them.
  const after = await viaProxy.getBalance(cfg.bob, cfg.denom);
  check("bob's balance moved by what was sent", BigInt(after.amount) - BigInt(before.amount) === 31337n, after, before);
  same("getBalance after", after, await direct.getBalance(cfg.bob, cfg.denom));
  same("getDelegation after", await viaProxy.getDelegation(sender.address, cfg.validator), await direct.getDelegation(sender.address, cfg.validator));
  const tx = await viaProxy.getTx(sent.transactionHash);
  const ntx = await direct.getTx(sent.transactionHash);
  same("getTx", tx, ntx);
  signer.disconnect();
  viaProxy.disconnect();
  direct.disconnect();
}

async function lying() {
  const viaProxy = await StargateClient.connect(cfg.proxy);
  const calls = {
    getBalance: () => viaProxy.getBalance(cfg.alice, cfg.denom),
    getAllBalances: () => viaProxy.getAllBalances(cfg.alice),
    getAccount: () => viaProxy.getAccount(cfg.alice),
    getDelegation: () => viaProxy.getDelegation(cfg.alice, cfg.validator),
    "authz grants": () => extended(viaProxy).authz.grants(cfg.alice, cfg.bob, cfg.grantMsg),
    "feegrant allowance": () => extended(viaProxy).feegrant.allowance(cfg.alice, cfg.bob),
  };
  for (const [name, call] of Object.entries(calls)) {
    try {
      const v = await call();
      check(name + " refused", false, v, null);
    } catch (e) {
      check(name + " refused", /verification failed/.test(String(e)), String(e), null);
    }
  }
  viaProxy.disconnect();
}

try {
  if (cfg.mode === "lying") await lying();
  else await honest();
} catch (e) {
  checks.push({ name: "no exception", ok: false, proxy: String(e && e.stack ? e.stack : e) });
}
process.stdout.write(JSON.stringify({ checks }) + "\n");
