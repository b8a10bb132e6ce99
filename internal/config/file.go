package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/akash-wallet/akw/internal/atomicfile"
)

// File is the config file, config.toml. Every field is optional; an
// environment variable AKW_<FLAG> overrides a field, a flag overrides both.
type File struct {
	Network        string             `toml:"network,omitempty"`
	Node           string             `toml:"node,omitempty"`
	ChainID        string             `toml:"chain-id,omitempty"`
	Witnesses      []string           `toml:"witnesses,omitempty"`
	Output         string             `toml:"output,omitempty"`
	KeyringBackend string             `toml:"keyring-backend,omitempty"`
	KeyringDir     string             `toml:"keyring-dir,omitempty"`
	Networks       map[string]Network `toml:"networks,omitempty"`
}

// ParseError is a config file that exists but cannot be read as TOML.
type ParseError struct {
	Path string
	Err  error
}

func (e *ParseError) Error() string {
	var de *toml.DecodeError
	if errors.As(e.Err, &de) {
		row, col := de.Position()
		return fmt.Sprintf("config file %s does not parse: line %d, column %d: %s", e.Path, row, col, de.Error())
	}
	return fmt.Sprintf("config file %s does not parse: %v", e.Path, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Load reads the config file at path. A missing file is an empty config.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{}, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := parse(b)
	if err != nil {
		return nil, &ParseError{Path: path, Err: err}
	}
	return f, nil
}

// parse decodes a config file. go-toml v2.2.4 panics on some malformed
// files instead of returning an error (a table header over a string key,
// `[network.0]`, found by FuzzLoad); a typo in config.toml must be a parse
// error naming the file, not a crash, so the panic is turned into one.
func parse(b []byte) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("malformed TOML (%v)", r)
		}
	}()
	var cfg File
	dec := toml.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// Save writes f to path atomically: a temp file in the same directory,
// then a rename, so a crash never leaves half a config.
func (f *File) Save(path string) error {
	b, err := toml.Marshal(f)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(path, b, 0o600)
}

// UnknownNetworkError names a network that is neither a preset nor defined
// in the config file.
type UnknownNetworkError struct {
	Name  string
	Known []string
}

func (e *UnknownNetworkError) Error() string {
	return fmt.Sprintf("unknown network %q (known: %s)", e.Name, strings.Join(e.Known, ", "))
}

// NetworkNames lists presets and the file's networks, sorted.
func (f *File) NetworkNames() []string {
	seen := map[string]bool{}
	for n := range Presets() {
		seen[n] = true
	}
	for n := range f.Networks {
		seen[n] = true
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// LookupNetwork resolves a network by name: the config file's entry over the
// preset of the same name. A name that is neither is an error.
func (f *File) LookupNetwork(name string) (Network, error) {
	preset, isPreset := Presets()[name]
	user, isUser := f.Networks[name]
	switch {
	case isUser && isPreset:
		return user.merge(preset), nil
	case isUser:
		n := user.merge(userDefaults)
		if n.ChainID == "" {
			n.ChainID = name
		}
		return n, nil
	case isPreset:
		return preset, nil
	}
	return Network{}, &UnknownNetworkError{Name: name, Known: f.NetworkNames()}
}
