package main

import (
	"errors"
	"strings"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/tx/address"
	"github.com/akash-wallet/akw/tx/ops"
)

// @NAME: a contact of the address book wherever akw takes an account
// address (a send's recipient, a query's or history's address). The
// marker is explicit, so that a mistyped address is never taken for a
// name: a string without it is always an address (contacts.Resolve).

// isContactRef reports whether s names a contact ("@kraken").
func isContactRef(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "@") }

// resolveContact is the contact s names ("@kraken"): its address and its
// memo, checked against the network's prefix.
func resolveContact(app *App, s string) (contacts.Resolved, error) {
	b, err := openBook(app)
	if err != nil {
		return contacts.Resolved{}, err
	}
	r, err := b.Resolve(s)
	if err != nil {
		return contacts.Resolved{}, contactsError(err)
	}
	return r, nil
}

// resolveRecipient is a send's recipient as typed: @NAME is the contact;
// anything else is an address, left as typed for tx/ops to check — except
// that a string which is not an address but is a contact's name is
// refused with the hint to write @NAME.
func resolveRecipient(app *App, s string) (string, *contacts.Resolved, error) {
	if isContactRef(s) {
		r, err := resolveContact(app, s)
		if err != nil {
			return "", nil, err
		}
		return r.Address, &r, nil
	}
	p, err := contactsPrefixes(app)
	if err != nil {
		return "", nil, err
	}
	if _, aerr := address.Account(s, p); aerr != nil {
		// Only the book's own answer for a contact's name is used; a
		// book that cannot be read leaves the address check to tx/ops.
		if _, rerr := contacts.Open(app.Paths.DataDir, p.Account).Resolve(s); rerr != nil {
			var na *contacts.NotAddressError
			if errors.As(rerr, &na) {
				return "", nil, contactsError(rerr)
			}
		}
	}
	return s, nil, nil
}

// withContact is a send's review with the contact it goes to: the name
// beside the full address, and where the memo came from.
func withContact(fields []ops.Field, r *contacts.Resolved, memoFromContact bool) []ops.Field {
	if r == nil || r.Contact == nil {
		return fields
	}
	v := "@" + r.Contact.Name + " = " + r.Address
	if memoFromContact {
		v += " (memo from the contact)"
	}
	out := make([]ops.Field, 0, len(fields)+1)
	for _, f := range fields {
		out = append(out, f)
		if f.Label == "to" {
			out = append(out, ops.Field{Label: "contact", Value: v})
		}
	}
	return out
}
