package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Activity is one line of the activity log a person reads.
type Activity struct {
	ID      uint64    `json:"id"`
	At      time.Time `json:"at"`
	Level   string    `json:"level"`
	Message string    `json:"message"`
}

// LogActivity appends a line and applies retention (count and age).
func (s *Store) LogActivity(level, message string) error {
	err := s.db.Update(func(tx *bolt.Tx) error { return s.appendActivityTx(tx, level, message) })
	if err != nil {
		return fmt.Errorf("store.LogActivity: %w", err)
	}
	return nil
}

// appendActivityTx appends a line inside a caller's transaction, so it
// commits with the change it describes.
func (s *Store) appendActivityTx(tx *bolt.Tx, level, message string) error {
	now := s.now().UTC()
	b := tx.Bucket(bucketActivity)
	b.FillPercent = appendFill
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	v, err := json.Marshal(Activity{ID: seq, At: now, Level: level, Message: message})
	if err != nil {
		return err
	}
	if err := b.Put(u64(seq), v); err != nil {
		return err
	}
	return s.trimActivity(b, seq, now)
}

// trimActivity deletes the oldest lines beyond ActivityMax and those older
// than ActivityMaxAge. Sequences are dense, so the count bound is a key bound.
func (s *Store) trimActivity(b *bolt.Bucket, newest uint64, now time.Time) error {
	var minKeep uint64
	if newest > uint64(s.opts.ActivityMax) {
		minKeep = newest - uint64(s.opts.ActivityMax) + 1
	}
	cutoff := now.Add(-s.opts.ActivityMaxAge)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.First() {
		if fromU64(k) >= minKeep {
			var a Activity
			if err := json.Unmarshal(v, &a); err != nil || !a.At.Before(cutoff) {
				return nil
			}
		}
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// ListActivity returns lines newest first, strictly older than before (0 = newest).
func (s *Store) ListActivity(limit int, before uint64) ([]Activity, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []Activity
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketActivity).Cursor()
		var k, v []byte
		if before == 0 {
			k, v = c.Last()
		} else {
			k, _ = c.Seek(u64(before))
			if k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			var a Activity
			if err := json.Unmarshal(v, &a); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store.ListActivity: %w", err)
	}
	return out, nil
}
