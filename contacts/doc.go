// Package contacts is akw's address book: names for the addresses a user
// sends to, with the memo an exchange deposit needs, stored under the
// wallet's home.
//
// # Names
//
// A name is 1 to 32 characters: lower-case ASCII letters, digits, and
// '-', '_' or '.' after the first character, which must be a letter or a
// digit ("kraken", "bob.cold", "exchange-2"). Names are case-insensitive:
// "Kraken" is accepted and stored as "kraken", so two contacts can never
// differ only by case. Faces refer to a contact as "@NAME"; the marker is
// what keeps a mistyped address from ever being taken for a name (Resolve
// looks up only strings that begin with "@").
//
// # Addresses and memos
//
// A contact's address must be an account address of the book's chain
// (checked with tx/address: bech32 checksum, prefix, account not
// validator); a contact that fails the check cannot be saved, nor loaded
// from a file edited by hand or imported. The memo is optional, at most 256
// characters (the SDK's default MaxMemoCharacters) of printable text: no
// line breaks or other control characters, so that what the review shows
// is what is sent. Two names may share an address (one exchange, two
// deposit memos).
//
// # The file
//
// The book is one JSON file, DIR/contacts.json (DIR is the wallet's data
// directory, --home), mode 0600 in a directory of mode 0700:
//
//	{
//	  "version": 1,
//	  "contacts": [
//	    {"name": "kraken", "address": "akash1...", "memo": "104983"}
//	  ]
//	}
//
// Export writes the same format and Import reads it, so an export is a
// backup. Every change is a read-modify-write under an exclusive lock on
// DIR/contacts.lock (internal/fslock) and replaces the file by rename
// (internal/atomicfile): concurrent akw processes never lose
// each other's changes and a crash never leaves half a file. A file that
// does not parse or holds an invalid entry is refused with the entry named,
// never repaired silently.
//
// # Import
//
// Import validates every entry of the file before it changes anything and
// refuses the whole file on the first bad entry, naming it. A name that is
// already in the book with the same address and memo is unchanged; with a
// different address or memo it is a conflict, settled by the Merge rule the
// caller chose: MergeRefuse (the default: nothing is imported, the
// conflicts are named), MergeKeep (the book's entry stays) or
// MergeReplace (the file's entry replaces it). Nothing is overwritten
// unless the caller said MergeReplace.
package contacts
