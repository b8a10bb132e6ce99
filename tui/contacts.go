package tui

import (
	"context"
	"strings"
)

// Contact is one entry of the address book.
type Contact struct {
	Name    string
	Address string
	// Memo is what a send to the contact carries by default (the memo an
	// exchange deposit needs).
	Memo string
}

// contactPrefix marks a contact in the recipient field, as on the command
// line (akw tx send FROM @NAME): typed first in an empty field, it opens
// the address book instead of being taken as part of an address.
const contactPrefix = "@"

// newContactPicker lists the address book; choosing a contact fills the
// field with its address (shown as "@name  address") and offers its memo.
func newContactPicker(c *common, target *field) *picker {
	return &picker{c: c, target: target, name: "Contacts", load: func(ctx context.Context) (pickerData, error) {
		cs, err := c.be.Contacts(ctx)
		if err != nil {
			return pickerData{}, err
		}
		nameW := 16
		for _, ct := range cs {
			nameW = max(nameW, lipWidth(ct.Name)+3)
		}
		addrW := max(20, min(46, c.width-nameW-14))
		d := pickerData{
			header: pad("name", nameW) + pad("address", addrW) + "memo",
			note:   "address book (local file; addresses checked when saved and again now)",
		}
		if len(cs) == 0 {
			d.note = "The address book is empty: add contacts with `akw contacts add NAME ADDRESS`."
		}
		for _, ct := range cs {
			d.items = append(d.items, pickItem{
				value:   ct.Address,
				display: contactPrefix + ct.Name + "  " + ct.Address,
				row:     pad(contactPrefix+ct.Name, nameW) + pad(shortAddr(ct.Address, addrW-2), addrW) + ct.Memo,
				search:  strings.ToLower(ct.Name + " " + ct.Address + " " + ct.Memo),
				name:    contactPrefix + ct.Name,
				memo:    ct.Memo,
			})
		}
		return d, nil
	}}
}
