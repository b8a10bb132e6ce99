package devnet

import (
	dbm "github.com/cosmos/cosmos-db"
)

// emptyValueDB is an application database on goleveldb that tells an
// empty value from a missing key. cosmos-db v1.1's GoLevelDB.Get returns
// nil for both (and Has is built on Get), while IAVL v1 saves the root of
// an empty store as an empty value and reads a nil one as "version does
// not exist". A store that stays empty (authz or feegrant before anyone
// grants, the extra stores of mainnetStores) then makes every gRPC query
// fail with "failed to load state at height N; version does not exist",
// since such a query loads every store at N (cosmos/cosmos-sdk#20254; the
// fix, cosmos/cosmos-db#146, is not released). Asking leveldb itself
// whether the key is there settles it.
type emptyValueDB struct {
	*dbm.GoLevelDB
}

func openAppDB(dir string) (dbm.DB, error) {
	db, err := dbm.NewGoLevelDBWithOpts("application", dir, levelDBOptions())
	if err != nil {
		return nil, err
	}
	return emptyValueDB{db}, nil
}

// Get returns []byte{} for a key stored with an empty value, nil for a
// missing one.
func (d emptyValueDB) Get(key []byte) ([]byte, error) {
	v, err := d.GoLevelDB.Get(key)
	if v != nil || err != nil {
		return v, err
	}
	ok, err := d.Has(key)
	if err != nil || !ok {
		return nil, err
	}
	return []byte{}, nil
}

// Has reports whether key is stored, with an empty value or not.
func (d emptyValueDB) Has(key []byte) (bool, error) {
	if len(key) == 0 {
		// GoLevelDB's own error for an empty key.
		_, err := d.GoLevelDB.Get(key)
		return false, err
	}
	return d.DB().Has(key, nil)
}
