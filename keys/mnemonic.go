package keys

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/cosmos/go-bip39"
)

// MnemonicWords is the length of mnemonics akw creates (256 bits of
// entropy, as the cosmos-sdk and the Akash CLI do).
const MnemonicWords = 24

// NormalizeMnemonic checks a BIP-39 English mnemonic and returns it with
// single spaces and lower case. Errors name the problem by word position
// and never quote a word: the words are the secret, and error text ends up
// in terminals, logs and bug reports.
func NormalizeMnemonic(m string) (string, error) {
	words := strings.Fields(strings.ToLower(m))
	n := len(words)
	switch n {
	case 0:
		return "", &MnemonicError{Reason: "it is empty"}
	case 12, 15, 18, 21, 24:
	default:
		return "", &MnemonicError{Reason: fmt.Sprintf("it has %d words; a BIP-39 mnemonic has 12, 15, 18, 21 or 24", n)}
	}
	idx := make([]int, n)
	var unknown []string
	for i, w := range words {
		j, ok := bip39.ReverseWordMap[w]
		if !ok {
			unknown = append(unknown, fmt.Sprint(i+1))
			continue
		}
		idx[i] = j
	}
	switch len(unknown) {
	case 0:
	case 1:
		return "", &MnemonicError{Reason: "word " + unknown[0] + " is not in the BIP-39 English word list"}
	default:
		return "", &MnemonicError{Reason: "words " + strings.Join(unknown, ", ") + " are not in the BIP-39 English word list"}
	}
	if !checksumOK(idx) {
		return "", &MnemonicError{Reason: "the checksum does not match: a word is wrong, or words are in the wrong order"}
	}
	return strings.Join(words, " "), nil
}

// checksumOK verifies the BIP-39 checksum: the words encode ENT bits of
// entropy followed by the first ENT/32 bits of its SHA-256.
func checksumOK(idx []int) bool {
	total := len(idx) * 11
	csBits := total / 33
	entBits := total - csBits
	bits := make([]byte, 0, total)
	for _, v := range idx {
		for b := 10; b >= 0; b-- {
			bits = append(bits, byte(v>>b)&1)
		}
	}
	entropy := make([]byte, entBits/8)
	for i := 0; i < entBits; i++ {
		entropy[i/8] |= bits[i] << (7 - i%8)
	}
	sum := sha256.Sum256(entropy)
	for i := 0; i < csBits; i++ {
		if (sum[i/8]>>(7-i%8))&1 != bits[entBits+i] {
			return false
		}
	}
	return true
}

// CoinType is the BIP-44 coin type of Akash (the Cosmos default).
const CoinType = 118

// MaxHDIndex is the largest account or address index: BIP-32 reserves
// the upper half of the 32-bit range for hardened derivation.
const MaxHDIndex = 1<<31 - 1

// HDPath is m/44'/118'/Account'/0/Index.
type HDPath struct {
	Account uint32
	Index   uint32
}

// NewHDPath checks account and index (as given on the command line,
// possibly negative or too large) and builds the path.
func NewHDPath(account, index int64) (HDPath, error) {
	if account < 0 || account > MaxHDIndex {
		return HDPath{}, fmt.Errorf("%w: account %d is out of range (0 to %d)", ErrInvalidHDPath, account, MaxHDIndex)
	}
	if index < 0 || index > MaxHDIndex {
		return HDPath{}, fmt.Errorf("%w: index %d is out of range (0 to %d)", ErrInvalidHDPath, index, MaxHDIndex)
	}
	return HDPath{Account: uint32(account), Index: uint32(index)}, nil
}

func (p HDPath) String() string {
	return fmt.Sprintf("m/44'/%d'/%d'/0/%d", CoinType, p.Account, p.Index)
}
