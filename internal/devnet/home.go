package devnet

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"

	"github.com/akash-wallet/akw/internal/config"
)

// ConfigureHome makes home an akw home that talks to the running devnet
// described by info, with no other flag: its config file selects the
// network "devnet" with validator0's RPC as primary and the other
// validators as witnesses, and the test keyring in keyringDir. Settings of
// the file that would override those (a global node, chain-id or witness
// list) are removed; everything else in the file is kept.
func ConfigureHome(home string, info *Info, keyringDir string) (configFile string, err error) {
	if len(info.RPC) == 0 {
		return "", fmt.Errorf("devnet: info lists no RPC endpoint")
	}
	paths, err := config.DefaultPaths(home)
	if err != nil {
		return "", err
	}
	f, err := config.Load(paths.ConfigFile)
	if err != nil {
		return "", err
	}
	f.Network = config.Devnet
	f.Node, f.ChainID, f.Witnesses = "", "", nil
	f.KeyringBackend = keyring.BackendTest
	f.KeyringDir = keyringDir
	if f.Networks == nil {
		f.Networks = map[string]config.Network{}
	}
	n := f.Networks[config.Devnet]
	n.ChainID = info.ChainID
	n.RPC = info.RPC[0]
	n.Witnesses = append([]string(nil), info.RPC[1:]...)
	f.Networks[config.Devnet] = n
	if err := f.Save(paths.ConfigFile); err != nil {
		return "", err
	}
	return paths.ConfigFile, nil
}

// ImportAccounts puts the accounts into the test keyring in dir (app name
// KeyringAppName). Keys already there under the same name and address are
// kept; a key of the same name with another address is a *KeyConflictError.
func ImportAccounts(dir string, accounts []Account) error {
	enc, err := AppEncoding()
	if err != nil {
		return err
	}
	if err := SetSDKConfig(); err != nil {
		return err
	}
	return writeKeyring(dir, enc, accounts, false)
}
