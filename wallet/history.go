package wallet

import (
	"context"
	"errors"

	"github.com/akash-wallet/akw/contacts"
	"github.com/akash-wallet/akw/errkind"
	"github.com/akash-wallet/akw/history"
)

// The session's doors to the transaction history and the address book:
// both live under the session's data directory (Config.Home), and every
// face reaches them here so that the cache, the chain's prefix and token
// and the failover policy are the same whichever face asks.

var errNoHome = errkind.With(errkind.Usage, errors.New("no data directory: the history cache and the address book live under it"),
	errkind.Hint{Remedy: errkind.Remedy{Do: errkind.FixSetting, Subject: "home"}})

// History lists a page of the address's history (q): the list is the
// node's (node-reported), each row proven or refused by the history
// library against headers this session's light client verified, with
// the cache under the data directory. A network failure midway is tried
// once more through the witnesses, as Query is.
func (s *Session) History(ctx context.Context, q history.Query) (page *history.Page, err error) {
	if s.light == nil {
		return nil, errOffline
	}
	var opts []history.Option
	if s.cfg.Home != "" {
		opts = append(opts, history.WithCache(s.cfg.Home))
	}
	opts = append(opts, history.WithPrefix(s.prefixes.Account), history.WithDenoms(s.denoms))
	err = s.withFailover(ctx, "listing again through the witnesses", func() (err error) {
		defer guard(&err, "the history")
		// The light client's current primary is asked (node nil): after
		// a failover that is the witness that took over.
		l, err := history.New(s.light, nil, opts...)
		if err != nil {
			return err
		}
		page, err = l.List(ctx, q)
		return err
	})
	return page, err
}

// Contacts is the address book under the data directory, for this
// network's account prefix: Resolve checks a contact's address against it.
func (s *Session) Contacts() (*contacts.Book, error) {
	if s.cfg.Home == "" {
		return nil, errNoHome
	}
	return contacts.Open(s.cfg.Home, s.prefixes.Account), nil
}
