package syncer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// applyStats counts what an apply step decided.
type applyStats struct {
	Entities  int // products and variations looked at
	Queued    int // variants queued for upsert
	Unchanged int // variants identical to what OnCloudWine has
	Archived  int // SKUs queued for archiving
	Failed    int // items FAILED by a rule
	Stale     int // older than what the engine already applied
}

func (s *applyStats) add(o applyStats) {
	s.Entities += o.Entities
	s.Queued += o.Queued
	s.Unchanged += o.Unchanged
	s.Archived += o.Archived
	s.Failed += o.Failed
	s.Stale += o.Stale
}

// passState is the memory of one full sync pass: which entities and SKUs it
// saw, to archive what disappeared and to spot SKUs used twice.
type passState struct {
	start   time.Time
	seen    map[int64]struct{}
	skuSeen map[string]int64
}

func newPass(start time.Time) *passState {
	return &passState{start: start, seen: map[int64]struct{}{}, skuSeen: map[string]int64{}}
}

// applier applies plans inside one write transaction.
type applier struct {
	t     *txn
	now   time.Time
	pass  *passState // nil for deltas (webhooks, reconcile)
	stats applyStats
}

func newApplier(tx *store.Tx, now time.Time, pass *passState) *applier {
	return &applier{t: newTxn(tx), now: now.UTC(), pass: pass}
}

func idItemKey(id int64) string { return "woo-" + strconv.FormatInt(id, 10) }

// applyUnit applies a product's plans (the product first, then the
// variations). When the product is variable and its full list of
// variations is known (complete), variations it no longer has are archived.
func (a *applier) applyUnit(plans []plan, complete bool) error {
	for _, p := range plans {
		if err := a.apply(p); err != nil {
			return err
		}
	}
	if !complete || len(plans) == 0 || plans[0].Kind != kindVariable {
		return nil
	}
	keep := make(map[int64]bool, len(plans))
	for _, p := range plans[1:] {
		keep[p.ID] = true
	}
	for _, child := range a.t.children(plans[0].ID) {
		if !keep[child] {
			if err := a.applyGone(child); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyGone archives what a trashed or deleted entity (and its variations)
// had in OnCloudWine.
func (a *applier) applyGone(id int64) error {
	if err := a.apply(plan{ID: id, Gone: true}); err != nil {
		return err
	}
	for _, child := range a.t.children(id) {
		if err := a.apply(plan{ID: child, ParentID: id, Gone: true}); err != nil {
			return err
		}
	}
	return nil
}

// apply records one entity's new state, its item, and the outbox change.
func (a *applier) apply(p plan) error {
	t := a.t
	old, had, err := t.entity(p.ID)
	if err != nil {
		return err
	}
	if a.pass != nil {
		a.pass.seen[p.ID] = struct{}{}
	}
	if p.Gone && (!had || old.Gone) {
		return nil
	}
	if had && !p.Gone && !p.Modified.IsZero() && old.Modified.After(p.Modified) {
		a.stats.Stale++
		return nil
	}
	a.stats.Entities++

	rec := entityRec{
		ID: p.ID, ParentID: p.ParentID, Kind: p.Kind, Status: p.Status, SKU: p.SKU, Name: p.Name,
		Weight: p.Weight, ItemName: p.ItemName, Modified: p.Modified, Applied: a.now,
	}
	if p.Gone {
		rec = old
		rec.Gone, rec.Applied, rec.Conflict, rec.Owns = true, a.now, "", ""
	}
	if rec.Modified.IsZero() {
		rec.Modified = old.Modified
	}
	if rec.ParentID == 0 {
		rec.ParentID = old.ParentID
	}

	var (
		want    string // SKU this entity should hold in OnCloudWine
		item    *store.Item
		newItem = func(key, status, msg string) *store.Item {
			it := &store.Item{Kind: ItemKind, Key: key, Status: status, Error: msg, WooID: p.ID, WooParentID: rec.ParentID, Name: rec.ItemName}
			if !rec.Modified.IsZero() {
				it.ModifiedGMT = rec.Modified.UTC().Format(time.RFC3339)
			}
			return it
		}
	)
	switch {
	case p.Gone:
	case p.Fail != "":
		item = newItem(a.failKey(p), store.StatusFailed, p.Fail)
		a.stats.Failed++
	case p.Variant != nil:
		sku := p.Variant.SKU
		if other := a.conflict(p.ID, sku); other != 0 {
			if err := a.failDuplicate(other, sku, p.ID); err != nil {
				return err
			}
			rec.Conflict = sku
			item = newItem(idItemKey(p.ID), store.StatusFailed, failDuplicate(sku, other))
			a.stats.Failed++
			break
		}
		want = sku
	}

	// Release what the entity held and no longer should.
	if had && old.Owns != "" && old.Owns != want && t.skuOwner(old.Owns) == p.ID {
		if err := t.dropSKUOwner(old.Owns); err != nil {
			return err
		}
		if rec.Conflict != old.Owns { // a SKU in conflict stays as OnCloudWine has it
			queued, err := a.enqueueArchive(old.Owns, p.ID)
			if err != nil {
				return err
			}
			if queued {
				a.stats.Archived++
			}
		}
	}
	if had && old.Conflict != "" && old.Conflict != want && old.Conflict != rec.Conflict && t.skuOwner(old.Conflict) == p.ID {
		if err := t.dropSKUOwner(old.Conflict); err != nil {
			return err
		}
	}
	if rec.Conflict != "" && t.skuOwner(rec.Conflict) == 0 {
		if err := t.setSKUOwner(rec.Conflict, p.ID); err != nil {
			return err
		}
	}

	if want != "" {
		if err := t.setSKUOwner(want, p.ID); err != nil {
			return err
		}
		v := *p.Variant
		if v.WooModifiedAt.IsZero() {
			v.WooModifiedAt = a.now
		}
		status, msg, err := a.enqueueUpsert(v, p.ID)
		if err != nil {
			return err
		}
		rec.Owns = want
		item = newItem(want, status, msg)
		switch status {
		case store.StatusPending:
			a.stats.Queued++
		case store.StatusFailed:
			a.stats.Failed++
		default:
			a.stats.Unchanged++
		}
	}

	if item != nil {
		rec.ItemKey = item.Key
	} else {
		rec.ItemKey = ""
	}
	if had && old.ItemKey != "" && old.ItemKey != rec.ItemKey {
		if err := a.deleteItemIfOurs(old.ItemKey, p.ID); err != nil {
			return err
		}
	}
	if item != nil {
		if err := a.putItem(*item); err != nil {
			return err
		}
	}
	return t.putEntity(rec)
}

// failKey is the item key of an entity FAILED by a rule: its own SKU when it
// has one nobody else holds, else "woo-<id>".
func (a *applier) failKey(p plan) string {
	if p.SKU != "" && p.Fail != failParentSKU && p.Fail != failMissingSKU {
		if o := a.t.skuOwner(p.SKU); o == 0 || o == p.ID {
			return p.SKU
		}
	}
	return idItemKey(p.ID)
}

// conflict returns the id of another live entity holding sku, or 0.
func (a *applier) conflict(id int64, sku string) int64 {
	if a.pass != nil {
		if first, ok := a.pass.skuSeen[sku]; ok && first != id {
			return first
		}
		a.pass.skuSeen[sku] = id
		return 0 // an owner not seen in this pass hands the SKU over
	}
	owner := a.t.skuOwner(sku)
	if owner == 0 || owner == id {
		return 0
	}
	orec, ok, err := a.t.entity(owner)
	if err != nil || !ok || orec.Gone {
		return 0
	}
	if orec.Owns == sku || orec.Conflict == sku {
		return owner
	}
	return 0
}

// failDuplicate marks the other holder of a shared SKU FAILED. What
// OnCloudWine already has for the SKU is left alone; a pending change is
// dropped.
func (a *applier) failDuplicate(other int64, sku string, by int64) error {
	orec, ok, err := a.t.entity(other)
	if err != nil || !ok {
		return err
	}
	if orec.Owns == sku {
		if err := a.t.deleteOutbox(sku); err != nil {
			return err
		}
		orec.Owns = ""
	}
	orec.Conflict = sku
	key := idItemKey(other)
	if orec.ItemKey != "" && orec.ItemKey != key {
		if err := a.deleteItemIfOurs(orec.ItemKey, other); err != nil {
			return err
		}
	}
	orec.ItemKey = key
	it := store.Item{Kind: ItemKind, Key: key, Status: store.StatusFailed, Error: failDuplicate(sku, by),
		WooID: other, WooParentID: orec.ParentID, Name: orec.ItemName}
	if !orec.Modified.IsZero() {
		it.ModifiedGMT = orec.Modified.UTC().Format(time.RFC3339)
	}
	if err := a.putItem(it); err != nil {
		return err
	}
	a.stats.Failed++
	return a.t.putEntity(orec)
}

func (a *applier) deleteItemIfOurs(key string, id int64) error {
	it, ok, err := a.t.tx.Item(ItemKind, key)
	if err != nil || !ok || it.WooID != id {
		return err
	}
	return a.t.tx.DeleteItem(ItemKind, key)
}

// putItem stores it unless the stored item already says the same.
func (a *applier) putItem(it store.Item) error {
	old, ok, err := a.t.tx.Item(it.Kind, it.Key)
	if err != nil {
		return err
	}
	if ok && old.Status == it.Status && old.Error == it.Error && old.WooID == it.WooID &&
		old.WooParentID == it.WooParentID && old.Name == it.Name && old.ModifiedGMT == it.ModifiedGMT {
		return nil
	}
	it.UpdatedAt = a.now
	return a.t.tx.PutItems(it)
}

// enqueueUpsert queues v unless OnCloudWine already has exactly this
// content, or refused exactly this content before (a change tries again).
// It returns the item status that follows: PENDING, SYNCED, or FAILED with
// OnCloudWine's refusal.
func (a *applier) enqueueUpsert(v ocwVariant, wooID int64) (status, msg string, err error) {
	h := hashVariant(v)
	sent, err := a.t.sentRec(v.SKU)
	if err != nil {
		return "", "", err
	}
	cur, has, err := a.t.outboxEntry(v.SKU)
	if err != nil {
		return "", "", err
	}
	switch {
	case has && cur.Op == opUpsert && cur.Hash == h:
		return store.StatusPending, "", nil // already queued (maybe in flight): keep its version
	case !has && sent.Hash == h:
		return store.StatusSynced, "", nil
	case !has && sent.FailedHash == h:
		return store.StatusFailed, sent.Error, nil
	}
	if _, err := a.t.putOutbox(outboxEntry{Op: opUpsert, SKU: v.SKU, Variant: &v, Hash: h, WooID: wooID, Queued: a.now}); err != nil {
		return "", "", fmt.Errorf("outbox %s: %w", v.SKU, err)
	}
	return store.StatusPending, "", nil
}

// enqueueArchive queues archiving sku when OnCloudWine may have it.
func (a *applier) enqueueArchive(sku string, wooID int64) (bool, error) {
	sent, err := a.t.sentRec(sku)
	if err != nil {
		return false, err
	}
	cur, has, err := a.t.outboxEntry(sku)
	if err != nil {
		return false, err
	}
	if has && cur.Op == opArchive {
		return true, nil
	}
	if !has && sent.Hash == "" {
		return false, nil // never accepted, or archived already
	}
	if _, err := a.t.putOutbox(outboxEntry{Op: opArchive, SKU: sku, WooID: wooID, Queued: a.now}); err != nil {
		return false, fmt.Errorf("outbox %s: %w", sku, err)
	}
	return true, nil
}

// sweep archives every entity the pass did not see that was applied before
// the pass began (products deleted permanently fire no webhook).
func (a *applier) sweep() (int, error) {
	var gone []int64
	err := a.t.tx.EachEntity(func(id int64, rec []byte) error {
		if _, ok := a.pass.seen[id]; ok {
			return nil
		}
		var probe struct {
			Gone    bool      `json:"gone"`
			Applied time.Time `json:"applied"`
		}
		if err := json.Unmarshal(rec, &probe); err != nil {
			return fmt.Errorf("entity record %d: %w", id, err)
		}
		if !probe.Gone && probe.Applied.Before(a.pass.start) {
			gone = append(gone, id)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range gone {
		if err := a.apply(plan{ID: id, Gone: true}); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}
