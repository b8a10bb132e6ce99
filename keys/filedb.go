package keys

import (
	"encoding/json"
	"path/filepath"
	"time"

	"github.com/99designs/keyring"
	jose "github.com/dvsekhvalnov/jose2go"
	"github.com/mtibben/percent"

	"github.com/akash-wallet/akw/internal/atomicfile"
)

// atomicFileDB is the 99designs file backend with one change: Set writes
// each item to a temporary file and renames it into place, where the
// library writes the item file in place (a crash mid-write would leave a
// truncated, undecryptable key). The format is the library's own — JWE
// with PBES2-HS256+A128KW and A256GCM, file name percent-escaped — so the
// Akash CLI and akw read each other's files. Reads, listing and removal
// are the library's.
type atomicFileDB struct {
	keyring.Keyring
	dir      string
	password func() (string, error)
}

func (f *atomicFileDB) Set(item keyring.Item) error {
	payload, err := json.Marshal(item)
	if err != nil {
		return err
	}
	pass, err := f.password()
	if err != nil {
		return err
	}
	token, err := jose.Encrypt(string(payload), jose.PBES2_HS256_A128KW, jose.A256GCM, pass,
		jose.Headers(map[string]interface{}{"created": time.Now().String()}))
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(f.dir, percent.Encode(item.Key, "/")), []byte(token), 0o600)
}
