package state

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmttypes "github.com/cometbft/cometbft/types"
	"golang.org/x/sync/errgroup"

	"github.com/akash-wallet/akw/errkind"
)

// Every exported View method is an answer boundary: it must start with
// `defer guard(...)`, so that a panic while interpreting proven values
// becomes an error. A new method without it fails here.
func TestExportedViewMethodsAreGuarded(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || fn.Type.Results == nil {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok || star.X.(*ast.Ident).Name != "View" {
				continue
			}
			res := fn.Type.Results.List
			if last, ok := res[len(res)-1].Type.(*ast.Ident); !ok || last.Name != "error" {
				continue // Height, Header: no answer to interpret
			}
			checked++
			ok = false
			if len(fn.Body.List) > 0 {
				if def, isDefer := fn.Body.List[0].(*ast.DeferStmt); isDefer {
					if id, isIdent := def.Call.Fun.(*ast.Ident); isIdent && id.Name == "guard" {
						ok = true
					}
				}
			}
			if !ok {
				t.Errorf("%s: View.%s does not start with defer guard(...)", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
	if checked < 13 {
		t.Fatalf("only %d exported View methods found", checked)
	}
}

func TestGuardTurnsPanicIntoError(t *testing.T) {
	answer := func() (out *Balances, err error) {
		defer guard(&out, &err, "balances of someone")
		out = &Balances{}
		var m map[string]int
		m["x"] = 1 // assignment to a nil map panics
		return out, nil
	}
	out, err := answer()
	var pe *ErrPanic
	if out != nil || !errors.As(err, &pe) || errkind.KindOf(err) != errkind.Verification || pe.What != "balances of someone" {
		t.Fatalf("got %v, %T %v", out, err, err)
	}
	var g errgroup.Group
	goGuarded(&g, "a goroutine", func() error { var p *Proven; return errors.New(p.Reason) })
	if err := g.Wait(); !errors.As(err, &pe) || pe.What != "a goroutine" {
		t.Fatalf("goroutine panic: %T %v", err, err)
	}
	t.Log(err)
}

// verifiedSet is the one check behind Validator and Validators: the light
// block's validator set must hash to the header's ValidatorsHash.
func TestVerifiedSetRehashes(t *testing.T) {
	vals := make([]*cmttypes.Validator, 3)
	for i := range vals {
		vals[i] = cmttypes.NewValidator(ed25519.GenPrivKeyFromSecret([]byte{byte(i)}).PubKey(), int64(10*(i+1)))
	}
	set := cmttypes.NewValidatorSet(vals)
	lb := &cmttypes.LightBlock{
		SignedHeader: &cmttypes.SignedHeader{Header: &cmttypes.Header{Height: 9, ValidatorsHash: set.Hash()}},
		ValidatorSet: set,
	}
	got, err := verifiedSet(lb)
	if err != nil || got != set {
		t.Fatalf("honest set: %v", err)
	}
	// The same validators, one with more power than the header commits.
	forged := set.Copy()
	forged.Validators[0].VotingPower += 1000
	bad := *lb
	bad.ValidatorSet = forged
	if _, err := verifiedSet(&bad); !errors.As(err, new(*ErrInconsistent)) {
		t.Fatalf("forged voting power accepted: %v", err)
	}
	bad.ValidatorSet = nil
	if _, err := verifiedSet(&bad); !errors.As(err, new(*ErrInconsistent)) {
		t.Fatalf("missing set accepted: %v", err)
	}
	if _, err := verifiedSet(nil); err == nil {
		t.Fatal("no light block accepted")
	}
}
