package keys

import (
	"errors"
	"testing"
)

// A Ledger unplugged between two APDUs of a signature fails the USB write
// ("hidapi: ..."): that is a device no longer connected, with the hint to
// connect it, not an unexplained device error (found by cmd/akw's
// TestFaults/LedgerUnpluggedMidSigning).
func TestLedgerUnpluggedMidConversation(t *testing.T) {
	for _, msg := range []string{"hidapi: ledgeremu: device unplugged", "hidapi: No such device"} {
		err := (&ledgerSession{}).classify(errors.New(msg))
		var le *LedgerError
		if !errors.As(err, &le) || le.Kind != LedgerNotConnected {
			t.Fatalf("%q classified as %v", msg, err)
		}
	}
}
