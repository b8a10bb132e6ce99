package contacts_test

import (
	"fmt"
	"os"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/errkind"
)

// A face saves a contact once, then resolves what the user types as a
// recipient: "@NAME" is a contact, anything else an address.
func ExampleBook_Resolve() {
	home, _ := os.MkdirTemp("", "akw-home-")
	defer os.RemoveAll(home)

	book := contacts.Open(home, "akash")
	if _, err := book.Add(contacts.Contact{Name: "Kraken", Address: "akash1qyqszqgpqyqszqgpqyqszqgpqyqszqgplgve5x", Memo: "104983"}); err != nil {
		fmt.Println(err)
		return
	}
	r, err := book.Resolve("@kraken")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Contact.Name, r.Address, "memo", r.Memo)

	// Without the @ the same word is an address, and not a valid one.
	_, err = book.Resolve("kraken")
	fmt.Println("error:", err)
	fmt.Println("hint:", errkind.HintOf(err).String())
	// Output:
	// kraken akash1qyqszqgpqyqszqgpqyqszqgpqyqszqgplgve5x memo 104983
	// error: invalid address "kraken": not a bech32 address (invalid bech32 string length 6)
	// hint: to send to the contact kraken (akash1qyqszqgpqyqszqgpqyqszqgpqyqszqgplgve5x), write @kraken
}
