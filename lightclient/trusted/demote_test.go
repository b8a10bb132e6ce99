package trusted_test

import (
	"context"
	"strings"
	"testing"

	"github.com/akash-wallet/akw/lightclient/trusted"
)

// A primary demoted for an answer that did not check out is replaced by a
// witness for the rest of the session, with a notice; it stays a witness,
// headers go on being verified and cross-checked, and the session keeps
// working.
func TestDemotePrimary(t *testing.T) {
	n := newNet(t, 60, 0.1, 2)
	n.chain.SetTip(40)
	var notices []trusted.Notice
	cfg := n.config(t.TempDir())
	cfg.OnNotice = func(nt trusted.Notice) { notices = append(notices, nt) }
	c := initLatest(t, cfg)
	ctx := context.Background()

	to, err := c.Demote(n.primary.URL(), "proof of /store/bank/key does not verify")
	if err != nil {
		t.Fatal(err)
	}
	if to != n.witnesses[0].URL() || c.PrimaryURL() != to {
		t.Fatalf("demoted to %s, primary now %s; want %s", to, c.PrimaryURL(), n.witnesses[0].URL())
	}
	last := notices[len(notices)-1]
	if last.Kind != trusted.NoticePrimaryDemoted || last.URL != n.primary.URL() || last.Replacement != to ||
		last.String() != "primary "+n.primary.URL()+" served a proof that does not verify; using witness "+to {
		t.Fatalf("notice %+v: %s", last, last)
	}
	// Twice is once: a second report about the same node changes nothing.
	if again, err := c.Demote(n.primary.URL(), "again"); err != nil || again != to || len(c.Notices()) != len(notices) {
		t.Fatalf("second demotion: %s %v (%d notices)", again, err, len(c.Notices()))
	}

	// The session goes on: new headers are verified, through the new
	// primary, cross-checked by the remaining witnesses (the demoted node
	// among them).
	n.chain.SetTip(55)
	n.witnesses[0].ResetCounts()
	u, err := c.Update(ctx)
	if err != nil || u.Block.Height != 55 {
		t.Fatalf("update after demotion: %+v %v", u, err)
	}
	if requests(n.witnesses[0]) == 0 {
		t.Fatal("the new primary was not asked")
	}
	st, err := c.Status(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, e := range st.Endpoints {
		roles[e.URL] = e.Role
	}
	if roles[n.primary.URL()] != "witness" || roles[to] != "primary" {
		t.Fatalf("roles after demotion %v", roles)
	}

	// With no witness left to take over, nothing changes.
	if _, err := c.Demote(to, "lies too"); err != nil {
		t.Fatalf("demoting the second primary: %v", err)
	}
	last2 := c.PrimaryURL()
	if _, err := c.Demote(last2, "and this one"); err == nil || !strings.Contains(err.Error(), "no witness left") || c.PrimaryURL() != last2 {
		t.Fatalf("demoting the last one: %v, primary %s", err, c.PrimaryURL())
	}
	if _, err := c.Demote("http://127.0.0.1:1", "who"); err == nil {
		t.Fatal("demoted a node the session does not have")
	}
}
