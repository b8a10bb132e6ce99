// Package startup keeps the garbage collector out of akw's start-up.
//
// Before main runs, Go initialises every linked package; for akw that is
// about 1,200 packages (the cosmos-sdk's type and codec registrations,
// cometbft, the UI libraries), which allocate about 15 MB, most of it
// kept for the life of the process. With the default GOGC the collector
// runs three to four times during that phase, each time finding little
// garbage.
//
// Importing this package from main switches the collector off while the
// packages that Go initialises after it run (about half of them: Go
// initialises in import-path order once dependencies are done, and
// runtime/debug sorts late); Done, called as the CLI starts, restores
// the setting (the default 100, or GOGC from the environment) before any
// command runs. A process that never calls Done (a test binary linking
// main's package) gets the setting back after restoreAfter anyway. The
// cost is the garbage of the init phase, held until the first
// collection. It is not a tuning of the running program: commands run
// with the normal collector.
package startup

import (
	"runtime/debug"
	"sync"
	"time"
)

// restoreAfter bounds how long the collector stays off if Done is never
// called.
const restoreAfter = 2 * time.Second

var (
	prevGCPercent = debug.SetGCPercent(-1)
	restore       sync.Once
	_             = time.AfterFunc(restoreAfter, Done)
)

// Done restores the collector's setting from before package
// initialisation. It is safe to call more than once.
func Done() {
	restore.Do(func() { debug.SetGCPercent(prevGCPercent) })
}
