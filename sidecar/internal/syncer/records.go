package syncer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// Record layout. The engine keeps its own records in the store's exported
// buckets, under prefixes of its own:
//
//	mappings   "syncer.entity\x00"+id        → entityRec (JSON)
//	mappings   "syncer.child\x00"+parent+id   → "" (children of a variable product)
//	mappings   "syncer.sku\x00"+SKU           → id of the entity that owns the SKU
//	outbox     "variant\x00"+SKU              → outboxEntry (JSON)
//	sent_hashes "variant\x00"+SKU             → sentRec (JSON)
//
// ids are big-endian uint64 so children of one parent are one key range.
var (
	prefixEntity  = []byte("syncer.entity\x00")
	prefixChild   = []byte("syncer.child\x00")
	prefixSKU     = []byte("syncer.sku\x00")
	prefixVariant = []byte("variant\x00")
)

// ItemKind is the store item kind of variants.
const ItemKind = "variant"

// CursorProducts is the store cursor of the reconcile poller: the newest
// date_modified_gmt it covered (RFC 3339, UTC).
const CursorProducts = "products"

// entityRec is the engine's memory of one WooCommerce product or variation.
type entityRec struct {
	ID       int64     `json:"id"`
	ParentID int64     `json:"parent_id,omitempty"`
	Kind     string    `json:"kind"`
	Status   string    `json:"status"`
	SKU      string    `json:"sku,omitempty"`
	Name     string    `json:"name,omitempty"`
	Weight   string    `json:"weight,omitempty"`
	Modified time.Time `json:"modified"`
	ItemName string    `json:"item_name,omitempty"`
	Owns     string    `json:"owns,omitempty"`     // SKU this entity holds in OnCloudWine
	Conflict string    `json:"conflict,omitempty"` // SKU it shares with another product (FAILED)
	ItemKey  string    `json:"item_key,omitempty"` // the item it shows
	Gone     bool      `json:"gone,omitempty"`
	Applied  time.Time `json:"applied"` // when the engine last applied it (its clock)
}

func (r entityRec) parent() parentInfo {
	return parentInfo{ID: r.ID, Kind: r.Kind, Status: r.Status, SKU: r.SKU, Name: r.Name, W: r.Weight}
}

// Outbox operations.
const (
	opUpsert  = "upsert"
	opArchive = "archive"
)

// outboxEntry is one pending change for a SKU; a newer change replaces it.
type outboxEntry struct {
	Op      string               `json:"op"`
	SKU     string               `json:"sku"`
	Variant *oncloudwine.Variant `json:"variant,omitempty"`
	Hash    string               `json:"hash,omitempty"`
	Ver     uint64               `json:"ver"`
	WooID   int64                `json:"woo_id,omitempty"`
	Queued  time.Time            `json:"queued"`
}

// sentRec is what OnCloudWine last accepted (or refused) for a SKU.
type sentRec struct {
	Hash       string `json:"hash,omitempty"` // of the last upsert accepted
	Archived   bool   `json:"archived,omitempty"`
	FailedHash string `json:"failed_hash,omitempty"` // content OnCloudWine refused
	Error      string `json:"error,omitempty"`
}

func idKey(prefix []byte, id int64) []byte {
	k := make([]byte, len(prefix)+8)
	copy(k, prefix)
	binary.BigEndian.PutUint64(k[len(prefix):], uint64(id))
	return k
}

func childKey(parent, child int64) []byte {
	k := idKey(prefixChild, parent)
	return binary.BigEndian.AppendUint64(k, uint64(child))
}

func strKey(prefix []byte, s string) []byte {
	return append(append([]byte(nil), prefix...), s...)
}

// hashVariant is the content hash used to skip unchanged variants. The
// modification date is left out: a stock change moves it without changing
// anything OnCloudWine keeps of the variant.
func hashVariant(v oncloudwine.Variant) string {
	v.WooModifiedAt = time.Time{}
	if v.Attributes == nil {
		v.Attributes = map[string]string{}
	}
	b, _ := json.Marshal(v) // maps marshal with sorted keys: stable
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// txn wraps a write transaction with typed accessors for the records above.
type txn struct {
	tx       *bolt.Tx
	mappings *bolt.Bucket
	outbox   *bolt.Bucket
	sent     *bolt.Bucket
}

func newTxn(tx *bolt.Tx) *txn {
	return &txn{
		tx:       tx,
		mappings: tx.Bucket(store.BucketMappings),
		outbox:   tx.Bucket(store.BucketOutbox),
		sent:     tx.Bucket(store.BucketSentHashes),
	}
}

func getJSON[T any](b *bolt.Bucket, key []byte) (T, bool, error) {
	var v T
	raw := b.Get(key)
	if raw == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("record %q: %w", key, err)
	}
	return v, true, nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

func (t *txn) entity(id int64) (entityRec, bool, error) {
	return getJSON[entityRec](t.mappings, idKey(prefixEntity, id))
}

func (t *txn) putEntity(r entityRec) error {
	if r.ParentID != 0 {
		if err := t.mappings.Put(childKey(r.ParentID, r.ID), nil); err != nil {
			return err
		}
	}
	return putJSON(t.mappings, idKey(prefixEntity, r.ID), r)
}

// children lists the known variation ids of a parent.
func (t *txn) children(parent int64) []int64 {
	prefix := idKey(prefixChild, parent)
	var out []int64
	c := t.mappings.Cursor()
	for k, _ := c.Seek(prefix); k != nil && len(k) == len(prefix)+8 && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
		out = append(out, int64(binary.BigEndian.Uint64(k[len(prefix):])))
	}
	return out
}

func (t *txn) skuOwner(sku string) int64 {
	v := t.mappings.Get(strKey(prefixSKU, sku))
	if len(v) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v))
}

func (t *txn) setSKUOwner(sku string, id int64) error {
	return t.mappings.Put(strKey(prefixSKU, sku), binary.BigEndian.AppendUint64(nil, uint64(id)))
}

func (t *txn) dropSKUOwner(sku string) error { return t.mappings.Delete(strKey(prefixSKU, sku)) }

func (t *txn) outboxEntry(sku string) (outboxEntry, bool, error) {
	return getJSON[outboxEntry](t.outbox, strKey(prefixVariant, sku))
}

func (t *txn) putOutbox(e outboxEntry) (outboxEntry, error) {
	ver, err := t.outbox.NextSequence()
	if err != nil {
		return e, err
	}
	e.Ver = ver
	return e, putJSON(t.outbox, strKey(prefixVariant, e.SKU), e)
}

func (t *txn) deleteOutbox(sku string) error { return t.outbox.Delete(strKey(prefixVariant, sku)) }

func (t *txn) sentRec(sku string) (sentRec, error) {
	r, _, err := getJSON[sentRec](t.sent, strKey(prefixVariant, sku))
	return r, err
}

func (t *txn) putSent(sku string, r sentRec) error {
	return putJSON(t.sent, strKey(prefixVariant, sku), r)
}

type ocwVariant = oncloudwine.Variant

func beUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func hasPrefix(k, prefix []byte) bool {
	return len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix)
}

// newViewTxn is newTxn for a read-only transaction (reads only).
func newViewTxn(tx *bolt.Tx) *txn { return newTxn(tx) }
