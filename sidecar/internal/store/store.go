// Package store keeps the sidecar's state in one bbolt file: the webhook inbox,
// per-item sync status, cursors, settings, jobs, the activity log and id
// mappings. Every bucket is created once at open; keys that are sequences are
// big-endian uint64 so cursor order is numeric order. Bucket names, key
// encodings and cursor loops stay inside this package (layout.go lists them
// all); other packages change state through named operations, several in one
// transaction through Tx.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 1

// FileName is the bbolt file inside the data directory.
const FileName = "sidecar.db"

// Bucket names; the key layout inside each is documented in layout.go.
var (
	bucketMeta       = []byte("meta")
	bucketInbox      = []byte("inbox")
	bucketDedupe     = []byte("inbox_dedupe")
	bucketItems      = []byte("items")
	bucketCursors    = []byte("cursors")
	bucketSettings   = []byte("settings")
	bucketJobs       = []byte("jobs")
	bucketActivity   = []byte("activity")
	bucketMappings   = []byte("mappings")
	bucketOutbox     = []byte("outbox")
	bucketSentHashes = []byte("sent_hashes")
	bucketMirror     = []byte("mirror")     // release order id → MirrorRecord
	bucketMirrorDue  = []byte("mirror_due") // release order ids with work left
)

var allBuckets = [][]byte{
	bucketMeta, bucketInbox, bucketDedupe, bucketItems, bucketCursors, bucketSettings,
	bucketJobs, bucketActivity, bucketMappings, bucketOutbox, bucketSentHashes, bucketStock, bucketMirror, bucketMirrorDue,
}

var keySchema = []byte("schema_version")

// appendFill packs pages of buckets whose keys only grow (sequences): a
// split never has to leave room for keys inserted in the middle.
const appendFill = 1.0

// ErrNewerSchema means the file was written by a newer sidecar.
var ErrNewerSchema = errors.New("store written by a newer schema")

// Options tune Open. The zero value is usable.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// ActivityMax and ActivityMaxAge bound the activity log.
	ActivityMax    int
	ActivityMaxAge time.Duration
	// ReadOnly opens with a shared lock (CLI status/backup while no server runs).
	ReadOnly bool
	// OnCommit, when set, is told how long each inbox group commit took and
	// how many deliveries it carried (metrics).
	OnCommit func(d time.Duration, deliveries int)
	// MaxSize caps the data file in bytes (0: no cap): a commit that would
	// grow the file past it fails and leaves the store as it was.
	MaxSize int
}

// Store is the sidecar's bbolt database.
type Store struct {
	db     *bolt.DB
	path   string
	log    *slog.Logger
	now    func() time.Time
	opts   Options
	ingest *groupCommitter

	inboxNotify chan struct{}
	closeOnce   sync.Once
	closeErr    error
}

// Open opens (or creates) the store at dir/sidecar.db. A file that is not a
// bbolt database, or that a newer schema wrote, is refused and left untouched.
func Open(dir string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ActivityMax <= 0 {
		opts.ActivityMax = 10000
	}
	if opts.ActivityMaxAge <= 0 {
		opts.ActivityMaxAge = 30 * 24 * time.Hour
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store.Open: create data dir %s: %w", dir, err)
		}
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        time.Second,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
		ReadOnly:       opts.ReadOnly,
		MaxSize:        opts.MaxSize,
	})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("store.Open: %s is locked by another process (is ocw-sidecar serve running?): %w", path, err)
		}
		return nil, fmt.Errorf("store.Open: %s is not a readable sidecar database (left untouched): %w", path, err)
	}
	s := &Store{db: db, path: path, log: opts.Logger, now: opts.Now, opts: opts, inboxNotify: make(chan struct{}, 1)}
	if err := s.init(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if !opts.ReadOnly {
		s.ingest = newGroupCommitter(s)
	}
	return s, nil
}

func (s *Store) init() error {
	if s.opts.ReadOnly {
		return s.db.View(func(tx *bolt.Tx) error { return checkSchema(tx, s.path) })
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := checkSchema(tx, s.path); err != nil {
			return err
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("store.Open: create bucket %s: %w", name, err)
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
}

func checkSchema(tx *bolt.Tx, path string) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		if tx.Writable() {
			return nil
		}
		return fmt.Errorf("store.Open: %s has no sidecar schema (not created by ocw-sidecar?)", path)
	}
	raw := meta.Get(keySchema)
	if raw == nil {
		return nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil {
		return fmt.Errorf("store.Open: %s has an unreadable schema version %q", path, raw)
	}
	if v > SchemaVersion {
		return fmt.Errorf("store.Open: %s uses schema %d, this ocw-sidecar reads up to %d: run a newer ocw-sidecar or restore a backup (file left untouched): %w",
			path, v, SchemaVersion, ErrNewerSchema)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close stops the ingest writer and closes the file. Safe to call twice.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.ingest != nil {
			s.ingest.stop()
		}
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

// Ping reports whether the database is open and readable.
func (s *Store) Ping() error {
	return s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return errors.New("store: meta bucket missing")
		}
		return nil
	})
}

// Update runs fn in one read-write transaction: everything fn changes
// through tx commits together, or nothing does when fn returns an error.
func (s *Store) Update(fn func(tx *Tx) error) error {
	return s.db.Update(func(btx *bolt.Tx) error { return fn(newTx(btx, s)) })
}

// View runs fn in a read-only transaction. Byte slices read through tx are
// valid only until fn returns.
func (s *Store) View(fn func(tx *Tx) error) error {
	return s.db.View(func(btx *bolt.Tx) error { return fn(newTx(btx, s)) })
}

// Backup writes a consistent copy of the database to w while it stays in use.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store.Backup: %w", err)
	}
	return n, nil
}

// BackupToFile writes a consistent copy to path atomically (temp file + rename).
func (s *Store) BackupToFile(path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ocw-backup-*")
	if err != nil {
		return 0, fmt.Errorf("store.Backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := s.Backup(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("store.Backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("store.Backup: %w", err)
	}
	return n, nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func fromU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
