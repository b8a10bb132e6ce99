package trusted

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/akash-wallet/akw/lightclient"
)

// holderFile is where the process holding a store writes its pid and
// command, beside the database's lock, so that another process waiting
// for the store can say whom it waits for. goleveldb's lock decides who
// holds the store; this file only names the holder in a message. It is
// not removed on close: it is read only while the lock is held, and the
// holder of the lock has written it (a reader that comes between the
// lock and the write names the previous holder, which a message can
// bear).
const holderFile = "holder.json"

// writeHolder records this process as the store's holder. It is best
// effort: a store that cannot take it works the same. A shared store is
// opened once per operation; the record is written again only when the
// file is no longer the one this process wrote last (a stat costs a
// fraction of a write).
func writeHolder(dir, command string) {
	path := filepath.Join(dir, holderFile)
	written.Lock()
	defer written.Unlock()
	if last, ok := written.files[path]; ok && last.command == command {
		if fi, err := os.Stat(path); err == nil && os.SameFile(fi, last.info) && fi.ModTime().Equal(last.info.ModTime()) && fi.Size() == last.info.Size() {
			return
		}
	}
	bz, err := json.Marshal(lightclient.StoreHolder{PID: os.Getpid(), Command: command})
	if err != nil {
		return
	}
	if os.WriteFile(path, bz, 0o600) != nil {
		return
	}
	if fi, err := os.Stat(path); err == nil {
		written.files[path] = holderWrite{command, fi}
	}
}

// written is the holder files this process wrote last, as it left them.
var written = struct {
	sync.Mutex
	files map[string]holderWrite
}{files: map[string]holderWrite{}}

type holderWrite struct {
	command string
	info    os.FileInfo
}

// readHolder is what the store's holder recorded; zero when nothing
// readable is there. The file is another process's word, read only for
// a message: anything malformed is nothing, and a command is kept short
// and printable.
func readHolder(dir string) lightclient.StoreHolder {
	f, err := os.Open(filepath.Join(dir, holderFile))
	if err != nil {
		return lightclient.StoreHolder{}
	}
	defer f.Close()
	var h lightclient.StoreHolder
	if err := json.NewDecoder(io.LimitReader(f, 4096)).Decode(&h); err != nil || h.PID < 0 {
		return lightclient.StoreHolder{}
	}
	if !holderCommand.MatchString(h.Command) {
		h.Command = ""
	}
	return h
}

// holderCommand is what a recorded command may look like to be shown:
// words of a command line, no control characters.
var holderCommand = regexp.MustCompile(`^[A-Za-z0-9._ -]{1,64}$`)

// named is what the program said this process does (SetProcessCommand).
var named atomic.Pointer[string]

// SetProcessCommand names what this process does, as recorded beside the
// lock of a store it holds: the command line sets the path of the
// command it runs ("akw tx send") once its flags are parsed. A name that
// is not plain words is ignored.
func SetProcessCommand(name string) {
	if holderCommand.MatchString(name) {
		named.Store(&name)
	}
}

// processCommand is this process's command as recorded beside the lock:
// what SetProcessCommand named, else the program's name and the command
// words that follow it, never its arguments (addresses, amounts) or
// flags.
func processCommand() string {
	if p := named.Load(); p != nil {
		return *p
	}
	if len(os.Args) == 0 {
		return ""
	}
	words := []string{filepath.Base(os.Args[0])}
	for _, a := range os.Args[1:] {
		if len(words) == 3 || !commandWord.MatchString(a) {
			break
		}
		words = append(words, a)
	}
	if c := strings.Join(words, " "); holderCommand.MatchString(c) {
		return c
	}
	return ""
}

var commandWord = regexp.MustCompile(`^[a-z][a-z-]*$`)
