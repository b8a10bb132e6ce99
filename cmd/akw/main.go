// Command akw is a light-client wallet for AKT holders: it verifies every
// header with the CometBFT light client and every piece of chain state with
// Merkle proofs, keeps keys in the OS keyring, an encrypted file or a
// Ledger, and works from a terminal UI, plain commands and scripts.
package main

import (
	"os"

	"github.com/akash-wallet/akw/internal/debugserver"
	"github.com/akash-wallet/akw/internal/output"
)

func main() {
	io := newSystemIO()
	stopDebug, err := debugserver.Start(os.Getenv)
	if err != nil {
		(&output.Printer{Format: output.Text, Out: io.Out, Err: io.Err}).PrintError(err)
		os.Exit(int(output.ExitCode(err)))
	}
	code := run(os.Args[1:], io)
	stopDebug()
	os.Exit(code)
}
