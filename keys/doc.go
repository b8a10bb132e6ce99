// Package keys keeps akw's keys: in the operating system's keyring, an
// encrypted file, pass, the kernel keyring, or on a Ledger (public key and
// path only).
//
// Keyring wraps the cosmos-sdk keyring (99designs/keyring underneath) and
// keeps its storage format — a protobuf Record at <name>.info and a
// <hexaddr>.address index per key — so keyrings are shared with the Akash
// CLI: see Config for how the app name is chosen. What akw adds:
//
//   - the store really in use is known and reported (Backend): the
//     library's Open silently falls through to the next backend;
//   - every backend call is bounded by a timeout and a hang is reported as
//     a TimeoutError naming the backend;
//   - a key is never written over an existing name or address without
//     Overwrite, and a failed overwrite puts the old items back;
//   - typed errors (errors.go) that never contain a mnemonic, passphrase
//     or key material;
//   - file keyrings: passphrase from a PassphraseSource (terminal, file or
//     environment, never argv), three tries when interactive, 0700/0600
//     permissions, item files written atomically.
//
// Ledger keys (ledger*.go) go through the real ledger-cosmos-go client;
// Keyring.AddLedger, ShowOnDevice and Sign use them.
package keys
