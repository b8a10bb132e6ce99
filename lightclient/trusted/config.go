// Package trusted keeps akw's verified block headers: a CometBFT light
// client (skipping verification at trust level 1/3, a primary and at least
// one witness, fork detection) over a persisted store per chain-id.
//
// It implements lightclient.Headers. Opening an existing store costs no
// network round trip; a header already in the store is served from disk;
// bringing the store up to the newest header costs two round trips (the
// primary's newest commit, then its validators together with the witnesses'
// copies of the same header).
package trusted

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cometbft/cometbft/libs/log"
	cmtmath "github.com/cometbft/cometbft/libs/math"

	"github.com/akash-wallet/akw/lightclient"
)

// DefaultTrustingPeriod is two-thirds of Akash's 21-day unbonding period:
// a header older than this cannot be used to verify new ones, because its
// validators may have unbonded and be free to sign a fork without penalty.
const DefaultTrustingPeriod = 14 * 24 * time.Hour

// DefaultTimeout bounds each RPC request to a node.
const DefaultTimeout = 10 * time.Second

// DefaultBusyWait is how long Open waits for another akw process to
// release the store.
const DefaultBusyWait = 3 * time.Second

// DefaultPruningSize is how many verified headers the store keeps.
const DefaultPruningSize = 1000

// DefaultMaxClockDrift is how far a header's time may be ahead of ours.
const DefaultMaxClockDrift = 10 * time.Second

// DefaultNextBlockWait is how long a node a few blocks behind is given to
// catch up before it counts as lagging. Two honest nodes of one chain
// commit a block within a fraction of a second of each other, so without
// this a witness queried right after the primary's newest block would often
// be reported as lagging, sending the light client's detector into its
// 2×MaxClockDrift+MaxBlockLag (30 s) sleep.
const DefaultNextBlockWait = 5 * time.Second

// TrustLevel is the fraction of a trusted validator set's voting power that
// must sign a non-adjacent header for the light client to skip to it.
var TrustLevel = cmtmath.Fraction{Numerator: 1, Denominator: 3}

// Config says which chain, which nodes, and where the store lives.
type Config struct {
	// ChainID of the chain; the store is kept per chain-id.
	ChainID string
	// Primary is the RPC URL of the node that serves headers (and queries).
	Primary string
	// Witnesses are RPC URLs of other nodes of the same chain, used to
	// cross-check the primary's headers. At least one is required.
	Witnesses []string
	// Home is akw's home directory; the store is Home/light/<chain-id>.
	Home string
	// TrustingPeriod: DefaultTrustingPeriod when zero.
	TrustingPeriod time.Duration
	// MaxClockDrift: DefaultMaxClockDrift when zero.
	MaxClockDrift time.Duration
	// MaxBlockLag: the light client's default (10 s) when zero.
	MaxBlockLag time.Duration
	// Timeout of a single RPC request: DefaultTimeout when zero.
	Timeout time.Duration
	// NextBlockWait: DefaultNextBlockWait when zero; negative disables it.
	NextBlockWait time.Duration
	// PruningSize: DefaultPruningSize when zero.
	PruningSize uint16
	// BusyWait is how long Open waits for another process to release the
	// store: DefaultBusyWait when zero; negative fails at once.
	BusyWait time.Duration
	// OnBusyWait, when set, is told when Open (or a shared store opening
	// for one operation) finds the store held by another process and
	// starts waiting for it, before the first pause, and again when the
	// wait ends (StoreWait.Ended): a face can say why it pauses, a test
	// can release the holder once the wait has begun. It must not block.
	OnBusyWait func(lightclient.StoreWait)
	// Command is what this process records beside the store's lock while
	// it holds it, for another one's wait message (with its pid); by
	// default the program's name and command words ("akw tx send").
	Command string
	// ShareStore opens the store for each operation and closes it after,
	// instead of holding it (and its lock) from Open to Close, so that
	// other akw processes can use it meanwhile. For long-lived clients
	// (the TUI); each operation then costs a store open, a few ms.
	ShareStore bool
	// Logger receives the light client's own log; silent when nil.
	Logger log.Logger
	// OnNotice, when set, is called for each notice as it happens (for
	// example the primary being replaced by a witness). Notices are also
	// kept and returned by Client.Notices and Client.Status.
	OnNotice func(Notice)
	// Now is the clock; time.Now when nil. Tests use it to step time.
	Now func() time.Time
}

// chainIDPattern is what akw accepts as a chain-id. It keeps the chain-id
// usable as a directory name (no separators, no "..").
var chainIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$`)

func (c Config) withDefaults() Config {
	if c.TrustingPeriod == 0 {
		c.TrustingPeriod = DefaultTrustingPeriod
	}
	if c.MaxClockDrift == 0 {
		c.MaxClockDrift = DefaultMaxClockDrift
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.NextBlockWait == 0 {
		c.NextBlockWait = DefaultNextBlockWait
	}
	if c.PruningSize == 0 {
		c.PruningSize = DefaultPruningSize
	}
	if c.BusyWait == 0 {
		c.BusyWait = DefaultBusyWait
	}
	if c.Command == "" {
		c.Command = processCommand()
	}
	if c.Logger == nil {
		c.Logger = log.NewNopLogger()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// validateChain checks what is needed to find the store.
func (c Config) validateChain() error {
	if !chainIDPattern.MatchString(c.ChainID) || strings.Contains(c.ChainID, "..") {
		return &lightclient.ErrInvalidConfig{Reason: fmt.Sprintf("invalid chain-id %q", c.ChainID),
			Fix: "a chain-id is letters, digits, '.', '_' and '-' (e.g. akashnet-2)", Setting: "chain-id"}
	}
	if c.Home == "" {
		return &lightclient.ErrInvalidConfig{Reason: "no home directory given", Setting: "home"}
	}
	return nil
}

// validate checks what is needed to talk to the nodes.
func (c Config) validate() error {
	if err := c.validateChain(); err != nil {
		return err
	}
	if c.TrustingPeriod <= 0 {
		return &lightclient.ErrInvalidConfig{Reason: fmt.Sprintf("trusting period must be positive, got %s", c.TrustingPeriod),
			Fix: "set the network's trusting-period (two-thirds of the chain's unbonding time)"}
	}
	if c.Primary == "" {
		return &lightclient.ErrInvalidConfig{Reason: "no primary node given", Setting: "node"}
	}
	seen := map[string]bool{}
	for _, u := range append([]string{c.Primary}, c.Witnesses...) {
		n, err := normalizeURL(u)
		if err != nil {
			return err
		}
		// A witness that is the primary again, or listed twice, would make
		// fork detection look stronger than it is.
		if seen[n] {
			return &lightclient.ErrInvalidConfig{Reason: fmt.Sprintf("node %s is listed more than once (as primary or witness)", u),
				Fix: "witnesses must be distinct nodes, none of them the primary: a node cannot cross-check itself"}
		}
		seen[n] = true
	}
	return nil
}

// StoreDir is where the store of cfg's chain lives.
func StoreDir(home, chainID string) string {
	return filepath.Join(home, "light", chainID)
}

// normalizeURL accepts http(s):// and tcp:// URLs and host:port.
func normalizeURL(raw string) (string, error) {
	bad := func(why string) error {
		return &lightclient.ErrInvalidConfig{Reason: fmt.Sprintf("invalid node URL %q: %s", raw, why),
			Fix: "give RPC URLs as http://host:port or https://host[:port][/path]"}
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", bad("empty")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", bad(err.Error())
	}
	switch u.Scheme {
	case "http", "https":
	case "tcp":
		u.Scheme = "http"
	default:
		return "", bad("scheme must be http or https")
	}
	if u.Host == "" {
		return "", bad("no host")
	}
	return strings.TrimRight(u.String(), "/"), nil
}
