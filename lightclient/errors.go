package lightclient

import (
	"fmt"
	"strings"
	"time"

	// errkind is the only package of akw's that lightclient imports: the
	// light client is meant to be read, tested and reused on its own.
	"github.com/akash-wallet/akw/errkind"
)

// Every typed error of the lightclient packages says its kind (Kind,
// from errkind: verification failures exit 3, network failures 5) and,
// where there is one, what the user can do (Hint, a medium-neutral
// sentence, and Remedy, which each face words for its medium). None names
// a command, flag, key or screen of akw's faces.

// ErrNoTrustedStore means there is no trusted store for the chain yet: the
// light client has no root of trust and must be initialised.
type ErrNoTrustedStore struct {
	ChainID string
	Dir     string
}

func (e *ErrNoTrustedStore) Error() string {
	return fmt.Sprintf("no trusted header for chain %s (no light-client store in %s)", e.ChainID, e.Dir)
}
func (e *ErrNoTrustedStore) Kind() errkind.Kind     { return errkind.Failure }
func (e *ErrNoTrustedStore) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.InitTrust} }

// ErrStoreExists means an initialisation would overwrite an existing trust
// root. akw never replaces a trust root without being told to.
type ErrStoreExists struct {
	ChainID string
	Dir     string
	Height  int64
}

func (e *ErrStoreExists) Error() string {
	return fmt.Sprintf("a trusted store for chain %s already exists in %s (trusted height %d)", e.ChainID, e.Dir, e.Height)
}
func (e *ErrStoreExists) Kind() errkind.Kind     { return errkind.Failure }
func (e *ErrStoreExists) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.ReplaceTrust} }

// ErrStoreCorrupt means the trusted store could not be read back intact.
// akw refuses to use it rather than re-trusting whatever a node says.
type ErrStoreCorrupt struct {
	ChainID string
	Dir     string
	Reason  error
}

func (e *ErrStoreCorrupt) Error() string {
	return fmt.Sprintf("the light-client store for chain %s in %s is damaged: %v", e.ChainID, e.Dir, e.Reason)
}
func (e *ErrStoreCorrupt) Unwrap() error          { return e.Reason }
func (e *ErrStoreCorrupt) Kind() errkind.Kind     { return errkind.Failure }
func (e *ErrStoreCorrupt) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.ResetTrust} }

// ErrStoreBusy means another process holds the store open, and kept it
// for as long as the opener was willing to wait (Waited).
type ErrStoreBusy struct {
	Dir    string
	Reason error
	// Holder is who said they hold it (zero: unknown). It is what the
	// holder wrote beside the lock, for the message only.
	Holder StoreHolder
	// Waited is how long the opener waited before giving up (0: it did
	// not wait).
	Waited time.Duration
}

func (e *ErrStoreBusy) Error() string {
	msg := "the light-client store in " + e.Dir + " is in use by another akw process" + e.Holder.paren()
	if e.Waited > 0 {
		msg += fmt.Sprintf("; gave up waiting after %s", e.Waited)
	}
	return fmt.Sprintf("%s: %v", msg, e.Reason)
}
func (e *ErrStoreBusy) Unwrap() error          { return e.Reason }
func (e *ErrStoreBusy) Kind() errkind.Kind     { return errkind.Failure }
func (e *ErrStoreBusy) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.CloseOther} }

// StoreHolder is what the process holding a store wrote beside its lock:
// its pid and command. The lock itself decides who holds the store; this
// only names the holder in a message, and may be stale or missing.
type StoreHolder struct {
	PID     int    `json:"pid"`
	Command string `json:"command"`
}

// paren is " (pid N, `cmd`)", or "" when nothing is known.
func (h StoreHolder) paren() string {
	var parts []string
	if h.PID > 0 {
		parts = append(parts, fmt.Sprintf("pid %d", h.PID))
	}
	if h.Command != "" {
		parts = append(parts, "`"+h.Command+"`")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// StoreWait is a wait for a store another process holds: told once when
// it begins and once when it ends (Ended), so that a face can say why it
// pauses and stop saying it.
type StoreWait struct {
	Dir    string
	Holder StoreHolder
	// Limit is how long the opener waits before giving up with
	// *ErrStoreBusy.
	Limit time.Duration
	// Ended: the wait is over, the store taken or given up on.
	Ended bool
}

// String is the wait in words that hold for any face.
func (w StoreWait) String() string {
	return fmt.Sprintf("waiting for another akw process using the light-client store %s%s (up to %s)…",
		w.Dir, w.Holder.paren(), w.Limit)
}

// ErrTrustExpired means the newest trusted header is older than the trusting
// period, so new headers can no longer be verified from it. Re-trusting a
// header a node serves would defeat the light client; the user must supply a
// new root of trust.
type ErrTrustExpired struct {
	ChainID        string
	Height         int64
	Hash           []byte
	HeaderTime     time.Time
	TrustingPeriod time.Duration
	Now            time.Time
}

func (e *ErrTrustExpired) Error() string {
	return fmt.Sprintf("trusted header %d (%X) of chain %s is from %s, older than the trusting period of %s; it expired at %s",
		e.Height, e.Hash, e.ChainID, e.HeaderTime.UTC().Format(time.RFC3339), e.TrustingPeriod,
		e.HeaderTime.Add(e.TrustingPeriod).UTC().Format(time.RFC3339))
}
func (e *ErrTrustExpired) Kind() errkind.Kind     { return errkind.Verification }
func (e *ErrTrustExpired) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.ReinitTrust} }

// Endpoint names a node and what happened to it.
type Endpoint struct {
	URL    string
	Reason string // empty when the node answered correctly
}

// ErrConflict means a witness served a header that differs from the
// primary's at the same height. When Attack is set, the light client has
// verified both branches from the common trusted header, so validators
// signed two conflicting blocks (a light-client attack); the evidence was
// sent to both nodes. Otherwise one of the two nodes is faulty and nothing
// may be trusted until that is resolved.
type ErrConflict struct {
	ChainID     string
	Height      int64
	Primary     string
	PrimaryHash []byte
	Witness     string
	WitnessHash []byte
	// Attack is true when the conflict was proven with valid signatures
	// on both sides (light.ErrLightClientAttack).
	Attack bool
	// CommonHeight is the last height both branches agree on, when known.
	CommonHeight int64
	// Detail describes a conflict that is not about header hashes, such as
	// diverging validator-set proposer priorities.
	Detail string
}

func (e *ErrConflict) Error() string {
	var b strings.Builder
	if e.Attack {
		b.WriteString("light-client attack detected: ")
	} else {
		b.WriteString("conflicting headers: ")
	}
	fmt.Fprintf(&b, "at height %d the primary %s has %X but witness %s has %X",
		e.Height, e.Primary, e.PrimaryHash, e.Witness, e.WitnessHash)
	if e.CommonHeight > 0 {
		fmt.Fprintf(&b, " (branches diverge after height %d)", e.CommonHeight)
	}
	if e.Detail != "" {
		b.WriteString("; " + e.Detail)
	}
	if e.Attack {
		b.WriteString("; evidence was sent to both nodes")
	}
	return b.String()
}
func (e *ErrConflict) Kind() errkind.Kind { return errkind.Verification }
func (e *ErrConflict) Hint() string {
	return "nothing is shown as verified while this stands; check both nodes against a source you trust"
}
func (e *ErrConflict) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.RemoveFaultyNode} }

// ErrNoWitnesses means no witness is left to cross-check the primary's
// headers: they did not answer, lacked the height, or served invalid
// headers. Skipping verification without a witness is unsafe, so akw stops.
type ErrNoWitnesses struct {
	ChainID   string
	Witnesses []Endpoint
	// Network is true when every witness failed for network reasons.
	Network bool
}

func (e *ErrNoWitnesses) Error() string {
	if len(e.Witnesses) == 0 {
		return "no witness configured: at least one witness is needed to cross-check the primary"
	}
	parts := make([]string, 0, len(e.Witnesses))
	for _, w := range e.Witnesses {
		if w.Reason != "" {
			parts = append(parts, w.URL+": "+w.Reason)
		} else {
			parts = append(parts, w.URL)
		}
	}
	return "no witness could confirm the primary's header (" + strings.Join(parts, "; ") + ")"
}
func (e *ErrNoWitnesses) Kind() errkind.Kind {
	if len(e.Witnesses) == 0 {
		return errkind.Usage
	}
	if e.Network {
		return errkind.Network
	}
	return errkind.Verification
}
func (e *ErrNoWitnesses) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.AddWitness} }

// ErrUnreachable means no node answered: the primary and every witness
// that could replace it were unreachable or timed out.
type ErrUnreachable struct {
	Endpoints []Endpoint
}

func (e *ErrUnreachable) Error() string {
	parts := make([]string, 0, len(e.Endpoints))
	for _, n := range e.Endpoints {
		if n.Reason != "" {
			parts = append(parts, n.URL+": "+n.Reason)
		} else {
			parts = append(parts, n.URL)
		}
	}
	return "cannot reach any node (" + strings.Join(parts, "; ") + ")"
}
func (e *ErrUnreachable) Kind() errkind.Kind     { return errkind.Network }
func (e *ErrUnreachable) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.CheckNodes} }

// ErrWrongChain means a node serves another chain than the one configured.
type ErrWrongChain struct {
	URL  string
	Want string
	Got  string
}

func (e *ErrWrongChain) Error() string {
	return fmt.Sprintf("node %s is on chain %q, not %q", e.URL, e.Got, e.Want)
}
func (e *ErrWrongChain) Kind() errkind.Kind     { return errkind.Verification }
func (e *ErrWrongChain) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.CheckChain} }

// ErrTrustHashMismatch means the header a node serves at the trust height
// does not have the hash the user gave.
type ErrTrustHashMismatch struct {
	URL    string
	Height int64
	Want   []byte
	Got    []byte
}

func (e *ErrTrustHashMismatch) Error() string {
	return fmt.Sprintf("node %s has header %X at height %d, not the trusted hash %X", e.URL, e.Got, e.Height, e.Want)
}
func (e *ErrTrustHashMismatch) Kind() errkind.Kind { return errkind.Verification }
func (e *ErrTrustHashMismatch) Hint() string {
	return "check the trusted height and hash against your source; if they are right, this node is on another chain or lying"
}

// ErrHeightUnavailable means no node still holds the requested height
// (pruned).
type ErrHeightUnavailable struct {
	Height int64
}

func (e *ErrHeightUnavailable) Error() string {
	return fmt.Sprintf("no node has the header at height %d any more (pruned)", e.Height)
}

// Kind: unproven (exit 3, "could not be proven"). No header failed to
// verify: the nodes said they no longer hold it, which proves nothing
// either way; the faces do not word it as an alarm (a false "verification
// failed" would teach users to ignore the real one).
func (e *ErrHeightUnavailable) Kind() errkind.Kind { return errkind.Unproven }
func (e *ErrHeightUnavailable) Hint() string {
	return "the nodes have pruned that height (public nodes keep only recent ones)"
}
func (e *ErrHeightUnavailable) Remedy() errkind.Remedy {
	return errkind.Remedy{Do: errkind.RecentHeight}
}

// ErrHeightTooHigh means the requested height is above the chain's latest.
type ErrHeightTooHigh struct {
	Height int64
}

func (e *ErrHeightTooHigh) Error() string {
	return fmt.Sprintf("height %d is above the newest block the nodes have", e.Height)
}
func (e *ErrHeightTooHigh) Kind() errkind.Kind { return errkind.Failure }

// ErrVerification means a header failed verification: bad signatures, too
// little voting power, a validator set that does not match the header.
type ErrVerification struct {
	From   int64
	To     int64
	Reason error
}

func (e *ErrVerification) Error() string {
	if e.From > 0 {
		return fmt.Sprintf("header %d could not be verified from trusted header %d: %v", e.To, e.From, e.Reason)
	}
	return fmt.Sprintf("header %d could not be verified: %v", e.To, e.Reason)
}
func (e *ErrVerification) Unwrap() error      { return e.Reason }
func (e *ErrVerification) Kind() errkind.Kind { return errkind.Verification }
func (e *ErrVerification) Hint() string {
	return "the node served a header that does not check out"
}
func (e *ErrVerification) Remedy() errkind.Remedy { return errkind.Remedy{Do: errkind.OtherNode} }

// ErrInvalidConfig means the light client's settings are unusable.
type ErrInvalidConfig struct {
	Reason string
	Fix    string // what a good value looks like, in words for any face
	// Setting names the setting to change (Config's field as the faces
	// name it: "node", "home", "chain-id", "trust-root"); empty when Fix
	// says it all.
	Setting string
}

func (e *ErrInvalidConfig) Error() string      { return e.Reason }
func (e *ErrInvalidConfig) Kind() errkind.Kind { return errkind.Usage }
func (e *ErrInvalidConfig) Hint() string       { return e.Fix }
func (e *ErrInvalidConfig) Remedy() errkind.Remedy {
	if e.Setting == "" {
		return errkind.Remedy{}
	}
	return errkind.Remedy{Do: errkind.FixSetting, Subject: e.Setting}
}

// ErrCancelled means the user declined a confirmation.
type ErrCancelled struct {
	What string
}

func (e *ErrCancelled) Error() string      { return "cancelled: " + e.What }
func (e *ErrCancelled) Kind() errkind.Kind { return errkind.Cancelled }

// ErrAboveTip means a header was asked at a height the primary does not
// have yet: a guess of the newest height that was ahead of the chain. Tip
// is the newest height the node said it has (its own word, unverified;
// 0 if it did not say). Callers that guessed ask again at the tip.
type ErrAboveTip struct {
	Node   string
	Height int64
	Tip    int64
}

func (e *ErrAboveTip) Error() string {
	if e.Tip > 0 {
		return fmt.Sprintf("%s has no header at height %d yet (its newest is %d)", e.Node, e.Height, e.Tip)
	}
	return fmt.Sprintf("%s has no header at height %d yet", e.Node, e.Height)
}
func (e *ErrAboveTip) Kind() errkind.Kind { return errkind.Network }
