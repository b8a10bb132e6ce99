package state

import "github.com/akash-wallet/akw/lightclient/proof"

// alongWalk names keys of a walk's store to prove in the walk's own
// rounds, so that what the walk's caller needs next costs no round of its
// own when it can be foreseen: the metadata of the denoms an address is
// guessed (round one) or hinted by the node (round two) to hold, proven
// with its balances (Holdings). A foreseen key that turns out not to be
// needed costs one proof in a batch already sent, never a round trip.
// The proofs are verified like the walk's own; which keys are foreseen
// never decides what is shown.
type alongWalk struct {
	firstKeys [][]byte
	// hintKeys are the keys to prove with round two for the list keys
	// the node's (unproven) hint named.
	hintKeys func(hinted [][]byte) [][]byte
	proven   map[string]*proof.KeyProof
}

func (a *alongWalk) first() [][]byte {
	if a == nil {
		return nil
	}
	return a.firstKeys
}

func (a *alongWalk) fromHint(hinted [][]byte) [][]byte {
	if a == nil || a.hintKeys == nil {
		return nil
	}
	var out [][]byte
	for _, k := range a.hintKeys(hinted) {
		if _, done := a.proven[string(k)]; !done {
			out = append(out, k)
		}
	}
	return out
}

// with is the keys of one round: the walk's own, then along's.
func (a *alongWalk) with(own, along [][]byte) [][]byte { return append(own, along...) }

// keep files the proofs after the walk's own first n and returns those n.
func (a *alongWalk) keep(ps []*proof.KeyProof, n int) []*proof.KeyProof {
	if a == nil {
		return ps
	}
	if a.proven == nil {
		a.proven = map[string]*proof.KeyProof{}
	}
	for _, p := range ps[n:] {
		a.proven[string(p.Key)] = p
	}
	return ps[:n]
}

// get is the proof of key if a round proved it.
func (a *alongWalk) get(key []byte) (*proof.KeyProof, bool) {
	if a == nil {
		return nil, false
	}
	p, ok := a.proven[string(key)]
	return p, ok
}
