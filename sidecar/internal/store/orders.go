package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Online orders (WooCommerce → OnCloudWine): keys in layout.go; the
// values are encoded here (the order sync has no records of its own).
var prefixWooOrder = []byte("woo_order\x00")

// ItemKindOrder is the item kind of online orders; their key is the
// WooCommerce order id in decimal.
const ItemKindOrder = "order"

// CursorOrders is the reconcile cursor of orders: the newest
// date_modified_gmt it covered (RFC 3339, UTC).
const CursorOrders = "orders"

// OrderState is what the sidecar remembers of one WooCommerce order.
type OrderState struct {
	ID     int64  `json:"id"`
	Number string `json:"number,omitempty"`
	// Modified is the date_modified_gmt last applied; an older snapshot of
	// the order is never applied after it.
	Modified time.Time `json:"modified"`
	// Known: the order was queued for OnCloudWine once; every later change
	// follows, whatever its status.
	Known bool `json:"known,omitempty"`
	// Mirrored: the order is a release-order mirror the sidecar created
	// (meta _oncloudwine_release_order_id); it is never sent.
	Mirrored bool `json:"mirrored,omitempty"`
	// SentHash is the content OnCloudWine last accepted; FailedHash and
	// Error the content it refused and why.
	SentHash   string `json:"sent_hash,omitempty"`
	FailedHash string `json:"failed_hash,omitempty"`
	Error      string `json:"error,omitempty"`
}

// QueuedOrder is an order waiting to be sent; a newer change replaces it
// (Ver tells them apart).
type QueuedOrder struct {
	WooOrderID int64           `json:"woo_order_id"`
	Number     string          `json:"number"`
	Hash       string          `json:"hash"`
	Ver        uint64          `json:"ver"`
	Payload    json.RawMessage `json:"payload"`
	Queued     time.Time       `json:"queued"`
}

func wooOrderKey(id int64) []byte {
	return binary.BigEndian.AppendUint64(clone(prefixWooOrder), uint64(id))
}

// OrderState reads an order's state.
func (t *Tx) OrderState(id int64) (OrderState, bool, error) {
	var st OrderState
	raw := t.mappingsBucket().Get(wooOrderKey(id))
	if raw == nil {
		return st, false, nil
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, false, fmt.Errorf("order %d state: %w", id, err)
	}
	return st, true, nil
}

// PutOrderState saves an order's state.
func (t *Tx) PutOrderState(st OrderState) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return t.mappingsBucket().Put(wooOrderKey(st.ID), raw)
}

// MarkOrderMirrored records that WooCommerce order id mirrors a release
// order: nothing of it is ever sent, and what was queued is dropped. The
// release-order mirror may call it in the transaction that records the
// mirror, before any delivery of the order arrives.
func (t *Tx) MarkOrderMirrored(id int64) error {
	st, _, err := t.OrderState(id)
	if err != nil {
		return err
	}
	st.ID, st.Mirrored = id, true
	if err := t.UnqueueOrder(id); err != nil {
		return err
	}
	if err := t.DeleteItem(ItemKindOrder, OrderItemKey(id)); err != nil {
		return err
	}
	return t.PutOrderState(st)
}

// QueuedOrder reads the queued change of an order.
func (t *Tx) QueuedOrder(id int64) (QueuedOrder, bool, error) {
	var q QueuedOrder
	raw := t.outboxBucket().Get(wooOrderKey(id))
	if raw == nil {
		return q, false, nil
	}
	if err := json.Unmarshal(raw, &q); err != nil {
		return q, false, fmt.Errorf("queued order %d: %w", id, err)
	}
	return q, true, nil
}

// QueueOrder queues q in place of what was queued for its order, with a new
// version, and returns it.
func (t *Tx) QueueOrder(q QueuedOrder) (QueuedOrder, error) {
	b := t.outboxBucket()
	ver, err := b.NextSequence()
	if err != nil {
		return q, err
	}
	q.Ver = ver
	raw, err := json.Marshal(q)
	if err != nil {
		return q, err
	}
	return q, b.Put(wooOrderKey(q.WooOrderID), raw)
}

// UnqueueOrder drops the queued change of an order.
func (t *Tx) UnqueueOrder(id int64) error {
	return t.outboxBucket().Delete(wooOrderKey(id))
}

// QueuedOrders lists up to limit queued orders by ascending id, leaving out
// those skip names (nil skips none).
func (t *Tx) QueuedOrders(limit int, skip func(id int64) bool) ([]QueuedOrder, error) {
	var out []QueuedOrder
	c := t.outboxBucket().Cursor()
	for k, v := c.Seek(prefixWooOrder); k != nil && len(out) < limit && bytes.HasPrefix(k, prefixWooOrder); k, v = c.Next() {
		id := int64(fromU64(k[len(prefixWooOrder):]))
		if skip != nil && skip(id) {
			continue
		}
		var q QueuedOrder
		if err := json.Unmarshal(v, &q); err != nil {
			return nil, fmt.Errorf("queued order %d: %w", id, err)
		}
		out = append(out, q)
	}
	return out, nil
}

// QueuedOrderCount counts the orders waiting to be sent.
func (t *Tx) QueuedOrderCount() int {
	n := 0
	c := t.outboxBucket().Cursor()
	for k, _ := c.Seek(prefixWooOrder); k != nil && bytes.HasPrefix(k, prefixWooOrder); k, _ = c.Next() {
		n++
	}
	return n
}

// OrderItemKey is the item key of a WooCommerce order: its id in decimal.
func OrderItemKey(id int64) string { return strconv.FormatInt(id, 10) }
