package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/akash-wallet/akw/internal/output"
	"github.com/akash-wallet/akw/lightclient"
	"github.com/akash-wallet/akw/lightclient/state"
	"github.com/akash-wallet/akw/lightclient/trusted"
	"github.com/akash-wallet/akw/wallet"
)

// newLightCmd is `akw light` over its verbs; leaves, when not nil, are
// the verbs instead (flag tests: one verb with a capturing run function).
func newLightCmd(app *App, leaves ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "light",
		Short: "Manage the light client's trusted headers",
		Long: `The light client verifies every block header akw relies on, starting from a
trust root: a header you trust, given by height and hash, or the primary's
newest header cross-checked against every witness (--trust-latest).
Verified headers are kept per chain-id under --home.`,
	}
	if leaves == nil {
		leaves = []*cobra.Command{
			newLightInitCmd(app, nil),
			newLightStatusCmd(app, nil),
			newLightUpdateCmd(app, nil),
			newLightResetCmd(app, nil),
		}
	}
	cmd.AddCommand(leaves...)
	return cmd
}

// lightTimeout bounds a whole light command.
const lightTimeout = 2 * time.Minute

// trustedConfig is the light client's configuration from the resolved
// network settings. app.RequireNetwork must have succeeded.
func trustedConfig(app *App) trusted.Config {
	c := wallet.LightConfig(app.Network, app.Paths.DataDir)
	c.OnNotice = func(n trusted.Notice) { app.Printer.Notice("%s", n.String()) }
	c.OnBusyWait = wallet.StoreWaitNotice(func(m string) { app.Printer.Notice("%s", m) })
	return c
}

// openTrusted opens the trusted store of the configured network.
func openTrusted(ctx context.Context, app *App) (*trusted.Client, error) {
	if err := app.RequireNetwork(); err != nil {
		return nil, err
	}
	c, err := trusted.Open(ctx, trustedConfig(app))
	if err != nil {
		return nil, lightError(err)
	}
	return c, nil
}

// lightError words an error of the light client for the command line.
func lightError(err error) error { return lightErrors.wrap(err) }

// ---- init

// lightInitOptions are what `akw light init` was asked; Root is the
// trust root its flags give.
type lightInitOptions struct {
	TrustLatest bool
	TrustHeight int64
	TrustHash   string
	Force       bool
	Root        trusted.TrustRoot
}

// lightInitResult is the stored trust root.
type lightInitResult struct {
	ChainID     string                 `json:"chain_id"`
	Height      int64                  `json:"height"`
	Hash        string                 `json:"hash"`
	Time        time.Time              `json:"time"`
	Source      string                 `json:"source"`
	Primary     string                 `json:"primary"`
	Agreed      []string               `json:"witnesses_agreed"`
	Unavailable []lightclient.Endpoint `json:"witnesses_unavailable"`
	Store       string                 `json:"store"`
}

func newLightInitCmd(app *App, runF func(*lightInitOptions) error) *cobra.Command {
	opts := &lightInitOptions{}
	cmd := &cobra.Command{
		Use:   "init (--trust-latest | --trust-height H --trust-hash HEX)",
		Short: "Set the light client's trust root",
		Long: `Set the header the light client starts from, and store it.

With --trust-height and --trust-hash, the header at that height must have
that hash; take both from a source you trust (a block explorer you trust, a
friend's node, the chain's announcements). With --trust-latest, the primary's
newest header is taken if every reachable witness has the same header at the
same height; its hash is shown for you to confirm.

The header must be younger than the trusting period. An existing trust root
is never replaced unless you run "akw light reset" first or pass --force.
Without a terminal, -y is needed to confirm.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := opts.validate(app); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runLightInit(app.Context(), app, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.TrustLatest, "trust-latest", false, "trust the primary's newest header, cross-checked against every witness")
	f.Int64Var(&opts.TrustHeight, "trust-height", 0, "height of a header you trust")
	f.StringVar(&opts.TrustHash, "trust-hash", "", "hash (hex) of the header at --trust-height")
	f.BoolVar(&opts.Force, "force", false, "replace an existing trust root")
	return cmd
}

func (o *lightInitOptions) root() (trusted.TrustRoot, error) {
	given := o.TrustHeight != 0 || o.TrustHash != ""
	switch {
	case o.TrustLatest && given:
		return trusted.TrustRoot{}, output.UsageError("--trust-latest cannot be combined with --trust-height/--trust-hash", "give either --trust-latest, or --trust-height H --trust-hash HEX")
	case o.TrustLatest:
		return trusted.TrustRoot{Latest: true}, nil
	case !given:
		return trusted.TrustRoot{}, output.UsageError("no trust root given", "give --trust-height H --trust-hash HEX from a source you trust, or --trust-latest")
	case o.TrustHeight <= 0:
		return trusted.TrustRoot{}, output.UsageError("--trust-height must be a positive height", "give --trust-height H --trust-hash HEX")
	case o.TrustHash == "":
		return trusted.TrustRoot{}, output.UsageError("--trust-height needs --trust-hash", "give the hash of the header at that height, from a source you trust")
	}
	hash, err := parseHash(o.TrustHash)
	if err != nil {
		return trusted.TrustRoot{}, output.UsageError(err.Error(), "a header hash is 64 hexadecimal characters")
	}
	return trusted.TrustRoot{Height: o.TrustHeight, Hash: hash}, nil
}

func parseHash(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("--trust-hash %q is not a 32-byte hex hash", s)
	}
	return b, nil
}

// validate finds the trust root the flags give and checks that the network
// is set and someone can confirm, before any network traffic.
func (o *lightInitOptions) validate(app *App) error {
	root, err := o.root()
	if err != nil {
		return err
	}
	o.Root = root
	if err := app.RequireNetwork(); err != nil {
		return err
	}
	// Fail before any network traffic if no one can confirm.
	if !app.Yes && !app.IO.CanPrompt() {
		return output.UsageError("confirmation required, and akw is not running interactively",
			"check the trust root, then pass -y/--yes")
	}
	return nil
}

func runLightInit(ctx context.Context, app *App, opts *lightInitOptions) error {
	root := opts.Root
	cfg := trustedConfig(app)
	ctx, cancel := context.WithTimeout(ctx, lightTimeout)
	defer cancel()

	var confirmed trusted.Candidate
	confirm := func(c trusted.Candidate) (bool, error) {
		confirmed = c
		describeCandidate(app.IO.Err, c)
		if app.Yes {
			return true, nil
		}
		if err := app.Confirm("Trust this header?"); err != nil {
			if output.ExitCode(err) == output.Cancelled {
				return false, nil
			}
			return false, err
		}
		return true, nil
	}
	c, err := trusted.Init(ctx, cfg, root, trusted.InitOptions{Confirm: confirm, Force: opts.Force})
	if err != nil {
		return lightError(err)
	}
	defer c.Close()
	lb, err := c.LastTrusted()
	if err != nil {
		return lightError(err)
	}
	st, err := c.Status(ctx, false)
	if err != nil {
		return lightError(err)
	}
	res := lightInitResult{
		ChainID: cfg.ChainID, Height: lb.Height, Hash: lb.Hash().String(), Time: lb.Time,
		Source: st.TrustRoot.Source, Primary: cfg.Primary, Store: c.Dir(),
		Agreed: []string{}, Unavailable: []lightclient.Endpoint{},
	}
	res.Agreed = append(res.Agreed, confirmed.Agreed...)
	res.Unavailable = append(res.Unavailable, confirmed.Unavailable...)
	return app.Printer.Result(res, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "trusted header %d (%s) of %s stored in %s\n", res.Height, res.Hash, res.ChainID, res.Store)
		return err
	})
}

func describeCandidate(w io.Writer, c trusted.Candidate) {
	how := "given height and hash"
	if c.Latest {
		how = "the primary's newest header"
	}
	fmt.Fprintf(w, "Trust root for %s (%s):\n", c.ChainID, how)
	fmt.Fprintf(w, "  height   %d\n", c.Height)
	fmt.Fprintf(w, "  hash     %s\n", c.Hash)
	fmt.Fprintf(w, "  time     %s (%s ago)\n", c.Time.UTC().Format(time.RFC3339), roundAge(time.Since(c.Time)))
	fmt.Fprintf(w, "  primary  %s\n", c.Primary)
	for _, a := range c.Agreed {
		fmt.Fprintf(w, "  witness  %s: same header\n", a)
	}
	for _, u := range c.Unavailable {
		fmt.Fprintf(w, "  witness  %s: could not check (%s)\n", u.URL, u.Reason)
	}
	if c.Latest {
		fmt.Fprintln(w, "Compare this hash with a source you trust before confirming.")
	}
}

func roundAge(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 48*time.Hour:
		return d.Round(time.Minute).String()
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

// ---- status

// lightStatusOptions are what `akw light status` was asked.
type lightStatusOptions struct {
	NoProbe bool
}

func newLightStatusCmd(app *App, runF func(*lightStatusOptions) error) *cobra.Command {
	opts := &lightStatusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the trusted header, its age, and the nodes",
		Long: `Show the newest trusted header (height, hash, time, age), when it expires,
how the store was initialised, and each node: primary, witnesses, and which
are reachable (asked with /status; node-reported). Nothing is verified or
changed; "akw light update" brings the store up to date.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := app.RequireNetwork(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runLightStatus(app.Context(), app, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.NoProbe, "no-probe", false, "do not contact the nodes")
	return cmd
}

func runLightStatus(ctx context.Context, app *App, opts *lightStatusOptions) error {
	ctx, cancel := context.WithTimeout(ctx, lightTimeout)
	defer cancel()
	c, err := openTrusted(ctx, app)
	if err != nil {
		return err
	}
	defer c.Close()
	st, err := c.Status(ctx, !opts.NoProbe)
	if err != nil {
		return lightError(err)
	}
	if st.Expired {
		app.Printer.Warn("the trusted header expired at %s; run `akw light reset` and `akw light init` with a header you trust",
			st.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return app.Printer.Result(st, func(w io.Writer) error {
		writeLightStatus(w, st)
		return nil
	})
}

func writeLightStatus(w io.Writer, st *trusted.Status) {
	fmt.Fprintf(w, "chain        %s\n", st.ChainID)
	fmt.Fprintf(w, "trusted      height %d, hash %s\n", st.TrustedHeight, st.TrustedHash)
	fmt.Fprintf(w, "time         %s (%s ago)\n", st.TrustedTime.UTC().Format(time.RFC3339), roundAge(st.Age))
	exp := fmt.Sprintf("%s (in %s)", st.ExpiresAt.UTC().Format(time.RFC3339), roundAge(time.Until(st.ExpiresAt)))
	if st.Expired {
		exp = st.ExpiresAt.UTC().Format(time.RFC3339) + " (EXPIRED)"
	}
	fmt.Fprintf(w, "expires      %s; trusting period %s\n", exp, roundAge(st.TrustingPeriod))
	fmt.Fprintf(w, "store        %s (%d headers, heights %d to %d)\n", st.Store, st.StoredHeaders, st.FirstHeight, st.TrustedHeight)
	if st.TrustRoot.Height > 0 {
		fmt.Fprintf(w, "trust root   height %d, hash %s (%s, %s)\n", st.TrustRoot.Height, st.TrustRoot.Hash,
			st.TrustRoot.Source, st.TrustRoot.TrustedAt.UTC().Format(time.RFC3339))
	}
	for _, e := range st.Endpoints {
		role := e.Role
		if e.Role != e.Configured && e.Role != "dropped" {
			role += " (configured as " + e.Configured + ")"
		}
		line := fmt.Sprintf("%-12s %s", role, e.URL)
		switch {
		case !e.Probed:
		case e.Reachable && e.Error == "":
			line += fmt.Sprintf(": reachable, height %d (earliest %d)", e.LatestHeight, e.EarliestHeight)
		case e.Reachable:
			line += ": " + e.Error
		default:
			line += ": unreachable (" + e.Error + ")"
		}
		if e.Reason != "" {
			line += "; dropped: " + e.Reason
		}
		fmt.Fprintln(w, line)
	}
	for _, n := range st.Notices {
		fmt.Fprintf(w, "notice       %s\n", n.String())
	}
}

// ---- update

type lightUpdateResult struct {
	ChainID  string    `json:"chain_id"`
	Previous int64     `json:"previous_height"`
	Height   int64     `json:"height"`
	Hash     string    `json:"hash"`
	Time     time.Time `json:"time"`
	Advanced bool      `json:"advanced"`
	Primary  string    `json:"primary"`
	Verified bool      `json:"verified"`
}

// lightUpdateOptions are what `akw light update` was asked: it has no
// flags of its own, only the global ones (App).
type lightUpdateOptions struct{}

func newLightUpdateCmd(app *App, runF func(*lightUpdateOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "update",
		Short: "Verify the primary's newest header and store it",
		Long: `Verify the primary's newest header from the trusted store (skipping
verification at trust level 1/3), cross-check it against the witnesses, and
store it. A conflicting witness, an expired trust root or no witness left is
an error and nothing is stored.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := app.RequireNetwork(); err != nil {
				return err
			}
			if runF != nil {
				return runF(&lightUpdateOptions{})
			}
			return runLightUpdate(app)
		},
	}
}

func runLightUpdate(app *App) error {
	ctx, cancel := context.WithTimeout(app.Context(), lightTimeout)
	defer cancel()
	c, err := openTrusted(ctx, app)
	if err != nil {
		return err
	}
	defer c.Close()
	u, err := c.Update(ctx)
	if err != nil {
		return lightError(err)
	}
	res := lightUpdateResult{
		ChainID: c.ChainID(), Previous: u.Previous, Height: u.Block.Height, Hash: u.Block.Hash().String(),
		Time: u.Block.Time, Advanced: u.Advanced, Primary: c.PrimaryURL(), Verified: true,
	}
	return app.Printer.Result(res, func(w io.Writer) error {
		if !u.Advanced {
			// Not "up to date": the nodes may be behind the store
			// (the notices say so), or the chain halted.
			age := time.Since(res.Time)
			fmt.Fprintf(w, "no newer header verified: trusted header %d (%s), made %s (%s ago)\n", res.Height, res.Hash,
				res.Time.UTC().Format(time.RFC3339), state.AgeWords(age))
			if sa := time.Duration(app.Network.StaleAfter); sa > 0 && age > sa {
				fmt.Fprintf(w, "WARNING: %s\n", state.StaleWords(age))
			}
			return nil
		}
		_, err := fmt.Fprintf(w, "verified header %d (%s), %s; was %d\n", res.Height, res.Hash,
			res.Time.UTC().Format(time.RFC3339), res.Previous)
		return err
	})
}

// ---- reset

type lightResetResult struct {
	ChainID string `json:"chain_id"`
	Store   string `json:"store"`
	Removed bool   `json:"removed"`
}

// lightResetOptions are what `akw light reset` was asked: it has no flags
// of its own, only the global ones (App).
type lightResetOptions struct{}

func newLightResetCmd(app *App, runF func(*lightResetOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "reset",
		Short: "Delete the trusted headers of the chain",
		Long: `Delete the light client's store for the configured chain-id, including a
damaged one. Afterwards "akw light init" sets a new trust root. Asks for
confirmation; without a terminal, -y is needed.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if err := app.RequireNetwork(); err != nil {
				return err
			}
			if runF != nil {
				return runF(&lightResetOptions{})
			}
			return runLightReset(app)
		},
	}
}

func runLightReset(app *App) error {
	chainID, home := app.Network.ChainID, app.Paths.DataDir
	res := lightResetResult{ChainID: chainID, Store: trusted.StoreDir(home, chainID)}
	if trusted.Exists(home, chainID) {
		if err := app.Confirm(fmt.Sprintf("Delete the trusted headers of %s in %s?", chainID, res.Store)); err != nil {
			return err
		}
		if err := trusted.Reset(home, chainID); err != nil {
			return lightError(err)
		}
		res.Removed = true
	}
	return app.Printer.Result(res, func(w io.Writer) error {
		if !res.Removed {
			_, err := fmt.Fprintf(w, "no trusted store for %s in %s; nothing to reset\n", chainID, res.Store)
			return err
		}
		_, err := fmt.Fprintf(w, "removed the trusted store of %s (%s)\n", chainID, res.Store)
		return err
	})
}
