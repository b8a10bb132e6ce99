// Latency of cosmjs's getBalance or getAccount through akw proxy beside
// the same call straight to the node, interleaved call by call so that
// both see the same machine load.
//
//   node latency.mjs '{"proxy": URL, "node": URL, "query": "getBalance"|"getAccount", "n": N, "alice", "denom"}'
//
// Prints {"node_ms": mean, "proxy_ms": mean, "node_p50_ms", "proxy_p50_ms"}.
import { StargateClient } from "@cosmjs/stargate";

const cfg = JSON.parse(process.argv[2]);
const viaProxy = await StargateClient.connect(cfg.proxy);
const direct = await StargateClient.connect(cfg.node);
const call = {
  getBalance: (c) => c.getBalance(cfg.alice, cfg.denom),
  getAccount: (c) => c.getAccount(cfg.alice),
}[cfg.query];

async function timed(c) {
  const t0 = process.hrtime.bigint();
  await call(c);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

await call(viaProxy); // warm: connections, the proxy's header
await call(direct);
const p = [];
const d = [];
for (let i = 0; i < cfg.n; i++) {
  d.push(await timed(direct));
  p.push(await timed(viaProxy));
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(JSON.stringify({ node_ms: mean(d), proxy_ms: mean(p), node_p50_ms: p50(d), proxy_p50_ms: p50(p) }) + "\n");
viaProxy.disconnect();
direct.disconnect();
