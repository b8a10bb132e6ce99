package config

import (
	"os"
	"path/filepath"
)

// Paths says where akw keeps its state.
type Paths struct {
	ConfigFile string // config.toml
	DataDir    string // light-client store, default keyring dir
}

// DefaultPaths follows the XDG base directories: the config under
// $XDG_CONFIG_HOME/akw, the data under $XDG_DATA_HOME/akw. With --home,
// both are that one directory.
func DefaultPaths(home string) (Paths, error) {
	if home != "" {
		abs, err := filepath.Abs(home)
		if err != nil {
			return Paths{}, err
		}
		return Paths{ConfigFile: filepath.Join(abs, "config.toml"), DataDir: abs}, nil
	}
	cfgDir := os.Getenv("XDG_CONFIG_HOME")
	dataDir := os.Getenv("XDG_DATA_HOME")
	if cfgDir == "" || dataDir == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return Paths{}, err
		}
		if cfgDir == "" {
			cfgDir = filepath.Join(h, ".config")
		}
		if dataDir == "" {
			dataDir = filepath.Join(h, ".local", "share")
		}
	}
	return Paths{
		ConfigFile: filepath.Join(cfgDir, "akw", "config.toml"),
		DataDir:    filepath.Join(dataDir, "akw"),
	}, nil
}

// LightDir is where the trusted headers of chainID are stored.
func (p Paths) LightDir(chainID string) string {
	return filepath.Join(p.DataDir, "light", chainID)
}
