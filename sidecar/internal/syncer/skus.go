package syncer

import "github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"

// SKU ownership: an entity owns the SKU it holds in OnCloudWine; two live
// products reporting one SKU are both FAILED and the SKU stays as
// OnCloudWine has it until one of them lets go.

// detectConflict decides what the entity shows: FAILED by a rule, FAILED
// because another live product holds its SKU (the other one is FAILED too,
// rec.Conflict set), or the SKU it should hold in OnCloudWine (want).
func (a *applier) detectConflict(p plan, rec *entityRec) (want string, item *store.Item, err error) {
	switch {
	case p.Gone:
	case p.Fail != "":
		a.stats.Failed++
		return "", itemFor(p.ID, *rec, a.failKey(p), store.StatusFailed, p.Fail), nil
	case p.Variant != nil:
		sku := p.Variant.SKU
		other := a.conflict(p.ID, sku)
		if other == 0 {
			return sku, nil, nil
		}
		if err := a.failDuplicate(other, sku, p.ID); err != nil {
			return "", nil, err
		}
		rec.Conflict = sku
		a.stats.Failed++
		return "", itemFor(p.ID, *rec, idItemKey(p.ID), store.StatusFailed, failDuplicate(sku, other)), nil
	}
	return "", nil, nil
}

// releaseSKUs gives up the SKUs the entity held and no longer should: the
// one it owned in OnCloudWine is archived there (unless it is now in
// conflict: OnCloudWine keeps it as it is), an old conflicting one is just
// let go.
func (a *applier) releaseSKUs(id int64, old entityRec, want, conflict string) error {
	t := a.t
	if old.Owns != "" && old.Owns != want && t.skuOwner(old.Owns) == id {
		if err := t.dropSKUOwner(old.Owns); err != nil {
			return err
		}
		if conflict != old.Owns {
			queued, err := a.enqueueArchive(old.Owns, id)
			if err != nil {
				return err
			}
			if queued {
				a.stats.Archived++
			}
		}
	}
	if old.Conflict != "" && old.Conflict != want && old.Conflict != conflict && t.skuOwner(old.Conflict) == id {
		return t.dropSKUOwner(old.Conflict)
	}
	return nil
}

// holdConflict records the entity as holder of a SKU in conflict nobody
// owns, so the next change of either product finds the conflict.
func (a *applier) holdConflict(id int64, conflict string) error {
	if conflict == "" || a.t.skuOwner(conflict) != 0 {
		return nil
	}
	return a.t.setSKUOwner(conflict, id)
}

// failKey is the item key of an entity FAILED by a rule: its own SKU when it
// has one nobody else holds, else "woo-<id>".
func (a *applier) failKey(p plan) string {
	if p.SKU != "" && p.Fail != failParentSKU && p.Fail != failMissingSKU && skuProblem(p.SKU) == "" {
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
	if err := a.putItem(*itemFor(other, orec, key, store.StatusFailed, failDuplicate(sku, by))); err != nil {
		return err
	}
	a.stats.Failed++
	return a.t.putEntity(orec)
}
