package devnet

import (
	"errors"
	"fmt"
)

// ConfigError is an unusable Config field.
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("devnet: Config.%s %s", e.Field, e.Reason) }

// ExistingChainError says DIR already holds a devnet that does not match what
// was asked for (another validator count, another genesis). Nothing was
// changed; Config.Reset (akw devnet --reset) starts a new chain instead.
type ExistingChainError struct {
	Dir    string
	Reason string
}

func (e *ExistingChainError) Error() string {
	return fmt.Sprintf("devnet: %s holds another devnet: %s", e.Dir, e.Reason)
}

// KeyConflictError says the test keyring already holds a key under an
// account's name with another address. The devnet never overwrites a key it
// did not create; Config.Reset replaces the keys of the devnet's own names.
type KeyConflictError struct {
	Name     string
	Existing string // address of the key in the keyring
	Wanted   string // address of the devnet account
}

func (e *KeyConflictError) Error() string {
	return fmt.Sprintf("devnet: keyring already holds a key %q with address %s (the devnet account is %s)", e.Name, e.Existing, e.Wanted)
}

// ErrSDKConfigSealed is returned when the process-wide cosmos-sdk bech32
// configuration was sealed with prefixes other than akash's.
var ErrSDKConfigSealed = errors.New("devnet: the cosmos-sdk address configuration is sealed with non-akash prefixes")

// NotReadyError says the chain did not produce its first blocks in time.
type NotReadyError struct {
	Validator string
	Height    int64
	Err       error
}

func (e *NotReadyError) Error() string {
	msg := fmt.Sprintf("devnet: %s did not reach height %d", e.Validator, e.Height)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *NotReadyError) Unwrap() error { return e.Err }

// ErrStopped is returned by calls on a stopped Network.
var ErrStopped = errors.New("devnet: network is stopped")

// UnknownAccountError names an account the devnet does not have.
type UnknownAccountError struct{ Name string }

func (e *UnknownAccountError) Error() string {
	return fmt.Sprintf("devnet: no account named %q", e.Name)
}

// TxError is a transaction the chain rejected, in CheckTx or in the block.
type TxError struct {
	Hash      string
	Height    int64 // 0 if rejected before inclusion
	Codespace string
	Code      uint32
	Log       string
}

func (e *TxError) Error() string {
	where := "check"
	if e.Height > 0 {
		where = fmt.Sprintf("block %d", e.Height)
	}
	return fmt.Sprintf("devnet: tx %s rejected in %s: %s code %d: %s", e.Hash, where, e.Codespace, e.Code, e.Log)
}

// ErrInUse says another running devnet (in this or another process) holds
// DIR/devnet.
var ErrInUse = errors.New("devnet: directory is in use by another running devnet")

var errLocked = ErrInUse
