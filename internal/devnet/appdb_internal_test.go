package devnet

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEmptyValueDB(t *testing.T) {
	db, err := openAppDB(t.TempDir())
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Set([]byte("empty"), []byte{}))
	require.NoError(t, db.Set([]byte("full"), []byte("v")))

	v, err := db.Get([]byte("empty"))
	require.NoError(t, err)
	require.NotNil(t, v, "an empty value must not read as missing")
	require.Empty(t, v)
	ok, err := db.Has([]byte("empty"))
	require.NoError(t, err)
	require.True(t, ok)

	v, err = db.Get([]byte("missing"))
	require.NoError(t, err)
	require.Nil(t, v)
	ok, err = db.Has([]byte("missing"))
	require.NoError(t, err)
	require.False(t, ok)

	v, err = db.Get([]byte("full"))
	require.NoError(t, err)
	require.Equal(t, []byte("v"), v)

	_, err = db.Get(nil)
	require.Error(t, err)
	_, err = db.Has(nil)
	require.Error(t, err)
}
