package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Tx is one store transaction (Store.Update or Store.View). Its named
// operations let a caller change items, cursors and the sync engine's
// records together in one commit. Byte slices it returns are valid only
// while the transaction is open.
type Tx struct {
	tx                                     *bolt.Tx
	s                                      *Store // its clock and activity retention
	items, cursors, mappings, outbox, sent *bolt.Bucket
}

func newTx(tx *bolt.Tx, s *Store) *Tx { return &Tx{tx: tx, s: s} }

// LogActivity appends a line to the activity log in this transaction, so it
// commits with the change it describes.
func (t *Tx) LogActivity(level, message string) error {
	return t.s.appendActivityTx(t.tx, level, message)
}

// bucket returns the named bucket, looked up once per transaction (a
// read-only bbolt transaction does not cache its buckets).
func (t *Tx) bucket(slot **bolt.Bucket, name []byte) *bolt.Bucket {
	if *slot == nil {
		*slot = t.tx.Bucket(name)
	}
	return *slot
}

func (t *Tx) itemsBucket() *bolt.Bucket    { return t.bucket(&t.items, bucketItems) }
func (t *Tx) cursorsBucket() *bolt.Bucket  { return t.bucket(&t.cursors, bucketCursors) }
func (t *Tx) mappingsBucket() *bolt.Bucket { return t.bucket(&t.mappings, bucketMappings) }
func (t *Tx) outboxBucket() *bolt.Bucket   { return t.bucket(&t.outbox, bucketOutbox) }
func (t *Tx) sentBucket() *bolt.Bucket     { return t.bucket(&t.sent, bucketSentHashes) }

// SetCursor records a cursor, so it moves in the same commit as the changes
// it covers.
func (t *Tx) SetCursor(name, value string) error {
	return t.cursorsBucket().Put([]byte(name), []byte(value))
}

// Cursor reads a cursor ("" when unset).
func (t *Tx) Cursor(name string) string {
	return string(t.cursorsBucket().Get([]byte(name)))
}

// PutItems stores items (kind+key replace earlier records), so a status
// change commits together with the state it describes.
func (t *Tx) PutItems(items ...Item) error {
	b := t.itemsBucket()
	for _, it := range items {
		v, err := json.Marshal(it)
		if err != nil {
			return err
		}
		if err := b.Put(itemKey(it.Kind, it.Key), v); err != nil {
			return err
		}
	}
	return nil
}

// Item reads one item.
func (t *Tx) Item(kind, key string) (Item, bool, error) {
	v := t.itemsBucket().Get(itemKey(kind, key))
	if v == nil {
		return Item{}, false, nil
	}
	var it Item
	if err := json.Unmarshal(v, &it); err != nil {
		return Item{}, false, fmt.Errorf("item %s/%s: %w", kind, key, err)
	}
	return it, true, nil
}

// DeleteItem forgets one item.
func (t *Tx) DeleteItem(kind, key string) error {
	return t.itemsBucket().Delete(itemKey(kind, key))
}
