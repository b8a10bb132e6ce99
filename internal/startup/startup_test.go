package startup

import (
	"runtime/debug"
	"testing"
)

// After Done the collector is back at the setting from before package
// initialisation (GOGC, or 100), however often Done is called. (Whether
// it is still off when the test starts depends on restoreAfter and the
// machine's load, so that is not asserted.)
func TestDoneRestoresTheCollector(t *testing.T) {
	if prevGCPercent < 0 {
		t.Skip("GOGC=off in the environment: nothing to restore")
	}
	Done()
	Done()
	if got := debug.SetGCPercent(prevGCPercent); got != prevGCPercent {
		t.Fatalf("after Done the collector is at %d, want %d", got, prevGCPercent)
	}
}
