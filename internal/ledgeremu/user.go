package ledgeremu

import "sync"

// ReviewKind says what the device asks the user to review.
type ReviewKind int

const (
	// ReviewAddress: GET_ADDR with P1=1, the address on screen.
	ReviewAddress ReviewKind = iota + 1
	// ReviewTransaction: the pages of a sign document after SIGN's last chunk.
	ReviewTransaction
)

func (k ReviewKind) String() string {
	switch k {
	case ReviewAddress:
		return "address"
	case ReviewTransaction:
		return "transaction"
	}
	return "unknown"
}

// Screen is one key/value page the device shows.
type Screen struct {
	Key   string
	Value string
}

// Review is what the device puts on screen and waits on.
type Review struct {
	Kind    ReviewKind
	Screens []Screen
	// Path is the BIP32 path involved, as m/44'/118'/0'/0/0.
	Path string
	// Decision is filled in once the user has answered.
	Decision Decision
}

// Value returns the value of the first screen titled key, and whether there
// is one.
func (r Review) Value(key string) (string, bool) {
	for _, s := range r.Screens {
		if s.Key == key {
			return s.Value, true
		}
	}
	return "", false
}

// Decision is the user's answer on the device.
type Decision int

const (
	Approve Decision = iota + 1
	Reject
)

func (d Decision) String() string {
	switch d {
	case Approve:
		return "approve"
	case Reject:
		return "reject"
	}
	return "pending"
}

// User stands for the person holding the device: it sees each review and
// presses approve or reject. Decide may block (a real user takes time; the
// host waits).
type User interface {
	Decide(Review) Decision
}

// UserFunc adapts a function to User.
type UserFunc func(Review) Decision

func (f UserFunc) Decide(r Review) Decision { return f(r) }

var (
	// ApproveAll approves every review at once.
	ApproveAll User = UserFunc(func(Review) Decision { return Approve })
	// RejectAll rejects every review at once.
	RejectAll User = UserFunc(func(Review) Decision { return Reject })
)

// Prompt is a review waiting for an answer from an Interactive user.
type Prompt struct {
	Review Review
	answer chan Decision
	once   sync.Once
}

// Approve presses "approve" on the device.
func (p *Prompt) Approve() { p.answer1(Approve) }

// Reject presses "reject" on the device.
func (p *Prompt) Reject() { p.answer1(Reject) }

func (p *Prompt) answer1(d Decision) { p.once.Do(func() { p.answer <- d }) }

// Interactive is a User driven from a test or a demo: each review arrives
// on Prompts and the device waits until the receiver calls Approve or Reject
// on it, as a real device waits for its buttons.
type Interactive struct {
	Prompts chan *Prompt
}

// NewInteractive returns an Interactive user with an unbuffered channel.
func NewInteractive() *Interactive { return &Interactive{Prompts: make(chan *Prompt)} }

func (u *Interactive) Decide(r Review) Decision {
	p := &Prompt{Review: r, answer: make(chan Decision, 1)}
	u.Prompts <- p
	return <-p.answer
}
