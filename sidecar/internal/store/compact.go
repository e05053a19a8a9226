package store

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CompactResult reports what Compact did.
type CompactResult struct {
	Before, After int64  // file sizes in bytes
	Kept          string // the original file, kept beside the new one
}

// Compact rewrites dir's database into a new file holding only live pages,
// then swaps it in, keeping the original as sidecar.db.pre-compact. bbolt
// files never shrink by themselves (freed pages are reused, not returned), so
// after a large backlog an operator runs this with the server stopped; the
// file lock makes it fail fast while one runs.
func Compact(dir string) (CompactResult, error) {
	var res CompactResult
	path := filepath.Join(dir, FileName)
	src, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		return res, err
	}
	defer src.Close()
	fi, err := os.Stat(path)
	if err != nil {
		return res, fmt.Errorf("store.Compact: %w", err)
	}
	res.Before = fi.Size()

	tmp := path + ".compacting"
	_ = os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second, NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return res, fmt.Errorf("store.Compact: %w", err)
	}
	if err := bolt.Compact(dst, src.db, 64<<20); err != nil {
		_ = dst.Close()
		_ = os.Remove(tmp)
		return res, fmt.Errorf("store.Compact: %w", err)
	}
	if err := dst.Close(); err != nil {
		_ = os.Remove(tmp)
		return res, fmt.Errorf("store.Compact: %w", err)
	}
	if err := src.Close(); err != nil {
		return res, fmt.Errorf("store.Compact: %w", err)
	}
	res.Kept = path + ".pre-compact"
	if err := os.Rename(path, res.Kept); err != nil {
		return res, fmt.Errorf("store.Compact: keep original: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Rename(res.Kept, path)
		return res, fmt.Errorf("store.Compact: swap in: %w", err)
	}
	if fi, err := os.Stat(path); err == nil {
		res.After = fi.Size()
	}
	return res, nil
}
