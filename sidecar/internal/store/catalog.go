package store

import (
	"bytes"
	"encoding/binary"
)

// The sync engine's records (layout.go): what it knows of each WooCommerce
// product and variation, which entity owns each SKU, the outbox of changes
// waiting for OnCloudWine, and what OnCloudWine last accepted. Values are
// encoded by the engine; keys and cursor loops live here.

func idKey(prefix []byte, id int64) []byte {
	k := make([]byte, len(prefix)+8)
	copy(k, prefix)
	binary.BigEndian.PutUint64(k[len(prefix):], uint64(id))
	return k
}

func strKey(prefix []byte, s string) []byte {
	return append(append(make([]byte, 0, len(prefix)+len(s)), prefix...), s...)
}

// Entity reads the engine's record of a WooCommerce product or variation
// (nil when unknown).
func (t *Tx) Entity(id int64) []byte {
	return t.mappingsBucket().Get(idKey(prefixEntity, id))
}

// PutEntity stores the record of entity id; a variation (parentID ≠ 0) is
// also listed among its parent's Children.
func (t *Tx) PutEntity(id, parentID int64, rec []byte) error {
	b := t.mappingsBucket()
	if parentID != 0 {
		child := binary.BigEndian.AppendUint64(idKey(prefixChild, parentID), uint64(id))
		if err := b.Put(child, nil); err != nil {
			return err
		}
	}
	return b.Put(idKey(prefixEntity, id), rec)
}

// Children lists the variation ids ever stored under parent, in id order.
func (t *Tx) Children(parent int64) []int64 {
	prefix := idKey(prefixChild, parent)
	var out []int64
	c := t.mappingsBucket().Cursor()
	for k, _ := c.Seek(prefix); k != nil && len(k) == len(prefix)+8 && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, int64(binary.BigEndian.Uint64(k[len(prefix):])))
	}
	return out
}

// EachEntity calls fn with every entity record in id order; an error from fn
// stops the walk and is returned.
func (t *Tx) EachEntity(fn func(id int64, rec []byte) error) error {
	c := t.mappingsBucket().Cursor()
	for k, v := c.Seek(prefixEntity); k != nil && len(k) == len(prefixEntity)+8 && bytes.HasPrefix(k, prefixEntity); k, v = c.Next() {
		if err := fn(int64(binary.BigEndian.Uint64(k[len(prefixEntity):])), v); err != nil {
			return err
		}
	}
	return nil
}

// SKUOwner is the id of the entity that owns sku (0: none).
func (t *Tx) SKUOwner(sku string) int64 {
	v := t.mappingsBucket().Get(strKey(prefixSKU, sku))
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

// SetSKUOwner makes entity id the owner of sku.
func (t *Tx) SetSKUOwner(sku string, id int64) error {
	return t.mappingsBucket().Put(strKey(prefixSKU, sku), binary.BigEndian.AppendUint64(nil, uint64(id)))
}

// DropSKUOwner forgets who owns sku.
func (t *Tx) DropSKUOwner(sku string) error {
	return t.mappingsBucket().Delete(strKey(prefixSKU, sku))
}

// OutboxEntry reads the change waiting for sku (nil when none).
func (t *Tx) OutboxEntry(sku string) []byte {
	return t.outboxBucket().Get(strKey(prefixVariant, sku))
}

// NextOutboxVersion is a new version number for an outbox entry, larger than
// every one given before.
func (t *Tx) NextOutboxVersion() (uint64, error) { return t.outboxBucket().NextSequence() }

// PutOutboxEntry replaces the change waiting for sku.
func (t *Tx) PutOutboxEntry(sku string, entry []byte) error {
	return t.outboxBucket().Put(strKey(prefixVariant, sku), entry)
}

// DeleteOutboxEntry removes the change waiting for sku.
func (t *Tx) DeleteOutboxEntry(sku string) error {
	return t.outboxBucket().Delete(strKey(prefixVariant, sku))
}

// ScanOutbox calls fn with the waiting changes in SKU order while fn
// returns true; an error from fn stops the walk and is returned.
func (t *Tx) ScanOutbox(fn func(sku string, entry []byte) (more bool, err error)) error {
	c := t.outboxBucket().Cursor()
	for k, v := c.Seek(prefixVariant); k != nil && bytes.HasPrefix(k, prefixVariant); k, v = c.Next() {
		more, err := fn(string(k[len(prefixVariant):]), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// OutboxEmpty reports whether no change waits to be sent.
func (t *Tx) OutboxEmpty() bool {
	k, _ := t.outboxBucket().Cursor().Seek(prefixVariant)
	return k == nil || !bytes.HasPrefix(k, prefixVariant)
}

// OutboxDepth counts the changes waiting to be sent.
func (t *Tx) OutboxDepth() int {
	n := 0
	c := t.outboxBucket().Cursor()
	for k, _ := c.Seek(prefixVariant); k != nil && bytes.HasPrefix(k, prefixVariant); k, _ = c.Next() {
		n++
	}
	return n
}

// OutboxDepth counts the changes waiting to be sent to OnCloudWine.
func (s *Store) OutboxDepth() (int, error) {
	n := 0
	err := s.View(func(tx *Tx) error { n = tx.OutboxDepth(); return nil })
	return n, err
}

// PutSendingBatch records a batch about to be sent to OnCloudWine, under id
// (from NextOutboxVersion), so that after a crash it is sent again exactly
// as it was: the same request, the same Idempotency-Key.
func (t *Tx) PutSendingBatch(id uint64, batch []byte) error {
	return t.outboxBucket().Put(binary.BigEndian.AppendUint64(bytes.Clone(prefixSending), id), batch)
}

// DeleteSendingBatch forgets a batch whose outcome is recorded.
func (t *Tx) DeleteSendingBatch(id uint64) error {
	return t.outboxBucket().Delete(binary.BigEndian.AppendUint64(bytes.Clone(prefixSending), id))
}

// ScanSendingBatches calls fn with the batches recorded as being sent,
// oldest first, while fn returns true.
func (t *Tx) ScanSendingBatches(fn func(id uint64, batch []byte) (more bool, err error)) error {
	c := t.outboxBucket().Cursor()
	for k, v := c.Seek(prefixSending); k != nil && bytes.HasPrefix(k, prefixSending); k, v = c.Next() {
		if len(k) != len(prefixSending)+8 {
			continue
		}
		more, err := fn(binary.BigEndian.Uint64(k[len(prefixSending):]), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// SentRecord reads what OnCloudWine last accepted or refused for sku (nil
// when nothing was sent).
func (t *Tx) SentRecord(sku string) []byte {
	return t.sentBucket().Get(strKey(prefixVariant, sku))
}

// PutSentRecord replaces what OnCloudWine last accepted or refused for sku.
func (t *Tx) PutSentRecord(sku string, rec []byte) error {
	return t.sentBucket().Put(strKey(prefixVariant, sku), rec)
}
