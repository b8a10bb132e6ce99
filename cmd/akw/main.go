// Command akw is a light-client wallet for AKT holders: it verifies every
// header with the CometBFT light client and every piece of chain state with
// Merkle proofs, keeps keys in the OS keyring, an encrypted file or a
// Ledger, and works from a terminal UI, plain commands and scripts.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], newSystemIO()))
}
