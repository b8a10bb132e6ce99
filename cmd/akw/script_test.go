package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The CLI is tested as users and scripts drive it: testscript runs the
// txtar files under testdata/script, where `akw` is this test binary
// re-executed as the real command (same main, same exit codes).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"akw": func() { os.Exit(run(os.Args[1:], newSystemIO())) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Keep each script away from the user's real config and keys.
			env.Setenv("HOME", env.WorkDir+"/userhome")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/userhome/.config")
			env.Setenv("XDG_DATA_HOME", env.WorkDir+"/userhome/.local/share")
			return nil
		},
	})
}
