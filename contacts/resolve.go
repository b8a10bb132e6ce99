package contacts

import (
	"strings"

	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/tx/address"
)

// Resolved is a recipient as a face shows it for review: the address that
// will be used, the default memo, and the contact it came from (nil for
// an address typed as such).
type Resolved struct {
	Address string
	Memo    string
	Contact *Contact
}

// Resolve turns a recipient as the user typed it into an address. "@NAME"
// is the contact NAME: its address, and its memo as the default memo.
// Anything else is an address and is only checked as one (tx/address),
// never looked up: a mistyped address is an error, not a contact's
// address. When such a string is not an address but is the name of a
// contact, the error says to write "@NAME".
func (b *Book) Resolve(s string) (Resolved, error) {
	s = strings.TrimSpace(s)
	if name, ok := strings.CutPrefix(s, "@"); ok {
		c, err := b.Get(name)
		if err != nil {
			return Resolved{}, err
		}
		// The book's file was validated on load; check again against the
		// prefixes of this call, which may be another chain's.
		if _, err := address.Account(c.Address, b.prefixes); err != nil {
			return Resolved{}, &Error{Reason: ErrInvalidAddress, Detail: "@" + c.Name + ": " + err.Error(), Err: err, usage: true,
				hint: "this contact's address is not for this network; check --network, or fix the contact"}
		}
		return Resolved{Address: c.Address, Memo: c.Memo, Contact: &c}, nil
	}
	acc, err := address.Account(s, b.prefixes)
	if err != nil {
		if n, nerr := NormalizeName(s); nerr == nil {
			if c, gerr := b.Get(n); gerr == nil {
				return Resolved{}, &NotAddressError{Err: err, Contact: c}
			}
		}
		return Resolved{}, err
	}
	return Resolved{Address: address.Bech32(b.prefixes.Account, acc)}, nil
}

// NotAddressError is a recipient typed without "@" that is not an address
// but is the name of a contact: it was not taken for the contact, and the
// hint says how to write it.
type NotAddressError struct {
	Err     error // the address check's error
	Contact Contact
}

func (e *NotAddressError) Error() string { return e.Err.Error() }
func (e *NotAddressError) Unwrap() error { return e.Err }

// Hint points to the contact's @ form.
func (e *NotAddressError) Hint() string {
	return "to send to the contact " + e.Contact.Name + " (" + e.Contact.Address + "), write @" + e.Contact.Name
}

// Kind: the user's input (exit 2).
func (e *NotAddressError) Kind() errkind.Kind { return errkind.Usage }
