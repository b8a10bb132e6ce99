package errkind

// Remedy is a step the user can take, named rather than worded: each face
// words it for its medium (the command line names the command or the
// flag, the TUI the key or the screen). String gives words that hold for
// any face.
type Remedy struct {
	Do Action
	// Subject is what the step is about, when it needs one: a node's
	// URL, a transaction hash, a key name, a keyring backend.
	Subject string
}

// IsZero reports whether r names no step.
func (r Remedy) IsZero() bool { return r.Do == None }

// Action names a remedy.
type Action int

// The remedies. Add one when a library error calls for a step the faces
// should word themselves; give it neutral words below, and words in each
// face (cmd/akw hints.go, tui hints.go).
const (
	None Action = iota

	// The light client's trust root and store.

	// InitTrust: there is no trust root yet; set one from a header the
	// user trusts.
	InitTrust
	// ReplaceTrust: a trust root exists; delete the store first, or
	// replace the root explicitly.
	ReplaceTrust
	// ResetTrust: the store is damaged; delete it, then set a new root.
	ResetTrust
	// ReinitTrust: the trust root expired; delete it and set a new one.
	ReinitTrust
	// CloseOther: another akw process holds the store.
	CloseOther

	// Nodes.

	// OtherNode: the node's answer did not check out; use another node.
	// Subject, when set, is a witness to use.
	OtherNode
	// CheckNode: the node did not answer; check it, or use another.
	CheckNode
	// CheckNodes: no node answered; check the network and the nodes.
	CheckNodes
	// RecentHeight: no node holds the state at the height asked for;
	// ask for a more recent one, or add a node that keeps every height
	// (an archive node).
	RecentHeight
	// CheckChain: the nodes serve different chains.
	CheckChain
	// AddWitness: no witness is left to cross-check the primary.
	AddWitness
	// RemoveFaultyNode: two nodes conflict; stop using the faulty one.
	RemoveFaultyNode
	// FixSetting: a setting (Subject: "node", "home", "chain-id",
	// "trust-root", ...) is missing or wrong.
	FixSetting

	// Chain state the user can look at before trying again.

	ShowAccount     // the account's number and sequence
	ShowBalance     // the spendable balance
	ShowValidators  // the validator set
	ShowDelegations // the account's delegations
	ShowUnbondings  // the account's unbonding entries
	ShowProposals   // the proposals in their voting period

	// Transactions.

	// Delegate: there is nothing to claim before a delegation.
	Delegate
	// ActiveValidator: choose an active validator, or allow an inactive
	// one explicitly.
	ActiveValidator
	// NoCommission: the signer operates no validator; claim no
	// commission, or sign with the operator's key.
	NoCommission
	// NameValidators: name the validators to claim from, or claim from all.
	NameValidators
	// TxStatus: look the transaction (Subject: its hash) up before
	// anything else; do not sign it again.
	TxStatus
	// TxStatusElsewhere: check the transaction (Subject: its hash)
	// through another node.
	TxStatusElsewhere
	// RaiseFee: the fee is below what the node accepts.
	RaiseFee
	// RaiseGas: the gas limit was too low.
	RaiseGas
	// TxFile: the file is not a transaction akw wrote.
	TxFile
	// BroadcastOnline: broadcasting needs a node.
	BroadcastOnline

	// Keys.

	// ListKeys: no key of that name; check the name and the keyring.
	ListKeys
	// UseStoredKey: the key is stored already, under Subject.
	UseStoredKey
	// OtherKeyName: a key of that name exists.
	OtherKeyName
	// GivePassphrase: a passphrase is needed and nothing can supply one.
	GivePassphrase
	// RaiseKeyringTimeout: the keyring may wait for an unlock prompt
	// nobody sees. Its words start with "or": an alternative to the
	// error's own text (unlock it).
	RaiseKeyringTimeout
	// OtherBackend: the keyring backend cannot be used here. Its words
	// start with "or": an alternative to the error's own text.
	OtherBackend
	// KnownBackend: the keyring backend is not one akw knows.
	KnownBackend
	// HDPathRange: an account or index outside the BIP-32 range.
	HDPathRange
	// ExportedKey: the file is not an exported key.
	ExportedKey
)

// String is r in words that hold for any face.
func (r Remedy) String() string {
	switch r.Do {
	case InitTrust:
		return "set a trust root: a header from a source you trust, or the primary's newest header cross-checked against every witness"
	case ReplaceTrust:
		return "delete the trusted store first, or replace the trust root explicitly"
	case ResetTrust:
		return "delete the damaged store, then set a new trust root from a header you trust"
	case ReinitTrust:
		return "re-initialise from a header you trust: delete the store, then set a new trust root (akw never re-trusts silently)"
	case CloseOther:
		return "retry once the other akw using this store is done (a transaction keeps it only while it is checked), or close it"
	case OtherNode:
		if r.Subject != "" {
			return "use another node, such as the witness " + r.Subject
		}
		return "use another node"
	case CheckNode:
		return "check the node, or use another"
	case CheckNodes:
		return "check the network and the nodes' addresses"
	case RecentHeight:
		return "ask for a more recent height, or add an archive node (one that keeps every height) as a node or witness"
	case CheckChain:
		return "check the chain-id and the nodes: every node must serve the same chain"
	case AddWitness:
		return "add or change witnesses (nodes of the same chain run by someone other than the primary)"
	case RemoveFaultyNode:
		return "stop using the faulty node"
	case FixSetting:
		return "set the " + r.Subject
	case ShowAccount:
		return "check the account, then sign again"
	case ShowBalance:
		return "check the balance"
	case ShowValidators:
		return "check the validators"
	case ShowDelegations:
		return "check the delegations"
	case ShowUnbondings:
		return "see the unbonding entries"
	case ShowProposals:
		return "see the proposals in their voting period"
	case Delegate:
		return "delegate first"
	case ActiveValidator:
		return "choose an active validator, or allow an inactive one explicitly"
	case NoCommission:
		return "claim no commission, or sign with the validator's operator key"
	case NameValidators:
		return "name a validator, or claim from all"
	case TxStatus:
		return "look transaction " + r.Subject + " up by its hash first"
	case TxStatusElsewhere:
		return "check transaction " + r.Subject + " against another node"
	case RaiseFee:
		return "raise the fee or the gas price"
	case RaiseGas:
		return "let the node simulate the gas, or give a larger limit"
	case TxFile:
		return "give a transaction file akw wrote (unsigned, or signed)"
	case BroadcastOnline:
		return "configure a node, or broadcast from a connected machine"
	case ListKeys:
		return "check the key's name and which keyring is open (backend, directory, app name)"
	case UseStoredKey:
		return "use the key stored as \"" + r.Subject + "\", rename it, or replace it explicitly"
	case OtherKeyName:
		return "choose another name, or replace the existing key explicitly (its mnemonic or an export is then the only way back)"
	case GivePassphrase:
		return "give the passphrase from a file or the environment, or run akw in a terminal"
	case RaiseKeyringTimeout:
		return "or allow the keyring more time"
	case OtherBackend:
		return "or choose another keyring backend (file keeps an encrypted keyring in a directory)"
	case KnownBackend:
		return "choose a keyring backend akw knows"
	case HDPathRange:
		return "account and index take 0 to 2147483647 (m/44'/118'/account'/0/index)"
	case ExportedKey:
		return "give a key exported by akw or the Akash CLI"
	}
	return ""
}
