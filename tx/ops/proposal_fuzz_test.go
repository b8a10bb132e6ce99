package ops

import (
	"testing"

	"github.com/akash-wallet/akw/tx/amount"
	"github.com/akash-wallet/akw/tx/encoding"
)

// FuzzParseProposalFile: `akw tx submit-proposal FROM FILE` reads a
// user's file. Whatever it holds, the parser returns an operation or an
// error, never panics; an operation it returns builds its message and is
// valid by the rules x/gov applies whatever the state.
func FuzzParseProposalFile(f *testing.F) {
	cfg, err := encoding.New("akash")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		`{"metadata":"ipfs://Qm","deposit":"1000000uakt","title":"Text","summary":"A text proposal","expedited":false}`,
		`{"messages":[{"@type":"/cosmos.bank.v1beta1.MsgSend","from_address":"akash10d07y265gmmuvt4z0w9aw880jnsr700jjpmyzc","to_address":"akash1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du","amount":[{"denom":"uakt","amount":"5"}]}],"deposit":"0.5akt","title":"Pay","summary":"S","expedited":true}`,
		`{"metadata":"{\"title\":\"T\",\"summary\":\"S\"}","title":"T","summary":"S","deposit":"1akt,5uact"}`,
		`{"messages":[{"@type":"/cosmos.authz.v1beta1.MsgExec","msgs":[{"@type":"/cosmos.gov.v1.MsgVote"}]}],"title":"T","summary":"S"}`,
		`{"messages":[null],"title":"T","summary":"S"}`,
		`[]`, `null`, ``,
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte(`{"metadata":"m","title":"T","summary":"S"}`), "2akt")
	f.Fuzz(func(t *testing.T, bz []byte, deposit string) {
		o, err := ParseProposalFile(cfg.Codec, cfg.Codec, bz, me, deposit, amount.Akash)
		if err != nil {
			if o != nil {
				t.Fatalf("an operation and an error: %v", err)
			}
			return
		}
		if _, err := o.Msgs(pfx); err != nil {
			t.Fatalf("parsed, but its message does not build: %v", err)
		}
		if err := o.validate(cfg.Codec); err != nil {
			t.Fatalf("parsed, but not valid: %v", err)
		}
	})
}
