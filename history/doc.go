// Package history lists the transactions of an address — what it sent,
// received, delegated, claimed and voted — newest first, with every row
// proven against headers the light client verified, a local cache of what
// was proven, and a CSV export for tax tools.
//
// A face is a thin call and a render:
//
//	l, _ := history.New(lightClient, nil, history.WithCache(home))
//	page, err := l.List(ctx, history.Query{Address: addr, Limit: 20, Cursor: next})
//	all, err := l.All(ctx, history.Query{Address: addr, Since: t0, Until: t1})
//	d, err := session.DenomsFor(ctx, history.Denoms(all.Rows)) // units from proven metadata
//	sum, err := history.WriteCSV(file, all.Rows, d)
//
// # Where each part comes from
//
// The list is node-reported. It comes from the node's transaction index:
// tx_search with the SDK v0.53 event queries of Queries (message.sender,
// tx.fee_payer, transfer.recipient, delegate.delegator, unbond.delegator,
// withdraw_rewards.delegator, proposal_vote.voter, and the grantee of authz
// grants, fee allowances and their revocations), their union deduplicated
// by hash. No header commits an index, so a node can leave a transaction
// out; Page.ListVerified is always false and faces say "node-reported".
//
// Each listed row is proven or refused. For the height H the index names,
// the light client verifies headers H and H+1 (lightclient.Headers); the
// node's block H must hash to H's DataHash, the listed transaction must be
// in it at the position the index names, and its result comes from the
// block's results checked against H+1's LastResultsHash — all through
// lightclient/txproof.Check, which also settles a block that lists the same
// transaction twice. A row whose index entry does not check out (a
// transaction that is not in the block the node names, a result the
// committed one contradicts) is Refused, with the reason, and nothing of it
// is shown but its hash; the other rows are shown. One /block and one
// /block_results per height serve every listed transaction of that height.
//
// What a transaction moved is decoded from the proven bytes (Decoder, the
// codecs of tx/encoding, so that MsgExec is read through):
// type, counterparties, amounts, fee, memo, and the proven result code.
// A grant, a fee allowance or a revocation the address received reads as
// addressed to it ("granted to you by …"; the tokens are the granter's).
//
// # Values only events carry: labelled node-reported
//
// Two values are in no transaction's bytes and no header: the rewards a
// claim (or the automatic claim of a delegate, undelegate or redelegate)
// actually paid out, and whether a failed transaction's fee was charged
// (the SDK keeps the fee when the messages fail, not when the ante handler
// does). History takes them from the node's events — the bank transfers
// from the distribution module to the address, and the ante handler's tx
// event — and marks those movements Verified: false.
//
// Why not prove them through balances: the address's balance can be proven
// after blocks H-1 and H (lightclient/state), but that bounds the whole
// block's effect on the address — every other transaction of the block
// that touches it, which the node's index may have left out, and what
// happens outside transactions (an unbonding that completes at the end of
// the block). Attributing the difference to one claim would turn a
// node-reported number into one that looks proven without being so. And
// most public nodes keep state far shorter than blocks, so the proof would
// exist only for recent rows. Instead Reconcile proves the balance at both
// ends of a range and reports the difference between its change and the
// rows' net: zero says the node-reported rewards and the node-reported list
// together explain the proven balance; anything else is shown as such.
//
// # Paging and ranges
//
// Query.Limit rows per page (default 20, at most 100), newest first; the
// next page by Page.Next (a cursor HEIGHT.INDEX: rows strictly older) or by
// Query.Page. Query.Since and Query.Until bound block time (both included),
// FromHeight and ToHeight the height. A time bound is turned into a height
// by bisecting the node's headers (node-reported, like the list, and
// remembered in the cache); each row carries the time of its verified
// header, and a row outside the asked times is dropped. The newest height
// listed is one below the newest verified header (its results are
// committed by the next header).
//
// # Cost
//
// Listing costs one tx_search per query (eleven, asked at once) and page
// of 100. Proving costs,
// per height holding listed rows, two verified headers, one /block and
// one /block_results, fetched together (at most WithParallelism heights at
// once). Headers above the light client's oldest stored one are verified
// by skipping; below it CometBFT's light client walks back one header per
// block, so a history far older than the trust root is slow to prove the
// first time: initialise the light client from a header older than the
// range, or page. Proven rows are cached and never proven again.
//
// # The cache
//
// With WithCache(dir), proven rows are kept in
// dir/history/CHAIN-ID/ADDRESS.json (mode 0600, directory 0700): the index
// entries of every height span listed completely, and for each proven
// transaction its bytes, proven result, header time and the hashes of the
// verified headers H and H+1 it was proven against, with the node-reported
// events apart. A range the cache covers is answered without any request
// (Page.Cache says what was read from the cache and what was listed and
// proven now); an open range (no Until or ToHeight) asks the light client
// for the newest header and lists only what is new. Query.Offline never
// asks a node. Writers lock the file (internal/fslock) and merge with what
// another process wrote; the file is replaced by rename.
//
// The file is versioned (CacheVersion) and carries the SHA-256 of its
// body. On load the checksum, the version, the chain-id and address, the
// spans, and every record's transaction bytes against its hash are
// checked; a file that fails is not used but rebuilt, and
// Page.Cache.Rebuilt says why. What this cannot stop is a local attacker
// who writes a consistent file with a fresh checksum: someone who can
// write the wallet's home can as well replace the light client's trust
// root beside it, so the cache is as trusted as that store. Query.Refresh
// proves the range again from the network and reports any cached record
// that differs (Page.Cache.Mismatches), for anyone who distrusts the disk.
// A file of version 1 was listed before the grantee's queries: its
// proven records are kept and its spans dropped, so its ranges are listed
// again (which needs a node once) and nothing is proven again.
//
// # Errors
//
// ErrIndexDisabled: the node runs with indexer = "null" and answers
// IndexDisabledMessage (exit 1; use another node). ErrPruned: the node no
// longer has the block, its results or the header of a listed row
// ("height N is not available, lowest height is M"), or discards block
// results ("could not find results for height #N") (exit 3; an archive
// node or a narrower range). ErrNode: no answer (exit 5). ErrNotCached: an
// offline query beyond the cache. ErrQuery: a bad address, cursor, page or
// range (exit 2). Every type has Category and Hint
// (errkind.KindOf, errkind.HintOf).
//
// # CSV
//
// WriteCSV writes Koinly's universal format, which other tax tools import
// too: one line per movement, oldest first, columns
//
//	Date                 block time of the verified header, UTC: 2006-01-02 15:04:05 UTC
//	Sent Amount          coins that left the balance: a send, a delegation, a deposit
//	Sent Currency        AKT for uakt, ACT for uact (units from proven metadata); a denom without metadata as it is (ibc/...)
//	Received Amount      coins that came in: a receipt, staking rewards
//	Received Currency
//	Fee Amount           the fee the address paid, on the transaction's first line
//	Fee Currency
//	Net Worth Amount     empty: akw does not price tokens
//	Net Worth Currency   empty
//	Label                staking reward, delegation, undelegation, transfer, governance deposit, fee or vote
//	Description          what happened, counterparties, the memo, a failure, node-reported parts
//	TxHash               the transaction hash
//
// Amounts in uakt are written in AKT with exactly six decimals
// ("1.500000"), never in uakt: a column never mixes the two. So is every
// denom whose display unit the chain's proven bank metadata states, when
// the caller passes it (the wallet layer proves it: Session.DenomsFor):
// uact as ACT with six decimals. Other denoms (IBC vouchers without
// metadata) are written in their base unit under their full name; akw
// guesses no exponent. Undelegations and
// redelegations move no coins when they are made (the coins return when
// unbonding completes, outside any transaction); their line carries the
// fee and names the amount in Description. A governance deposit (on a
// proposal, or a new proposal's initial deposit) is sent, labelled
// "governance deposit", its movement naming the proposal (a new one's
// from the proven result data): the gov module returns or burns it when
// the vote ends, outside any transaction, so no line shows the return
// (Reconcile shows it as a difference). That is said, not left silent:
// the deposit's line says its return is not in the export, and the
// summary (CSVSummary.GovDeposits, GovProposals, Notes) carries
// GovDepositNote; gov.go says why the return is not a node-reported line.
// Grants, fee allowances and their revocations move nothing: their line
// is the fee, labelled "fee", its description saying what it paid for (a
// grantee, who paid nothing, has no line). Refused rows are not written;
// the summary lists them. A description starts with akw's own words,
// never with the memo, so that a spreadsheet never reads a memo as a
// formula.
package history
