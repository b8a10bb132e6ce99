package tui

// fakeBackend is an in-memory Backend for model and golden tests only: it
// lets each screen be driven through every state (loading, verified,
// alarm, Ledger waiting) deterministically. The binary never contains it;
// the real Backend (tui/backend) is tested against a devnet.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-wallet/akw/errkind"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

type fakeBackend struct {
	mu        sync.Mutex
	keys      []Key
	statusErr error
	pfErr     error
	pfPanic   any // Portfolio panics with it (a backend bug, or a node's answer the libraries let through)
	pf        map[string]*Portfolio
	vals      []Validator
	props     []Proposal
	plans     []TxRequest
	executed  []TxRequest
	// deviceGate, when set, makes Execute of a Ledger key wait on it
	// (the user "confirming on the device"), or on ctx.
	deviceGate chan error
	execErr    error
	showErr    error
	// staleAfter is the chain's stale bound; headerAge ages the verified
	// header of the status and the portfolio (3 s beyond it).
	staleAfter time.Duration
	headerAge  time.Duration

	grants    *GrantSet
	grantsErr error
	deps      []Proposal
	depsErr   error
	// history is the pages by cursor; histErr fails every page.
	history  map[string]*HistoryPage
	histErr  error
	contacts []Contact
	// statusGate, when set, makes Status wait on it (or on ctx);
	// storeWaits, when set, are the waits for the store it tells
	// (storewait_test.go).
	statusGate chan struct{}
	storeWaits chan StoreWait
}

func uakt(n int64) sdk.Coin { return sdk.NewInt64Coin("uakt", n) }

func decUakt(n int64) sdk.DecCoins {
	return sdk.NewDecCoins(sdk.NewDecCoinFromDec("uakt", sdkmath.LegacyNewDec(n)))
}

const (
	aliceAddr  = "akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"
	bobAddr    = "akash1xv9tklw7d82sezh9haa573wufgy59vmwnxhnsl"
	ledgerAdr  = "akash1k5q6x2gxl3pkn2tcz5ke2q9mgk0rcp4r2q8hq7"
	botAddr    = "akash1restakeqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
	krakenAddr = "akash1krakenpppppppppppppppppppppppppppppppp"
)

func valoper(i int) string { return fmt.Sprintf("akashvaloper1val%034d", i) }

func newFake(nVals, nDels int) *fakeBackend {
	f := &fakeBackend{
		keys: []Key{
			{Name: "alice", Address: aliceAddr, Type: "local"},
			{Name: "bob", Address: bobAddr, Type: "local"},
			{Name: "nano", Address: ledgerAdr, Type: "ledger", Path: "m/44'/118'/0'/0/0"},
		},
		pf: map[string]*Portfolio{},
	}
	total := sdkmath.ZeroInt()
	for i := 0; i < nVals; i++ {
		tok := sdkmath.NewInt(int64(1_000_000_000_000 - i*1_000_000_000))
		total = total.Add(tok)
		f.vals = append(f.vals, Validator{
			Operator:   valoper(i),
			Moniker:    fmt.Sprintf("validator-%02d", i),
			Commission: sdkmath.LegacyNewDecWithPrec(int64(5+i%10), 2),
			Tokens:     tok,
			Status:     "bonded",
			Delegation: uakt(0),
		})
	}
	for i := range f.vals {
		f.vals[i].PowerShare = sdkmath.LegacyNewDecFromInt(f.vals[i].Tokens).Quo(sdkmath.LegacyNewDecFromInt(total)).MustFloat64()
	}
	f.props = []Proposal{{ID: 7, Title: "Raise the community pool tax", Summary: "Raise the community tax from 2% to 4% to fund public goods on Akash.",
		Status: "voting", VotingEnd: testNow.Add(5 * 24 * time.Hour), Height: 1234}}
	pf := &Portfolio{Address: aliceAddr, Height: 1234,
		Balances: sdk.NewCoins(uakt(1_000_500_000)),
		Rewards:  decUakt(int64(nDels) * 1_200_000),
		Unbonding: []Unbonding{{Validator: valoper(3), Moniker: "validator-03", Amount: uakt(50_000_000),
			CompletionTime: testNow.Add(21 * 24 * time.Hour)}},
		Proposals: f.props,
	}
	for i := 0; i < nDels && i < nVals; i++ {
		amt := uakt(int64(100_000_000 + i))
		pf.Delegations = append(pf.Delegations, Delegation{Validator: valoper(i), Moniker: f.vals[i].Moniker,
			Amount: amt, Rewards: decUakt(1_200_000), Status: "bonded"})
		f.vals[i].Delegation = amt
	}
	f.pf[aliceAddr] = pf
	exp := testNow.Add(365 * 24 * time.Hour)
	f.grants = &GrantSet{Address: aliceAddr, Height: 1234, HeaderTime: testNow.Add(-3 * time.Second),
		Given: []Grant{
			{Granter: aliceAddr, Grantee: botAddr, MsgType: "/cosmos.staking.v1beta1.MsgDelegate",
				Allows: "delegate your tokens, any amount, with only " + valoper(0), Expiration: &exp},
			{Granter: aliceAddr, Grantee: botAddr, MsgType: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
				Allows: "withdraw your staking rewards, without limit", Expiration: &exp},
		},
		Received: []Grant{{Granter: bobAddr, Grantee: aliceAddr, MsgType: "/cosmos.bank.v1beta1.MsgSend",
			Allows: "send up to 5 AKT of your tokens in total, to anyone"}},
		ReceivedBy: "grantee index (authz 0x03) walked complete, then each granter's grants"}
	f.deps = []Proposal{{ID: 9, Title: "Fund the Akash docs sprint", Status: "deposit", Height: 1234,
		DepositEnd: testNow.Add(2 * 24 * time.Hour), TotalDeposit: sdk.NewCoins(uakt(100_000_000)), MinDeposit: sdk.NewCoins(uakt(500_000_000))}}
	f.contacts = []Contact{{Name: "bob", Address: bobAddr}, {Name: "kraken", Address: krakenAddr, Memo: "104983"}}
	f.history = map[string]*HistoryPage{
		"": {Address: aliceAddr, Next: "1200.0", Cache: "0 from the cache, 3 proven now", Rows: []HistoryRow{
			{Hash: strings.Repeat("A1", 32), Height: 1230, Time: testNow.Add(-time.Hour), Status: HistoryProven,
				What: "send 2 AKT from " + aliceAddr + " to " + bobAddr, Amount: "-2 AKT", Fee: "0.005 AKT", Memo: "rent"},
			{Hash: strings.Repeat("B2", 32), Height: 1220, Time: testNow.Add(-2 * time.Hour), Status: HistoryNodeReported,
				What: "withdraw rewards from " + valoper(0), Amount: "+1.2 AKT*", Fee: "0.005 AKT",
				Reason: "* node-reported: reward 1.2 AKT (from the node's events; the transaction itself is proven)"},
			{Hash: strings.Repeat("C3", 32), Height: 1210, Status: HistoryRefused,
				Reason: "refused: the transaction is not in block 1210 (the node listed it; nothing of it is shown)"},
		}},
		"1200.0": {Address: aliceAddr, Cache: "1 from the cache, 0 proven now; no node asked", Rows: []HistoryRow{
			{Hash: strings.Repeat("D4", 32), Height: 1100, Time: testNow.Add(-30 * time.Hour), Status: HistoryProven,
				What: "delegate 100 AKT to " + valoper(0), Amount: "-100 AKT", Fee: "0.005 AKT", FromCache: true},
		}},
	}
	f.pf[bobAddr] = &Portfolio{Address: bobAddr, Height: 1234, Balances: sdk.NewCoins(uakt(5_000_000))}
	f.pf[ledgerAdr] = &Portfolio{Address: ledgerAdr, Height: 1234, Balances: sdk.NewCoins(uakt(77_000_000))}
	return f
}

func (f *fakeBackend) Chain() ChainInfo {
	return ChainInfo{Network: "devnet", ChainID: "akash-devnet-1", Denom: "uakt", DisplayDenom: "akt", Exponent: 6, Primary: "http://127.0.0.1:26657",
		StaleAfter: f.staleAfter}
}

func (f *fakeBackend) Keys(ctx context.Context) ([]Key, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Key(nil), f.keys...), nil
}

func (f *fakeBackend) Status(ctx context.Context) (LightStatus, error) {
	if f.statusGate != nil {
		select {
		case <-f.statusGate:
		case <-ctx.Done():
			return LightStatus{}, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.statusErr != nil {
		return LightStatus{}, f.statusErr
	}
	return LightStatus{ChainID: "akash-devnet-1", Height: 1240, HeaderTime: testNow.Add(-3*time.Second - f.headerAge), Primary: "http://127.0.0.1:26657",
		Witnesses: []WitnessStatus{{URL: "http://127.0.0.1:26757", Agrees: true}}}, nil
}

func (f *fakeBackend) Portfolio(ctx context.Context, address string) (*Portfolio, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pfErr != nil {
		return nil, f.pfErr
	}
	if f.pfPanic != nil {
		panic(f.pfPanic)
	}
	pf, ok := f.pf[address]
	if !ok {
		return &Portfolio{Address: address, Height: 1234}, nil
	}
	cp := *pf
	cp.HeaderTime = testNow.Add(-3*time.Second - f.headerAge)
	return &cp, nil
}

func (f *fakeBackend) Validators(ctx context.Context, delegator string) (*ValidatorSet, error) {
	return &ValidatorSet{Height: 1234, Validators: f.vals, UnbondingPeriod: 21 * 24 * time.Hour}, nil
}

func (f *fakeBackend) Proposals(ctx context.Context, voter string) ([]Proposal, error) {
	return f.props, nil
}

func (f *fakeBackend) DepositProposals(ctx context.Context) ([]Proposal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.depsErr != nil {
		return nil, f.depsErr
	}
	return f.deps, nil
}

func (f *fakeBackend) Grants(ctx context.Context, address string) (*GrantSet, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.grantsErr != nil {
		return nil, f.grantsErr
	}
	if address != aliceAddr {
		return &GrantSet{Address: address, Height: 1234}, nil
	}
	return f.grants, nil
}

func (f *fakeBackend) History(ctx context.Context, address, cursor string) (*HistoryPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.histErr != nil {
		return nil, f.histErr
	}
	p, ok := f.history[cursor]
	if !ok || address != aliceAddr {
		return &HistoryPage{Address: address, Cache: "0 from the cache, 0 proven now"}, nil
	}
	return p, nil
}

func (f *fakeBackend) Contacts(ctx context.Context) ([]Contact, error) { return f.contacts, nil }

var (
	expiryRE = regexp.MustCompile(`^([0-9]+[smhdwy]|[0-9]{4}-[0-9]{2}-[0-9]{2})$`)
	amountRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(akt|uakt)$`)
	addrRE   = regexp.MustCompile(`^akash1[02-9ac-hj-np-z]{38}$`)
)

func (f *fakeBackend) CheckField(field Field, v string) error {
	switch field {
	case FieldAddress:
		if !strings.HasPrefix(v, "akash1") {
			return errors.New("not an akash address (it starts with akash1)")
		}
		if !addrRE.MatchString(v) {
			return errors.New("an address has 44 characters")
		}
	case FieldAmount:
		if !amountRE.MatchString(v) {
			return errors.New("write an amount with its denom: 1.5akt or 1500000uakt")
		}
	case FieldExpiration:
		if !expiryRE.MatchString(v) {
			return errors.New("give a duration (30d, 12h, 1y), a date (2027-01-31), a time or Unix seconds")
		}
	case FieldVote:
		switch v {
		case "yes", "no", "abstain", "no_with_veto":
		default:
			if !strings.Contains(v, "=") {
				return errors.New("yes, no, abstain, no_with_veto, or weighted yes=0.6,no=0.4")
			}
		}
	}
	return nil
}

func (f *fakeBackend) Plan(ctx context.Context, req TxRequest) (*TxPlan, error) {
	f.mu.Lock()
	f.plans = append(f.plans, req)
	f.mu.Unlock()
	p := &TxPlan{Request: req, Fee: sdk.NewCoins(uakt(5000)), Gas: 200000, GasEstimated: true,
		BalanceBefore: uakt(1_000_500_000), Height: 1234}
	switch req.Kind {
	case TxSend:
		p.Summary = "Send " + req.Amount + " from " + req.From.Name + " to " + req.To + "."
		p.Lines = []PlanLine{{"To", req.To}, {"Amount", req.Amount}}
		if req.ToName != "" {
			p.Summary = "Send " + req.Amount + " from " + req.From.Name + " to " + req.ToName + " (" + req.To + ")."
		}
		if req.Memo != "" {
			p.Lines = append(p.Lines, PlanLine{"Memo", req.Memo})
		}
		p.BalanceAfter = uakt(1_000_500_000 - 2_000_000 - 5000)
		p.DeviceShows = []PlanLine{{"Chain ID", "akash-devnet-1"}, {"Type", "Send"}, {"Amount", req.Amount}, {"To", req.To}}
	case TxDelegate:
		p.Summary = "Delegate " + req.Amount + " to " + req.To + "."
		p.Lines = []PlanLine{{"Validator", req.To}, {"Amount", req.Amount}}
		p.BalanceAfter = uakt(1_000_500_000 - 1_000_000 - 5000)
	case TxUndelegate:
		// As tui/backend renders tx/ops' summary: the proven period.
		p.Summary = "Undelegate " + req.Amount + " from " + req.To + "."
		p.Lines = []PlanLine{{"Validator", req.To}, {"Amount", req.Amount}, {"Unbonding period", "21 days (proven at height 1234)"}}
		p.Warnings = []string{"the amount earns nothing and cannot be spent until the unbonding period has passed"}
		p.BalanceAfter = uakt(1_000_500_000 - 5000)
	case TxClaim:
		p.Summary = "Claim the pending rewards of 2 delegations: 2.4 AKT (proven)."
		p.Lines = []PlanLine{{"Rewards", "2.4 AKT"}}
		p.BalanceAfter = uakt(1_000_500_000 + 2_400_000 - 5000)
	case TxVote:
		p.Summary = fmt.Sprintf("Vote %s on proposal #%d.", req.Option, req.ProposalID)
		p.BalanceAfter = uakt(1_000_500_000 - 5000)
	case TxRevoke:
		// As tx/ops words a revoke.
		p.Summary = "Revoke the grant " + req.From.Name + " gave " + req.Grantee + " for " + req.MsgType + "."
		p.Lines = []PlanLine{{"Grantee", req.Grantee}, {"Message type", req.MsgType},
			{"Grantee will no longer", "delegate your tokens, any amount, with only " + valoper(0)}}
		p.BalanceAfter = uakt(1_000_500_000 - 5000)
	case TxAutoCompound:
		p.Summary = "Let the bot " + req.Grantee + " auto-compound " + req.From.Name + "'s staking rewards with " + req.ToName + " (" + req.To + ") (REStake)."
		p.Lines = []PlanLine{{"Action", "grant auto-compounding (REStake): the grantee may claim your staking rewards and delegate them again"},
			{"Grantee", req.Grantee},
			{"Grantee may", "delegate your tokens, any amount, with only " + req.To},
			{"Grantee may", "withdraw your staking rewards, without limit"},
			{"Until", "2027-11-24 12:00:00 UTC (in 1 year)"}}
		p.BalanceAfter = uakt(1_000_500_000 - 5000)
	case TxDeposit:
		p.Summary = fmt.Sprintf("Deposit %s from %s on proposal #%d.", req.Amount, req.From.Name, req.ProposalID)
		p.Lines = []PlanLine{{"Proposal", fmt.Sprint(req.ProposalID)}, {"Amount", req.Amount}}
		p.BalanceAfter = uakt(1_000_500_000 - 10_000_000 - 5000)
	default:
		p.Summary = req.Kind.String()
		p.BalanceAfter = uakt(1_000_500_000 - 5000)
	}
	return p, nil
}

func (f *fakeBackend) Execute(ctx context.Context, plan *TxPlan, events chan<- TxEvent) (*TxResult, error) {
	if plan.Request.From.Ledger() && f.deviceGate != nil {
		events <- TxEvent{Stage: StageAwaitingDevice}
		select {
		case err := <-f.deviceGate:
			if err != nil {
				return nil, err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	} else {
		events <- TxEvent{Stage: StageSigning}
	}
	if f.execErr != nil {
		return nil, f.execErr
	}
	events <- TxEvent{Stage: StageBroadcasting}
	events <- TxEvent{Stage: StageBroadcast, TxHash: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"}
	events <- TxEvent{Stage: StageIncluded, Height: 1241}
	f.mu.Lock()
	f.executed = append(f.executed, plan.Request)
	if plan.Request.Kind == TxSend {
		f.pf[aliceAddr].Balances = sdk.NewCoins(plan.BalanceAfter)
		f.pf[aliceAddr].Height = 1241
	}
	f.mu.Unlock()
	events <- TxEvent{Stage: StageVerified, Height: 1241}
	return &TxResult{TxHash: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", Height: 1241, Verified: true}, nil
}

func (f *fakeBackend) CreateKey(ctx context.Context, name string) (Key, string, error) {
	k := Key{Name: name, Address: "akash1newkey0000000000000000000000000000000", Type: "local"}
	f.mu.Lock()
	f.keys = append(f.keys, k)
	f.mu.Unlock()
	return k, "abandon ability able about above absent absorb abstract absurd abuse access accident", nil
}

func (f *fakeBackend) RecoverKey(ctx context.Context, name, mnemonic string) (Key, error) {
	k := Key{Name: name, Address: "akash1recovered00000000000000000000000000", Type: "local"}
	f.mu.Lock()
	f.keys = append(f.keys, k)
	f.mu.Unlock()
	return k, nil
}

func (f *fakeBackend) AddLedgerKey(ctx context.Context, name string, account, index uint32) (Key, error) {
	if f.deviceGate != nil {
		select {
		case err := <-f.deviceGate:
			if err != nil {
				return Key{}, err
			}
		case <-ctx.Done():
			return Key{}, ctx.Err()
		}
	}
	k := Key{Name: name, Address: ledgerAdr, Type: "ledger", Path: fmt.Sprintf("m/44'/118'/%d'/0/%d", account, index)}
	return k, nil
}

func (f *fakeBackend) ShowOnDevice(ctx context.Context, name string) error { return f.showErr }

// lyingNode is the error the real backend returns when a proof does not
// check out (a verification-category error).
type lyingNode struct{}

func (lyingNode) Error() string {
	return "proof of the balance of akash1qyp… does not verify against the app hash of verified header 1241"
}
func (lyingNode) Kind() errkind.Kind { return errkind.Verification }
