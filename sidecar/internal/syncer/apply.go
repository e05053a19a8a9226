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
	// NewFailures describe the items a delta turned FAILED (#id name: reason).
	NewFailures []string
}

func (s *applyStats) add(o applyStats) {
	s.Entities += o.Entities
	s.Queued += o.Queued
	s.Unchanged += o.Unchanged
	s.Archived += o.Archived
	s.Failed += o.Failed
	s.Stale += o.Stale
	s.NewFailures = append(s.NewFailures, o.NewFailures...)
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
	// newFailures are the items a delta turned FAILED, for the activity log.
	newFailures []string
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

// apply records one entity's new state, its item, and the outbox change:
// one step per decision below.
func (a *applier) apply(p plan) error {
	old, had, err := a.t.entity(p.ID)
	if err != nil {
		return err
	}
	if a.pass != nil {
		a.pass.seen[p.ID] = struct{}{}
	}
	if a.skip(p, old, had) {
		return nil
	}
	a.stats.Entities++
	rec := nextRecord(p, old, a.now)
	want, item, err := a.detectConflict(p, &rec)
	if err != nil {
		return err
	}
	if had {
		if err := a.releaseSKUs(p.ID, old, want, rec.Conflict); err != nil {
			return err
		}
	}
	if err := a.holdConflict(p.ID, rec.Conflict); err != nil {
		return err
	}
	if want != "" {
		if item, err = a.queue(p, &rec, want); err != nil {
			return err
		}
	}
	if err := a.bookItem(p.ID, old, had, &rec, item); err != nil {
		return err
	}
	return a.t.putEntity(rec)
}

// skip reports a plan with nothing to apply: an entity gone already (or
// never known), or a change older than the one applied before.
func (a *applier) skip(p plan, old entityRec, had bool) bool {
	if p.Gone && (!had || old.Gone) {
		return true
	}
	if had && !p.Gone && !p.Modified.IsZero() && old.Modified.After(p.Modified) {
		a.stats.Stale++
		return true
	}
	return false
}

// nextRecord is the entity's record after p: what the plan says, or for a
// gone entity its old record marked gone and holding nothing. Dates and the
// parent a plan leaves out stay as they were.
func nextRecord(p plan, old entityRec, now time.Time) entityRec {
	rec := entityRec{
		ID: p.ID, ParentID: p.ParentID, Kind: p.Kind, Status: p.Status, SKU: p.SKU, Name: p.Name,
		Weight: p.Weight, ItemName: p.ItemName, Modified: p.Modified, Applied: now,
	}
	if p.Gone {
		rec = old
		rec.Gone, rec.Applied, rec.Conflict, rec.Owns = true, now, "", ""
	}
	if rec.Modified.IsZero() {
		rec.Modified = old.Modified
	}
	if rec.ParentID == 0 {
		rec.ParentID = old.ParentID
	}
	return rec
}

// queue makes the entity the owner of want and queues its variant for
// OnCloudWine unless OnCloudWine has it already; it returns the item.
func (a *applier) queue(p plan, rec *entityRec, want string) (*store.Item, error) {
	if err := a.t.setSKUOwner(want, p.ID); err != nil {
		return nil, err
	}
	v := *p.Variant
	if v.WooModifiedAt.IsZero() {
		v.WooModifiedAt = a.now
	}
	status, msg, err := a.enqueueUpsert(v, p.ID)
	if err != nil {
		return nil, err
	}
	rec.Owns = want
	switch status {
	case store.StatusPending:
		a.stats.Queued++
	case store.StatusFailed:
		a.stats.Failed++
	default:
		a.stats.Unchanged++
	}
	return itemFor(p.ID, *rec, want, status, msg), nil
}

// bookItem stores the entity's item (if any) and forgets the one it showed
// before under another key.
func (a *applier) bookItem(id int64, old entityRec, had bool, rec *entityRec, item *store.Item) error {
	rec.ItemKey = ""
	if item != nil {
		rec.ItemKey = item.Key
	}
	if had && old.ItemKey != "" && old.ItemKey != rec.ItemKey {
		if err := a.deleteItemIfOurs(old.ItemKey, id); err != nil {
			return err
		}
	}
	if idKey := idItemKey(id); rec.ItemKey != idKey && old.ItemKey != idKey {
		// A delivery that could not be applied left a FAILED item under the id.
		if err := a.deleteItemIfOurs(idKey, id); err != nil {
			return err
		}
	}
	if item == nil {
		return nil
	}
	return a.putItem(*item)
}

// itemFor is the item entity id shows under key.
func itemFor(id int64, rec entityRec, key, status, msg string) *store.Item {
	it := &store.Item{Kind: ItemKind, Key: key, Status: status, Error: msg, WooID: id, WooParentID: rec.ParentID, Name: rec.ItemName}
	if !rec.Modified.IsZero() {
		it.ModifiedGMT = rec.Modified.UTC().Format(time.RFC3339)
	}
	return it
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
	// Only a new failure or a new reason is news: an item that stays FAILED
	// for the same reason (its product saved again, a sale) is not logged again.
	sameFailure := ok && old.Status == store.StatusFailed && old.Error == it.Error
	if it.Status == store.StatusFailed && a.pass == nil && !sameFailure {
		a.newFailures = append(a.newFailures, fmt.Sprintf("#%d %s: %s", it.WooID, it.Name, it.Error))
	}
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
