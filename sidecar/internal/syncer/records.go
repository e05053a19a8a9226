package syncer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
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

// txn gives the engine's records their types over the store's named
// operations; the key layout is the store's (see package store, layout.go).
type txn struct {
	tx *store.Tx
}

func newTxn(tx *store.Tx) *txn { return &txn{tx: tx} }

func getJSON[T any](raw []byte, kind string, key any) (T, bool, error) {
	var v T
	if raw == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("%s record %v: %w", kind, key, err)
	}
	return v, true, nil
}

func (t *txn) entity(id int64) (entityRec, bool, error) {
	return getJSON[entityRec](t.tx.Entity(id), "entity", id)
}

func (t *txn) putEntity(r entityRec) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.tx.PutEntity(r.ID, r.ParentID, raw)
}

// children lists the known variation ids of a parent.
func (t *txn) children(parent int64) []int64 { return t.tx.Children(parent) }

func (t *txn) skuOwner(sku string) int64 { return t.tx.SKUOwner(sku) }

func (t *txn) setSKUOwner(sku string, id int64) error { return t.tx.SetSKUOwner(sku, id) }

func (t *txn) dropSKUOwner(sku string) error { return t.tx.DropSKUOwner(sku) }

func (t *txn) outboxEntry(sku string) (outboxEntry, bool, error) {
	return getJSON[outboxEntry](t.tx.OutboxEntry(sku), "outbox", sku)
}

func (t *txn) putOutbox(e outboxEntry) (outboxEntry, error) {
	ver, err := t.tx.NextOutboxVersion()
	if err != nil {
		return e, err
	}
	e.Ver = ver
	raw, err := json.Marshal(e)
	if err != nil {
		return e, err
	}
	return e, t.tx.PutOutboxEntry(e.SKU, raw)
}

func (t *txn) deleteOutbox(sku string) error { return t.tx.DeleteOutboxEntry(sku) }

func (t *txn) sentRec(sku string) (sentRec, error) {
	r, _, err := getJSON[sentRec](t.tx.SentRecord(sku), "sent", sku)
	return r, err
}

func (t *txn) putSent(sku string, r sentRec) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.tx.PutSentRecord(sku, raw)
}

type ocwVariant = oncloudwine.Variant
