package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	sdkkeyring "github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/akash-wallet/akw/keys/sstest"
)

// TestKeysBackendScripts drives `akw keys` against the real keyring
// services that .ci/with-keyrings.sh starts (gnome-keyring on a private
// D-Bus, a throwaway pass store, the kernel user keyring) and against
// keyrings written by the cosmos-sdk as the Akash CLI writes them.
// Scripts guard service-specific parts with [secretservice], [pass] and
// [keyctl]; without the services those parts skip.
func TestKeysBackendScripts(t *testing.T) {
	pass := []string{"DBUS_SESSION_BUS_ADDRESS", "GNUPGHOME", "PASSWORD_STORE_DIR", "AKW_KEYRING_SCRATCH",
		"AKW_TEST_SECRET_SERVICE", "AKW_TEST_PASS", "AKW_TEST_KEYCTL"}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/keys_backends",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir+"/userhome")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/userhome/.config")
			env.Setenv("XDG_DATA_HOME", env.WorkDir+"/userhome/.local/share")
			for _, v := range pass {
				env.Setenv(v, os.Getenv(v))
			}
			// A name no other run uses, for stores shared by the machine.
			b := make([]byte, 4)
			_, _ = rand.Read(b)
			env.Setenv("APP", "akwcli"+hex.EncodeToString(b))
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "secretservice":
				return sstest.Available(), nil
			case "pass":
				return os.Getenv("AKW_TEST_PASS") == "1" && os.Getenv("PASSWORD_STORE_DIR") != "", nil
			case "keyctl":
				return os.Getenv("AKW_TEST_KEYCTL") == "1", nil
			}
			return false, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sscollection": cmdSSCollection,
			"akashkeyring": cmdAkashKeyring,
		},
	})
}

// sscollection create|delete NAME: a secret-service collection, created
// as a desktop user would by answering gnome-keyring's prompt.
func cmdSSCollection(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sscollection create|delete NAME")
	}
	switch args[0] {
	case "create":
		ts.Check(sstest.EnsureCollection(args[1], "collection-pass"))
	case "delete":
		ts.Check(sstest.DeleteCollection(args[1]))
	default:
		ts.Fatalf("usage: sscollection create|delete NAME")
	}
}

// akashkeyring APP BACKEND DIR NAME MNEMONICFILE [PASSFILE]: writes a key
// exactly as the Akash CLI (`akash keys add NAME --recover`) would: the
// cosmos-sdk keyring, app name APP, the given backend and directory, the
// default path m/44'/118'/0'/0/0. keyctl uses the user scope.
func cmdAkashKeyring(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 5 {
		ts.Fatalf("usage: akashkeyring APP BACKEND DIR NAME MNEMONICFILE [PASSFILE]")
	}
	app, backend, dir, name := args[0], args[1], ts.MkAbs(args[2]), args[3]
	mnemonic := strings.TrimSpace(ts.ReadFile(args[4]))
	input := ""
	if len(args) > 5 {
		p := strings.TrimSpace(ts.ReadFile(args[5]))
		input = p + "\n" + p + "\n"
	}
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	var opts []sdkkeyring.Option
	if backend == "keyctl" {
		opts = append(opts, sdkkeyring.KeyctlScopeUser)
	}
	kr, err := sdkkeyring.New(app, backend, dir, strings.NewReader(input), codec.NewProtoCodec(reg), opts...)
	ts.Check(err)
	_, err = kr.NewAccount(name, mnemonic, "", hd.CreateHDPath(118, 0, 0).String(), hd.Secp256k1)
	ts.Check(err)
}
