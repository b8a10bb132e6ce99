package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at release time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

type versionInfo struct {
	Akw        string `json:"akw"`
	Go         string `json:"go"`
	CosmosSDK  string `json:"cosmos_sdk"`
	CometBFT   string `json:"cometbft"`
	LedgerLib  string `json:"ledger_cosmos_go,omitempty"`
	Platform   string `json:"platform"`
	VCSCommit  string `json:"commit,omitempty"`
	VCSChanged bool   `json:"modified,omitempty"`
}

func readVersion() versionInfo {
	v := versionInfo{Akw: version, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if v.Akw == "" {
		v.Akw = bi.Main.Version
	}
	if v.Akw == "" || v.Akw == "(devel)" {
		v.Akw = "devel"
	}
	for _, d := range bi.Deps {
		mod := d
		if d.Replace != nil {
			mod = d.Replace
		}
		switch d.Path {
		case "github.com/cosmos/cosmos-sdk":
			v.CosmosSDK = mod.Version
		case "github.com/cometbft/cometbft":
			v.CometBFT = mod.Version
		case "github.com/cosmos/ledger-cosmos-go":
			v.LedgerLib = mod.Version
		}
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.VCSCommit = s.Value
		case "vcs.modified":
			v.VCSChanged = s.Value == "true"
		}
	}
	return v
}

// versionOptions are what `akw version` was asked: it has no flags of
// its own.
type versionOptions struct{}

func newVersionCmd(app *App, runF func(*versionOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the versions of akw, Go, cosmos-sdk and cometbft",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(&versionOptions{})
			}
			return runVersion(app)
		},
	}
}

func runVersion(app *App) error {
	v := readVersion()
	return app.Printer.Result(v, func(w io.Writer) error {
		fmt.Fprintf(w, "akw         %s\n", v.Akw)
		fmt.Fprintf(w, "go          %s %s\n", v.Go, v.Platform)
		fmt.Fprintf(w, "cosmos-sdk  %s\n", v.CosmosSDK)
		fmt.Fprintf(w, "cometbft    %s\n", v.CometBFT)
		if v.LedgerLib != "" {
			fmt.Fprintf(w, "ledger      ledger-cosmos-go %s\n", v.LedgerLib)
		}
		if v.VCSCommit != "" {
			fmt.Fprintf(w, "commit      %s\n", v.VCSCommit)
		}
		return nil
	})
}
