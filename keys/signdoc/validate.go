package signdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// DefaultChainID is the chain for which the app hides chain_id, account and
// sequence (outside expert mode) and shows only the fee amount.
const DefaultChainID = "cosmoshub-4"

// Options tune Validate to a device.
type Options struct {
	// MaxTokens is the device's JSON token limit (MaxTokens or
	// MaxTokensLargeUI); 0 means MaxTokens.
	MaxTokens int
	// Expert is the app's expert mode: every field is shown.
	Expert bool
}

// Item is one key/value the device shows, in display order. Path is the
// JSON path the app walks ("msgs/value/amount"), Key its on-screen title.
// Value is the raw text from the document (strings still escaped), or the
// raw JSON of a subtree the app does not descend into.
type Item struct {
	Path  string
	Key   string
	Value string
}

// Doc is a sign document that passed the app's checks.
type Doc struct {
	ChainID string
	Items   []Item
}

// Validate applies the app's checks in the app's order and returns what it
// would display. The returned *Error carries the app's reason text.
func Validate(doc []byte, opt Options) (*Doc, error) {
	if len(doc) == 0 {
		return nil, fail(ReasonNoData, 0)
	}
	if len(doc) > MaxBufferSize {
		// The device cannot hold more; the host sees 0x6988 before this.
		return nil, fail(ReasonTooBig, MaxBufferSize)
	}
	max := opt.MaxTokens
	if max <= 0 {
		max = MaxTokens
	}
	toks, err := Tokenize(doc, max)
	if err != nil {
		return nil, err
	}
	p := newParsed(doc, toks)
	if err := p.structure(); err != nil {
		return nil, err
	}
	return p.display(opt.Expert)
}

// CheckCanonical is the host-side check akw runs before it hands a sign
// document to a Ledger: everything the app checks except the device's
// token limit (the host does not know the model), plus strict JSON
// validity and the amino-JSON convention that the root scalars
// (account_number, chain_id, memo, sequence) are strings. A document that
// passes is byte-for-byte its own canonical form: sorted keys, compact.
func CheckCanonical(doc []byte) error {
	if len(doc) == 0 {
		return fail(ReasonNoData, 0)
	}
	toks, err := Tokenize(doc, 0)
	if err != nil {
		return err
	}
	p := newParsed(doc, toks)
	if err := p.structure(); err != nil {
		return err
	}
	if !json.Valid(doc) {
		return fail(ReasonUnexpectedCharacters, -1)
	}
	for _, k := range []string{"account_number", "chain_id", "memo", "sequence"} {
		v := p.objectValue(0, k)
		if toks[v].Type != String {
			return &Error{Reason: fmt.Sprintf("%s must be a JSON string in amino JSON", k), Offset: toks[v].Start}
		}
	}
	if _, err := p.display(false); err != nil {
		return err
	}
	return nil
}

type parsed struct {
	doc  []byte
	toks []Token
	// keys[i] lists the key token indices of object i, in document order.
	keys map[int][]int
	// elems[i] lists the element token indices of array i.
	elems map[int][]int
}

func newParsed(doc []byte, toks []Token) *parsed {
	p := &parsed{doc: doc, toks: toks, keys: map[int][]int{}, elems: map[int][]int{}}
	for i, t := range toks {
		if t.Parent < 0 {
			continue
		}
		switch toks[t.Parent].Type {
		case Object:
			p.keys[t.Parent] = append(p.keys[t.Parent], i)
		case Array:
			p.elems[t.Parent] = append(p.elems[t.Parent], i)
		}
	}
	return p
}

func (p *parsed) text(i int) []byte { return p.doc[p.toks[i].Start:p.toks[i].End] }

// objectValue returns the value token of key name in object obj, or -1.
// The value of key token k is always token k+1.
func (p *parsed) objectValue(obj int, name string) int {
	if obj >= len(p.toks) || p.toks[obj].Type != Object {
		return -1
	}
	for _, k := range p.keys[obj] {
		if string(p.text(k)) == name {
			return k + 1
		}
	}
	return -1
}

// structure runs tx_validate's checks.
func (p *parsed) structure() error {
	root := p.toks[0]
	if root.Type == Object && (root.Start != 0 || root.End != len(p.doc)) {
		// Hidden bytes after the signed object must not be signed unseen.
		return fail(ReasonUnexpectedCharacters, root.End)
	}
	if off := p.whitespace(); off >= 0 {
		return fail(ReasonWhitespace, off)
	}
	for i, t := range p.toks {
		if t.Type != Object {
			continue
		}
		ks := p.keys[i]
		for j := 1; j < len(ks); j++ {
			a, b := p.text(ks[j-1]), p.text(ks[j])
			if len(a) > maxSortedKeyLength || len(b) > maxSortedKeyLength {
				// The app compares keys in fixed 256-byte buffers and
				// reports a longer key as out of order.
				return fail(ReasonNotSorted, p.toks[ks[j]].Start)
			}
			switch c := bytes.Compare(a, b); {
			case c == 0:
				return fail(ReasonDuplicate, p.toks[ks[j]].Start)
			case c > 0:
				return fail(ReasonNotSorted, p.toks[ks[j]].Start)
			}
		}
	}
	for _, req := range []struct{ key, reason string }{
		{"chain_id", ReasonMissingChainID},
		{"sequence", ReasonMissingSequence},
		{"fee", ReasonMissingFee},
		{"msgs", ReasonMissingMsgs},
		{"account_number", ReasonMissingAccountNumber},
		{"memo", ReasonMissingMemo},
	} {
		if p.objectValue(0, req.key) < 0 {
			return fail(req.reason, 0)
		}
	}
	return nil
}

// whitespace returns the offset of the first whitespace byte outside string
// tokens, or -1.
func (p *parsed) whitespace() int {
	inString := make([]bool, len(p.doc)+1)
	for _, t := range p.toks {
		if t.Type == String {
			for i := t.Start; i < t.End; i++ {
				inString[i] = true
			}
		}
	}
	for i, c := range p.doc {
		if !inString[i] && isSpace(c) {
			return i
		}
	}
	return -1
}

// Root items in display order, with the depth the app descends into each
// (get_root_max_level); msgs goes one level deeper for MultiSend.
var rootItems = []struct {
	key   string
	level int
}{
	{"chain_id", 2},
	{"account_number", 2},
	{"sequence", 2},
	{"fee", 1},
	{"memo", 2},
	{"msgs", 2},
	{"tip", 1},
}

// Titles the app gives known paths; other paths are shown as they are.
var titles = map[string]string{
	"chain_id":                          "Chain ID",
	"account_number":                    "Account",
	"sequence":                          "Sequence",
	"memo":                              "Memo",
	"fee/amount":                        "Fee",
	"fee/gas":                           "Gas",
	"fee/gas_limit":                     "Gas Limit",
	"fee/granter":                       "Granter",
	"fee/payer":                         "Payer",
	"msgs/type":                         "Type",
	"tip/amount":                        "Tip",
	"tip/tipper":                        "Tipper",
	"msgs/inputs/address":               "Source Address",
	"msgs/inputs/coins":                 "Source Coins",
	"msgs/outputs/address":              "Dest Address",
	"msgs/outputs/coins":                "Dest Coins",
	"msgs/value/inputs/address":         "Source Address",
	"msgs/value/inputs/coins":           "Source Coins",
	"msgs/value/outputs/address":        "Dest Address",
	"msgs/value/outputs/coins":          "Dest Coins",
	"msgs/value/from_address":           "From",
	"msgs/value/to_address":             "To",
	"msgs/value/amount":                 "Amount",
	"msgs/value/delegator_address":      "Delegator",
	"msgs/value/validator_address":      "Validator",
	"msgs/value/withdraw_address":       "Withdraw Address",
	"msgs/value/validator_src_address":  "Validator Source",
	"msgs/value/validator_dst_address":  "Validator Dest",
	"msgs/value/description":            "Description",
	"msgs/value/initial_deposit/amount": "Deposit Amount",
	"msgs/value/initial_deposit/denom":  "Deposit Denom",
	"msgs/value/proposal_type":          "Proposal",
	"msgs/value/proposer":               "Proposer",
	"msgs/value/title":                  "Title",
	"msgs/value/depositor":              "Sender",
	"msgs/value/proposal_id":            "Proposal ID",
	"msgs/value/voter":                  "Description",
	"msgs/value/option":                 "Option",
}

// Message types the app names in plain words.
var typeNames = map[string]string{
	"cosmos-sdk/MsgSend":                     "Send",
	"cosmos-sdk/MsgDelegate":                 "Delegate",
	"cosmos-sdk/MsgUndelegate":               "Undelegate",
	"cosmos-sdk/MsgBeginRedelegate":          "Redelegate",
	"cosmos-sdk/MsgSubmitProposal":           "Propose",
	"cosmos-sdk/MsgDeposit":                  "Deposit",
	"cosmos-sdk/MsgVote":                     "Vote",
	"cosmos-sdk/MsgWithdrawDelegationReward": "Withdraw Reward",
	"cosmos-sdk/MsgWithdrawValCommission":    "Withdraw Val. Commission",
	"cosmos-sdk/MsgSetWithdrawAddress":       "Withdraw Set Address",
	"cosmos-sdk/MsgMultiSend":                "Multi Send",
}

// display computes the pages and runs the checks the app makes while
// indexing them (the chain id "0" and "1" are refused).
func (p *parsed) display(expert bool) (*Doc, error) {
	d := &Doc{}
	if v := p.objectValue(0, "chain_id"); v >= 0 {
		d.ChainID = string(p.text(v))
		if d.ChainID == "0" || d.ChainID == "1" {
			return nil, fail(ReasonUnexpectedChain, p.toks[v].Start)
		}
	}
	full := expert || d.ChainID != DefaultChainID
	multi := false
	if msgs := p.objectValue(0, "msgs"); msgs >= 0 && p.toks[msgs].Type == Array {
		for _, e := range p.elems[msgs] {
			if t := p.objectValue(e, "type"); t >= 0 && string(p.text(t)) == "cosmos-sdk/MsgMultiSend" {
				multi = true
			}
		}
	}
	for _, ri := range rootItems {
		v := p.objectValue(0, ri.key)
		if v < 0 {
			continue
		}
		var items []Item
		level := ri.level
		if ri.key == "msgs" && multi {
			level = 3
		}
		p.walk(v, ri.key, level, &items)
		switch ri.key {
		case "chain_id", "account_number", "sequence":
			if !full {
				items = nil
			}
		case "fee":
			if !full && len(items) > 1 {
				items = items[:1]
			}
		case "msgs":
			items = groupTypes(items)
		case "memo":
			kept := items[:0]
			for _, it := range items {
				if it.Value != "" {
					kept = append(kept, it)
				}
			}
			items = kept
		}
		d.Items = append(d.Items, items...)
	}
	return d, nil
}

func (p *parsed) walk(i int, path string, level int, out *[]Item) {
	t := p.toks[i]
	if t.Type == String || t.Type == Primitive || level <= 0 {
		val := string(p.text(i))
		if path == "msgs/type" {
			if n, ok := typeNames[val]; ok {
				val = n
			}
		}
		key := path
		if title, ok := titles[path]; ok {
			key = title
		}
		*out = append(*out, Item{Path: path, Key: key, Value: val})
		return
	}
	switch t.Type {
	case Object:
		for _, k := range p.keys[i] {
			p.walk(k+1, path+"/"+string(p.text(k)), level-1, out)
		}
	case Array:
		for _, e := range p.elems[i] {
			p.walk(e, path, level, out)
		}
	}
}

// groupTypes shows the message type once when every message has the same
// type, as the app does ("Ledger has requested that we group").
func groupTypes(items []Item) []Item {
	first := ""
	for _, it := range items {
		if it.Path != "msgs/type" {
			continue
		}
		if first == "" {
			first = it.Value
		} else if it.Value != first {
			return items
		}
	}
	out := items[:0:0]
	seen := false
	for _, it := range items {
		if it.Path == "msgs/type" {
			if seen {
				continue
			}
			seen = true
		}
		out = append(out, it)
	}
	return out
}
