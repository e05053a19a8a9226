package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Release-order mirror states (package mirror drives them). PENDING: known,
// not tried; CREATING: a WooCommerce create may have gone out (recorded
// before the call); SYNCED: the WooCommerce order exists; FAILED: the last
// try failed, retried later; SKIPPED: cancelled or refunded in OnCloudWine
// before it was ever mirrored (nothing to create).
const (
	MirrorPending  = "PENDING"
	MirrorCreating = "CREATING"
	MirrorSynced   = "SYNCED"
	MirrorFailed   = "FAILED"
	MirrorSkipped  = "SKIPPED"
)

// ItemKindReleaseOrder is the item kind of a release order's mirror status
// in /v1/items.
const ItemKindReleaseOrder = "release_order"

// MirrorCursorName is the cursor of the release-order poll.
const MirrorCursorName = "release_orders"

// MirrorRecord is one release order's mirror, recorded before and after
// every WooCommerce call.
type MirrorRecord struct {
	ID        string          `json:"id"`
	Number    string          `json:"number"`
	State     string          `json:"state"`
	Order     json.RawMessage `json:"order"`          // the release order as OnCloudWine last listed it
	Status    string          `json:"release_status"` // its OnCloudWine status: paid, cancelled, refunded
	WooID     int64           `json:"woo_order_id,omitempty"`
	WooStatus string          `json:"woo_status,omitempty"` // the status the sidecar last gave the Woo order
	Error     string          `json:"error,omitempty"`
	Attempts  int             `json:"attempts,omitempty"`
	NextTry   time.Time       `json:"next_try,omitzero"`
	// CreatingSince is when the first create went out: a lookup without the
	// plugin lists the orders modified since shortly before it.
	CreatingSince time.Time `json:"creating_since,omitzero"`
	// Reported is the state last reported to OnCloudWine ("" = none yet).
	Reported  string    `json:"reported,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Done reports whether nothing is left to do for the record: mirrored,
// reported, and the Woo order's status follows OnCloudWine's; or skipped.
func (r MirrorRecord) Done() bool {
	switch r.State {
	case MirrorSkipped:
		return true
	case MirrorSynced:
		return r.Reported == MirrorSynced && r.WooStatus == WooStatusFor(r.Status)
	}
	return false
}

// WooStatusFor is the WooCommerce status a mirrored order has for its
// release order's OnCloudWine status.
func WooStatusFor(releaseStatus string) string {
	switch releaseStatus {
	case "cancelled":
		return "cancelled"
	case "refunded":
		return "refunded"
	}
	return "processing"
}

// item is the record as /v1/items shows it (CREATING counts as PENDING).
func (r MirrorRecord) item() Item {
	it := Item{Kind: ItemKindReleaseOrder, Key: r.ID, Name: r.Number, WooID: r.WooID, UpdatedAt: r.UpdatedAt, Error: r.Error}
	switch r.State {
	case MirrorSynced, MirrorSkipped:
		it.Status = StatusSynced
	case MirrorFailed:
		it.Status = StatusFailed
	default:
		it.Status = StatusPending
	}
	return it
}

// PutMirror stores a record as given, its item status and whether it has
// work left (the due index), in this transaction.
func (t *Tx) PutMirror(r MirrorRecord) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketMirror).Put([]byte(r.ID), v); err != nil {
		return err
	}
	due := t.tx.Bucket(bucketMirrorDue)
	if r.Done() {
		if err := due.Delete([]byte(r.ID)); err != nil {
			return err
		}
	} else if err := due.Put([]byte(r.ID), nil); err != nil {
		return err
	}
	return t.PutItems(r.item())
}

// Mirror reads one record in this transaction.
func (t *Tx) Mirror(id string) (MirrorRecord, bool, error) {
	v := t.tx.Bucket(bucketMirror).Get([]byte(id))
	if v == nil {
		return MirrorRecord{}, false, nil
	}
	var r MirrorRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return MirrorRecord{}, false, fmt.Errorf("mirror record %s: %w", id, err)
	}
	return r, true, nil
}

// PutMirrorOutcome stores the outcome of a step of the mirror (state,
// WooCommerce order, error, next try, report) in this transaction. What
// OnCloudWine listed (the order, its status and number) is kept as stored:
// a poll may have recorded a cancellation while the step ran.
func (t *Tx) PutMirrorOutcome(r MirrorRecord) error {
	cur, ok, err := t.Mirror(r.ID)
	if err != nil {
		return err
	}
	if ok {
		r.Order, r.Status, r.Number = cur.Order, cur.Status, cur.Number
	}
	if r.WooID != 0 {
		// The WooCommerce order is a mirror: the online-order sync never
		// sends it back, whatever its deliveries carry or in what order.
		if err := t.MarkOrderMirrored(r.WooID); err != nil {
			return err
		}
	}
	return t.PutMirror(r)
}

// MirrorsDue returns up to limit records with something left to do whose
// NextTry is not after now, and the earliest NextTry of those left waiting
// (zero when none waits).
func (t *Tx) MirrorsDue(now time.Time, limit int) ([]MirrorRecord, time.Time, error) {
	var (
		out  []MirrorRecord
		next time.Time
	)
	recs := t.tx.Bucket(bucketMirror)
	err := t.tx.Bucket(bucketMirrorDue).ForEach(func(k, _ []byte) error {
		v := recs.Get(k)
		if v == nil {
			return nil
		}
		var r MirrorRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("mirror record %s: %w", k, err)
		}
		if r.NextTry.After(now) {
			if next.IsZero() || r.NextTry.Before(next) {
				next = r.NextTry
			}
			return nil
		}
		if len(out) < limit {
			out = append(out, r)
		}
		return nil
	})
	return out, next, err
}

// MirrorCounts counts the records by state in this transaction.
func (t *Tx) MirrorCounts() (map[string]int, error) {
	counts := map[string]int{}
	var probe struct {
		State string `json:"state"`
	}
	err := t.tx.Bucket(bucketMirror).ForEach(func(_, v []byte) error {
		probe.State = ""
		if err := json.Unmarshal(v, &probe); err != nil {
			return err
		}
		counts[probe.State]++
		return nil
	})
	return counts, err
}

// mirrorCustomerKey is where the mirror's customer ids live in the mappings
// bucket: "mirror_customer\x00" + "email:<lower-case email>" (create) or
// "single".
func mirrorCustomerKey(key string) []byte { return []byte("mirror_customer\x00" + key) }

// MirrorCustomer reads the WooCommerce customer id remembered under key (0
// when none).
func (t *Tx) MirrorCustomer(key string) (int64, error) {
	v := t.mappingsBucket().Get(mirrorCustomerKey(key))
	if v == nil {
		return 0, nil
	}
	id, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("mirror customer %s: %w", key, err)
	}
	return id, nil
}

// SetMirrorCustomer remembers a customer id under key; 0 forgets it.
func (t *Tx) SetMirrorCustomer(key string, id int64) error {
	if id == 0 {
		return t.mappingsBucket().Delete(mirrorCustomerKey(key))
	}
	return t.mappingsBucket().Put(mirrorCustomerKey(key), []byte(strconv.FormatInt(id, 10)))
}
