package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cometbft/cometbft/crypto/tmhash"

	"github.com/akash-wallet/akw/internal/atomicfile"
	"github.com/akash-wallet/akw/internal/fslock"
)

// CacheVersion is the format version of the cache file. A file of
// another version is not read; it is rebuilt — but for listedBefore.
const CacheVersion = 2

// listedBefore is the version whose spans were listed by the queries
// before those of the grantee (grants, fee allowances and their
// revocations the address received): its spans are not complete for
// today's Queries. Its proven records are kept — a proof does not depend
// on how the transaction was found — and its spans and entries dropped,
// so that the range is listed again and nothing is proven again.
const listedBefore = 1

// maxCacheFile bounds what is read of a cache file.
const maxCacheFile = 256 << 20

// Span is a range of heights, both ends included.
type Span struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

func (s Span) String() string { return fmt.Sprintf("%d-%d", s.From, s.To) }

// cacheBody is what the cache holds for one chain and address.
type cacheBody struct {
	ChainID string `json:"chain_id"`
	Address string `json:"address"`
	// Covered are the spans of heights whose index listing is complete
	// (as far as the node reported), sorted and disjoint.
	Covered []Span `json:"covered"`
	// Entries are the index entries inside Covered, newest first.
	Entries []entry `json:"entries"`
	// Records are the proven transactions, with the hashes of the
	// verified headers they were proven against.
	Records []*record `json:"records"`
	// Refused are entries that did not check out when last tried, and
	// why; they are tried again online.
	Refused map[string]string `json:"refused,omitempty"`
	// Anchors remember which height a time bound resolved to
	// ("since:T", "until:T"), node-reported like the list.
	Anchors map[string]int64 `json:"anchors,omitempty"`
}

// cacheFile is the file: the body, and its SHA-256 so that damage
// (a torn write, a flipped bit, an edit) is detected.
type cacheFile struct {
	Version int             `json:"version"`
	SHA256  string          `json:"sha256"`
	Body    json.RawMessage `json:"body"`
}

// cache is the loaded cache of one chain and address.
type cache struct {
	path    string
	body    cacheBody
	entries map[string]entry
	records map[string]*record
	// rebuilt says why a file that was there was not used.
	rebuilt string
}

var chainIDRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CachePath is where the history of addr on chainID is cached under the
// wallet's data directory dir.
func CachePath(dir, chainID, addr string) (string, error) {
	if !chainIDRe.MatchString(chainID) || strings.Contains(chainID, "..") {
		return "", &ErrQuery{Reason: fmt.Sprintf("chain-id %q cannot name a cache directory", chainID), Fix: "check --chain-id"}
	}
	return filepath.Join(dir, "history", chainID, addr+".json"), nil
}

func newCache(path, chainID, addr string) *cache {
	return &cache{path: path, body: cacheBody{ChainID: chainID, Address: addr}, entries: map[string]entry{}, records: map[string]*record{}}
}

// loadCache reads the cache; a missing file is an empty cache, and a file
// that fails any check is reported in rebuilt and not used.
func loadCache(path, chainID, addr string) *cache {
	c := newCache(path, chainID, addr)
	data, err := readLimited(path)
	if errors.Is(err, os.ErrNotExist) {
		return c
	}
	if err == nil {
		var body *cacheBody
		if body, err = parseCache(data, chainID, addr); err == nil {
			c.body = *body
			for _, e := range body.Entries {
				c.entries[e.Hash] = e
			}
			for _, r := range body.Records {
				c.records[r.Hash] = r
			}
			return c
		}
	}
	c.rebuilt = err.Error()
	return c
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCacheFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCacheFile {
		return nil, fmt.Errorf("cache file larger than %d bytes", maxCacheFile)
	}
	return data, nil
}

// parseCache reads and checks a cache file: its version and checksum,
// then that everything in it is consistent — each record's transaction
// bytes hash to its hash, spans are ordered, entries lie in them. It
// cannot tell a file crafted by someone who can write the home directory
// (see the package comment); it catches damage and inconsistency.
func parseCache(data []byte, chainID, addr string) (*cacheBody, error) {
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("cache file does not parse: %v", err)
	}
	if f.Version != CacheVersion && f.Version != listedBefore {
		return nil, fmt.Errorf("cache file version %d, this akw reads version %d", f.Version, CacheVersion)
	}
	sum := sha256.Sum256(f.Body)
	if !strings.EqualFold(hex.EncodeToString(sum[:]), f.SHA256) {
		return nil, errors.New("cache file checksum does not match its contents (damaged)")
	}
	dec := json.NewDecoder(bytes.NewReader(f.Body))
	dec.DisallowUnknownFields()
	var b cacheBody
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("cache body does not parse: %v", err)
	}
	if b.ChainID != chainID || b.Address != addr {
		return nil, fmt.Errorf("cache file is for %s on %s, not %s on %s", b.Address, b.ChainID, addr, chainID)
	}
	for i, s := range b.Covered {
		if s.From < 1 || s.To < s.From || (i > 0 && s.From <= b.Covered[i-1].To) {
			return nil, fmt.Errorf("cache span %v is malformed or out of order", s)
		}
	}
	in := func(h int64) bool {
		i := sort.Search(len(b.Covered), func(i int) bool { return b.Covered[i].To >= h })
		return i < len(b.Covered) && b.Covered[i].From <= h
	}
	for _, e := range b.Entries {
		if !validHash(e.Hash) || !in(e.Height) {
			return nil, fmt.Errorf("cache entry %s at height %d is malformed or outside the spans", e.Hash, e.Height)
		}
	}
	for _, r := range b.Records {
		if r == nil {
			return nil, errors.New("cache holds an empty record")
		}
		if got := strings.ToUpper(hex.EncodeToString(tmhash.Sum(r.Tx))); got != r.Hash {
			return nil, fmt.Errorf("cached transaction %s: its bytes hash to %s", r.Hash, got)
		}
		if r.Height < 1 || r.Time.IsZero() || !validHash(r.HeaderHash) || !validHash(r.NextHeaderHash) {
			return nil, fmt.Errorf("cached transaction %s: height, time or header hashes missing", r.Hash)
		}
	}
	if f.Version == listedBefore {
		b.Covered, b.Entries = nil, nil
	}
	return &b, nil
}

func validHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// covering returns the covered span that holds h.
func (c *cache) covering(h int64) (Span, bool) {
	for _, s := range c.body.Covered {
		if s.From <= h && h <= s.To {
			return s, true
		}
	}
	return Span{}, false
}

// coveredBelow returns the highest covered span entirely below h.
func (c *cache) coveredBelow(h int64) (Span, bool) {
	for i := len(c.body.Covered) - 1; i >= 0; i-- {
		if c.body.Covered[i].To < h {
			return c.body.Covered[i], true
		}
	}
	return Span{}, false
}

// entriesIn returns the cached entries in [lo, hi], newest first.
func (c *cache) entriesIn(lo, hi int64) []entry {
	var out []entry
	for _, e := range c.entries {
		if e.Height >= lo && e.Height <= hi {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return newer(out[i], out[j]) })
	return out
}

// addSpan records that [s.From, s.To] is completely listed by ents.
func (c *cache) addSpan(s Span, ents []entry) {
	for _, e := range ents {
		c.entries[e.Hash] = e
	}
	c.body.Covered = mergeSpans(append(c.body.Covered, s))
}

func mergeSpans(spans []Span) []Span {
	sort.Slice(spans, func(i, j int) bool { return spans[i].From < spans[j].From })
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.From <= out[n-1].To+1 {
			if s.To > out[n-1].To {
				out[n-1].To = s.To
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// maxCovered is the top of the highest covered span (0 when none).
func (c *cache) maxCovered() int64 {
	if n := len(c.body.Covered); n > 0 {
		return c.body.Covered[n-1].To
	}
	return 0
}

// save merges c into the file under its lock (another process may have
// written it meanwhile) and writes it atomically, mode 0600.
func (c *cache) save() error {
	unlock, err := fslock.Lock(c.path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	cur := loadCache(c.path, c.body.ChainID, c.body.Address)
	if cur.rebuilt == "" {
		for h, e := range cur.entries {
			if _, ok := c.entries[h]; !ok {
				c.entries[h] = e
			}
		}
		for h, r := range cur.records {
			if _, ok := c.records[h]; !ok {
				c.records[h] = r
			}
		}
		c.body.Covered = mergeSpans(append(c.body.Covered, cur.body.Covered...))
		for k, v := range cur.body.Anchors {
			if _, ok := c.body.Anchors[k]; !ok {
				if c.body.Anchors == nil {
					c.body.Anchors = map[string]int64{}
				}
				c.body.Anchors[k] = v
			}
		}
	}
	b := c.body
	b.Entries = b.Entries[:0:0]
	for _, e := range c.entries {
		b.Entries = append(b.Entries, e)
	}
	sort.Slice(b.Entries, func(i, j int) bool { return newer(b.Entries[i], b.Entries[j]) })
	b.Records = nil
	for _, r := range c.records {
		b.Records = append(b.Records, r)
	}
	sort.Slice(b.Records, func(i, j int) bool {
		return b.Records[i].Height > b.Records[j].Height || (b.Records[i].Height == b.Records[j].Height && b.Records[i].Hash < b.Records[j].Hash)
	})
	for h := range b.Refused {
		if _, ok := c.records[h]; ok {
			delete(b.Refused, h)
		}
	}
	out, err := marshalCache(&b)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(c.path, out, 0o600)
}

// marshalCache writes a cache file: the body and its checksum.
func marshalCache(b *cacheBody) ([]byte, error) {
	body, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	out, err := json.Marshal(cacheFile{Version: CacheVersion, SHA256: hex.EncodeToString(sum[:]), Body: body})
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
