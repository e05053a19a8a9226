package store

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Item sync states, as users see them.
const (
	StatusPending = "PENDING"
	StatusSynced  = "SYNCED"
	StatusFailed  = "FAILED"
)

// Item is the sync status of one entity (a variant by SKU, an order by id).
type Item struct {
	Kind        string    `json:"kind"`
	Key         string    `json:"key"`
	Status      string    `json:"status"`
	Error       string    `json:"error,omitempty"`
	WooID       int64     `json:"woo_id,omitempty"`
	WooParentID int64     `json:"woo_parent_id,omitempty"`
	Name        string    `json:"name,omitempty"`
	ModifiedGMT string    `json:"woo_modified_gmt,omitempty"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ItemFilter selects items in ListItems; empty fields match everything.
type ItemFilter struct {
	Kind   string
	Status string
}

func itemKey(kind, key string) []byte { return []byte(kind + "\x00" + key) }

// PutItems stores items (kind+key replace earlier records).
func (s *Store) PutItems(items ...Item) error {
	if err := s.Update(func(tx *Tx) error { return tx.PutItems(items...) }); err != nil {
		return fmt.Errorf("store.PutItems: %w", err)
	}
	return nil
}

// GetItem reads one item.
func (s *Store) GetItem(kind, key string) (Item, bool, error) {
	var (
		it Item
		ok bool
	)
	err := s.View(func(tx *Tx) error {
		var err error
		it, ok, err = tx.Item(kind, key)
		return err
	})
	return it, ok, err
}

// ListItems pages through items in key order. cursor is opaque ("" = start);
// the returned cursor is "" after the last page.
func (s *Store) ListItems(f ItemFilter, limit int, cursor string) ([]Item, string, error) {
	if limit <= 0 {
		limit = 50
	}
	start, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, "", fmt.Errorf("store.ListItems: bad cursor: %w", err)
	}
	var (
		out  []Item
		next string
	)
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketItems).Cursor()
		var k, v []byte
		if len(start) > 0 {
			k, v = c.Seek(start)
		} else if f.Kind != "" {
			k, v = c.Seek([]byte(f.Kind + "\x00"))
		} else {
			k, v = c.First()
		}
		for ; k != nil; k, v = c.Next() {
			if f.Kind != "" && !bytes.HasPrefix(k, []byte(f.Kind+"\x00")) {
				break
			}
			if len(out) == limit {
				next = base64.RawURLEncoding.EncodeToString(k)
				break
			}
			var it Item
			if err := json.Unmarshal(v, &it); err != nil {
				return err
			}
			if f.Status != "" && it.Status != f.Status {
				continue
			}
			out = append(out, it)
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("store.ListItems: %w", err)
	}
	return out, next, nil
}

// ItemCounts counts items by status.
func (s *Store) ItemCounts() (map[string]int, error) {
	counts := map[string]int{StatusPending: 0, StatusSynced: 0, StatusFailed: 0}
	err := s.db.View(func(tx *bolt.Tx) error {
		var probe struct {
			Status string `json:"status"`
		}
		return tx.Bucket(bucketItems).ForEach(func(_, v []byte) error {
			probe.Status = ""
			if err := json.Unmarshal(v, &probe); err != nil {
				return err
			}
			counts[probe.Status]++
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store.ItemCounts: %w", err)
	}
	return counts, nil
}
