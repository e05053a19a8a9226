package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
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

func putMirrorTx(tx *bolt.Tx, r MirrorRecord) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketMirror).Put([]byte(r.ID), v); err != nil {
		return err
	}
	due := tx.Bucket(bucketMirrorDue)
	if r.Done() {
		if err := due.Delete([]byte(r.ID)); err != nil {
			return err
		}
	} else if err := due.Put([]byte(r.ID), nil); err != nil {
		return err
	}
	return PutItemsTx(tx, r.item())
}

func getMirrorTx(tx *bolt.Tx, id string) (MirrorRecord, bool, error) {
	v := tx.Bucket(bucketMirror).Get([]byte(id))
	if v == nil {
		return MirrorRecord{}, false, nil
	}
	var r MirrorRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return MirrorRecord{}, false, fmt.Errorf("mirror record %s: %w", id, err)
	}
	return r, true, nil
}

// MirrorListed records a page of release orders as OnCloudWine listed it
// and moves the poll cursor, in one commit: merge decides, for each listed
// order, the record to store from the one stored (ok false when none). A
// nil cursor leaves the cursor alone (a backfill).
func (s *Store) MirrorListed(ids []string, merge func(i int, old MirrorRecord, ok bool) MirrorRecord, cursor *string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i, id := range ids {
			old, ok, err := getMirrorTx(tx, id)
			if err != nil {
				return err
			}
			if err := putMirrorTx(tx, merge(i, old, ok)); err != nil {
				return err
			}
		}
		if cursor != nil {
			return SetCursorTx(tx, MirrorCursorName, *cursor)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store.MirrorListed: %w", err)
	}
	return nil
}

// Note is an activity-log line that commits with a record.
type Note struct {
	Level, Message string
}

// PutMirror stores the outcome of a step of the mirror (state, WooCommerce
// order, error, next try, report), its item status and the activity lines
// that describe it, in one commit. What OnCloudWine listed (the order, its
// status and number) is kept as stored: a poll may have recorded a
// cancellation while the step ran.
func (s *Store) PutMirror(r MirrorRecord, notes ...Note) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		cur, ok, err := getMirrorTx(tx, r.ID)
		if err != nil {
			return err
		}
		if ok {
			r.Order, r.Status, r.Number = cur.Order, cur.Status, cur.Number
		}
		if err := putMirrorTx(tx, r); err != nil {
			return err
		}
		for _, n := range notes {
			if err := s.appendActivityTx(tx, n.Level, n.Message); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store.PutMirror %s: %w", r.ID, err)
	}
	return nil
}

// Mirror reads one record.
func (s *Store) Mirror(id string) (MirrorRecord, bool, error) {
	var (
		r  MirrorRecord
		ok bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		r, ok, err = getMirrorTx(tx, id)
		return err
	})
	if err != nil {
		return MirrorRecord{}, false, fmt.Errorf("store.Mirror %s: %w", id, err)
	}
	return r, ok, nil
}

// MirrorsDue returns up to limit records with something left to do whose
// NextTry is not after now, and the earliest NextTry of those left waiting
// (zero when none waits).
func (s *Store) MirrorsDue(now time.Time, limit int) ([]MirrorRecord, time.Time, error) {
	var (
		out  []MirrorRecord
		next time.Time
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		recs := tx.Bucket(bucketMirror)
		return tx.Bucket(bucketMirrorDue).ForEach(func(k, _ []byte) error {
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
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("store.MirrorsDue: %w", err)
	}
	return out, next, nil
}

// MirrorCounts counts the records by state.
func (s *Store) MirrorCounts() (map[string]int, error) {
	counts := map[string]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		var probe struct {
			State string `json:"state"`
		}
		return tx.Bucket(bucketMirror).ForEach(func(_, v []byte) error {
			probe.State = ""
			if err := json.Unmarshal(v, &probe); err != nil {
				return err
			}
			counts[probe.State]++
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store.MirrorCounts: %w", err)
	}
	return counts, nil
}

// mirrorCustomerNS namespaces the mirror's customer ids in the mappings
// bucket: "email:<lower-case email>" (create) or "single".
const mirrorCustomerNS = "mirror_customer"

// MirrorCustomer reads the WooCommerce customer id remembered under key (0
// when none).
func (s *Store) MirrorCustomer(key string) (int64, error) {
	var id int64
	err := s.db.View(func(tx *bolt.Tx) error {
		v := MappingTx(tx, mirrorCustomerNS, key)
		if v == "" {
			return nil
		}
		_, err := fmt.Sscan(v, &id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store.MirrorCustomer: %w", err)
	}
	return id, nil
}

// SetMirrorCustomer remembers a customer id under key (0 forgets it), with
// the activity lines that describe it, in one commit.
func (s *Store) SetMirrorCustomer(key string, id int64, notes ...Note) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, n := range notes {
			if err := s.appendActivityTx(tx, n.Level, n.Message); err != nil {
				return err
			}
		}
		if id == 0 {
			return tx.Bucket(BucketMappings).Delete([]byte(mirrorCustomerNS + "\x00" + key))
		}
		return PutMappingTx(tx, mirrorCustomerNS, key, fmt.Sprint(id))
	})
	if err != nil {
		return fmt.Errorf("store.SetMirrorCustomer: %w", err)
	}
	return nil
}
