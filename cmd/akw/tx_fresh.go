package main

import (
	"time"

	"github.com/akash-wallet/akw/tx/flow"
)

// checkedStateJSON is the verified state the checks before signing
// rested on, and how old it was.
type checkedStateJSON struct {
	Height     int64     `json:"height"`
	HeaderTime time.Time `json:"header_time"`
	AgeSeconds int64     `json:"age_seconds"`
	Stale      bool      `json:"stale"`
	Warning    string    `json:"warning,omitempty"`
}

func toCheckedState(p *flow.Plan) *checkedStateJSON {
	if p == nil || !p.AccountVerified || p.Fresh.HeaderTime.IsZero() {
		return nil
	}
	j := &checkedStateJSON{Height: p.AccountHeight, HeaderTime: p.Fresh.HeaderTime.UTC(), AgeSeconds: int64(p.Fresh.Age / time.Second), Stale: p.Fresh.Stale}
	if p.Fresh.Stale {
		j.Warning = p.Fresh.Note
	}
	return j
}
