// Package signdoc checks an amino-JSON sign document the way the Cosmos
// Ledger app does before it shows anything on screen, and computes the
// key/value pages the app would display.
//
// The rules mirror the app (ledger-cosmos v2.38.x, json_parser.c,
// tx_validate.c, tx_display.c); the error strings are the app's own, because the host sees exactly those
// bytes after status word 0x6984 and users search for them. The tokenizer is
// an independent implementation with the token model of jsmn (the C parser
// the app uses): one token per object, array, string and primitive, string
// tokens spanning the text between the quotes.
//
// It lives under keys because keys uses it in production: a sign document
// is checked here before it goes to a real device, and the review the
// faces show (keys.LedgerReview) is computed here from the real sign
// bytes. The emulated app (internal/ledgeremu) uses the same rules.
//
// This package is pure: no I/O, no globals, safe for concurrent use.
package signdoc

// TokenType is the kind of a JSON token.
type TokenType uint8

const (
	Object TokenType = iota + 1
	Array
	String
	Primitive // number, true, false, null
)

// Token is one JSON value or object key. For strings Start..End excludes the
// quotes (raw, still escaped text); for the other kinds it spans the whole
// value. Size counts direct children: keys of an object, elements of an
// array.
type Token struct {
	Type   TokenType
	Start  int
	End    int
	Size   int
	Parent int // index of the enclosing object or array; -1 for a root value
}

// The app's limits on the number of JSON tokens (MAX_NUMBER_OF_TOKENS).
const (
	MaxTokens          = 768 // Nano S, S Plus, X
	MaxTokensLargeUI   = 600 // Stax, Flex
	MaxBufferSize      = 16384
	maxSortedKeyLength = 255 // the app copies keys into 256-byte buffers to compare them
)

// The app's reasons (parser_getErrorDescription), returned after 0x6984.
const (
	ReasonUnexpectedCharacters = "Unexpected characters"
	ReasonIncomplete           = "JSON string is not complete"
	ReasonTooManyTokens        = "JSON. Too many tokens"
	ReasonZeroTokens           = "JSON. Zero tokens"
	ReasonWhitespace           = "JSON Contains whitespace in the corpus"
	ReasonNotSorted            = "JSON Dictionaries are not sorted"
	ReasonDuplicate            = "Unexpected duplicated field"
	ReasonMissingChainID       = "JSON Missing chain_id"
	ReasonMissingSequence      = "JSON Missing sequence"
	ReasonMissingFee           = "JSON Missing fee"
	ReasonMissingMsgs          = "JSON Missing msgs"
	ReasonMissingAccountNumber = "JSON Missing account number"
	ReasonMissingMemo          = "JSON Missing memo"
	ReasonUnexpectedChain      = "Unexpected chain"
	ReasonValueOutOfRange      = "Value out of range"
	ReasonNoData               = "Initialized empty context"
	ReasonTooBig               = "Transaction is too big"
)

// Error is a sign document the app refuses. Reason is the app's text.
type Error struct {
	Reason string
	Offset int // byte offset of the problem when known, else -1
}

func (e *Error) Error() string { return e.Reason }

func fail(reason string, off int) *Error { return &Error{Reason: reason, Offset: off} }

// isSpace reports the bytes the app treats as whitespace (tx_validate.c).
func isSpace(c byte) bool {
	switch c {
	case ' ', '\f', '\n', '\r', '\t', '\v':
		return true
	}
	return false
}

// Tokenize splits doc into tokens. Values may follow each other at the top
// level (as jsmn allows); Validate rejects that later, as the app does.
// maxTokens <= 0 means no limit.
func Tokenize(doc []byte, maxTokens int) ([]Token, error) {
	for i, c := range doc {
		if c == 0 {
			// The app refuses embedded NULs so its C string handling
			// cannot stop early on a hidden suffix.
			return nil, fail(ReasonUnexpectedCharacters, i)
		}
	}
	t := tokenizer{doc: doc, max: maxTokens}
	for {
		t.skipSpace()
		if t.pos >= len(doc) {
			break
		}
		if err := t.value(-1); err != nil {
			return nil, err
		}
	}
	if len(t.toks) == 0 {
		return nil, fail(ReasonZeroTokens, 0)
	}
	return t.toks, nil
}

type tokenizer struct {
	doc  []byte
	pos  int
	max  int
	toks []Token
}

func (t *tokenizer) skipSpace() {
	for t.pos < len(t.doc) && isSpace(t.doc[t.pos]) {
		t.pos++
	}
}

func (t *tokenizer) add(tok Token) (int, error) {
	if t.max > 0 && len(t.toks) >= t.max {
		return 0, fail(ReasonTooManyTokens, tok.Start)
	}
	t.toks = append(t.toks, tok)
	return len(t.toks) - 1, nil
}

// maxDepth bounds recursion on hostile input (the device has far less
// stack; anything this deep is refused long before by the token limit).
const maxDepth = 512

func (t *tokenizer) value(parent int) error {
	return t.valueAt(parent, 0)
}

func (t *tokenizer) valueAt(parent, depth int) error {
	if depth > maxDepth {
		return fail(ReasonUnexpectedCharacters, t.pos)
	}
	t.skipSpace()
	if t.pos >= len(t.doc) {
		return fail(ReasonIncomplete, t.pos)
	}
	switch c := t.doc[t.pos]; {
	case c == '{':
		return t.object(parent, depth)
	case c == '[':
		return t.array(parent, depth)
	case c == '"':
		_, err := t.str(parent)
		return err
	case c == '}' || c == ']' || c == ',' || c == ':':
		return fail(ReasonUnexpectedCharacters, t.pos)
	default:
		return t.primitive(parent)
	}
}

func (t *tokenizer) object(parent, depth int) error {
	idx, err := t.add(Token{Type: Object, Start: t.pos, Parent: parent})
	if err != nil {
		return err
	}
	t.pos++ // {
	t.skipSpace()
	if t.pos < len(t.doc) && t.doc[t.pos] == '}' {
		t.pos++
		t.toks[idx].End = t.pos
		return nil
	}
	for {
		t.skipSpace()
		if t.pos >= len(t.doc) {
			return fail(ReasonIncomplete, t.pos)
		}
		if t.doc[t.pos] != '"' {
			return fail(ReasonUnexpectedCharacters, t.pos)
		}
		if _, err := t.str(idx); err != nil {
			return err
		}
		t.toks[idx].Size++
		t.skipSpace()
		if t.pos >= len(t.doc) {
			return fail(ReasonIncomplete, t.pos)
		}
		if t.doc[t.pos] != ':' {
			return fail(ReasonUnexpectedCharacters, t.pos)
		}
		t.pos++
		// The value's parent is the key token, as in jsmn; Validate and
		// the display walk use the object index through objectKeys.
		if err := t.valueAt(len(t.toks)-1, depth+1); err != nil {
			return err
		}
		t.skipSpace()
		if t.pos >= len(t.doc) {
			return fail(ReasonIncomplete, t.pos)
		}
		switch t.doc[t.pos] {
		case ',':
			t.pos++
		case '}':
			t.pos++
			t.toks[idx].End = t.pos
			return nil
		default:
			return fail(ReasonUnexpectedCharacters, t.pos)
		}
	}
}

func (t *tokenizer) array(parent, depth int) error {
	idx, err := t.add(Token{Type: Array, Start: t.pos, Parent: parent})
	if err != nil {
		return err
	}
	t.pos++ // [
	t.skipSpace()
	if t.pos < len(t.doc) && t.doc[t.pos] == ']' {
		t.pos++
		t.toks[idx].End = t.pos
		return nil
	}
	for {
		if err := t.valueAt(idx, depth+1); err != nil {
			return err
		}
		t.toks[idx].Size++
		t.skipSpace()
		if t.pos >= len(t.doc) {
			return fail(ReasonIncomplete, t.pos)
		}
		switch t.doc[t.pos] {
		case ',':
			t.pos++
		case ']':
			t.pos++
			t.toks[idx].End = t.pos
			return nil
		default:
			return fail(ReasonUnexpectedCharacters, t.pos)
		}
	}
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func (t *tokenizer) str(parent int) (int, error) {
	start := t.pos + 1
	for i := start; i < len(t.doc); i++ {
		switch t.doc[i] {
		case '"':
			t.pos = i + 1
			return t.add(Token{Type: String, Start: start, End: i, Parent: parent})
		case '\\':
			if i+1 >= len(t.doc) {
				return 0, fail(ReasonIncomplete, i)
			}
			i++
			switch t.doc[i] {
			case '"', '/', '\\', 'b', 'f', 'r', 'n', 't':
			case 'u':
				for k := 1; k <= 4; k++ {
					if i+k >= len(t.doc) {
						return 0, fail(ReasonIncomplete, i)
					}
					if !isHex(t.doc[i+k]) {
						return 0, fail(ReasonUnexpectedCharacters, i+k)
					}
				}
				i += 4
			default:
				return 0, fail(ReasonUnexpectedCharacters, i)
			}
		}
	}
	return 0, fail(ReasonIncomplete, len(t.doc))
}

// primitive accepts a JSON number, true, false or null. jsmn (non-strict, as
// the app builds it) would take any bare word; a wallet never produces one,
// so the emulator is stricter and calls it unexpected characters.
func (t *tokenizer) primitive(parent int) error {
	start := t.pos
	end := start
	for end < len(t.doc) {
		c := t.doc[end]
		if isSpace(c) || c == ',' || c == ']' || c == '}' || c == ':' {
			break
		}
		if c == '"' || c == '{' || c == '[' {
			return fail(ReasonUnexpectedCharacters, end)
		}
		end++
	}
	if end == len(t.doc) && parent >= 0 {
		// A primitive inside a container must be followed by something.
		return fail(ReasonIncomplete, end)
	}
	if !validPrimitive(t.doc[start:end]) {
		return fail(ReasonUnexpectedCharacters, start)
	}
	t.pos = end
	_, err := t.add(Token{Type: Primitive, Start: start, End: end, Parent: parent})
	return err
}

func validPrimitive(b []byte) bool {
	switch string(b) {
	case "true", "false", "null":
		return true
	}
	// JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(b)
}
