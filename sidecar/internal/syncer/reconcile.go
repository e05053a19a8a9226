package syncer

import (
	"context"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// reconcileChunk is how many products read by REST one reconcile
// transaction covers (each variable one costs a request for its variations).
const reconcileChunk = 50

// catalogChunk is how many products read through the plugin's catalog route
// (variations included) one reconcile transaction covers.
const catalogChunk = 500

// changedCatalog is a Woo that can list the products changed since a time
// with their variations in a few requests (the plugin's catalog route with
// modified_after). It reports false, having listed nothing, when it cannot.
type changedCatalog interface {
	CatalogChangedSince(ctx context.Context, since time.Time, fn func(woo.Product, []woo.Variation) error) (bool, error)
}

// catalogUnit is what a product read with all its variations comes to.
func catalogUnit(p woo.Product, vars []woo.Variation, u storeUnits) unit {
	if p.Type != "variable" {
		return unit{plans: planProduct(p, nil, u), stock: productReadings(p, nil)}
	}
	return unit{plans: planProduct(p, vars, u), complete: true, stock: productReadings(p, vars)}
}

// reconcileLoop runs a catch-up at start, every ReconcileInterval and on
// RequestReconcile.
func (e *Engine) reconcileLoop(ctx context.Context) {
	for {
		if err := e.Reconcile(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("syncer: reconcile failed; next poll retries", "err", err)
			e.activity("warn", fmt.Sprintf("Reconcile failed: %v (the next poll retries)", err))
			e.wooTrouble(err)
		}
		if err := e.ReconcileOrders(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("syncer: order reconcile failed; next poll retries", "err", err)
			e.activity("warn", fmt.Sprintf("Order reconcile failed: %v (the next poll retries)", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-e.reconcile:
		case <-e.after(e.cfg.ReconcileInterval):
		}
	}
}

// Reconcile reads the products WooCommerce saved since the cursor (minus a
// small overlap) — through the plugin's catalog route when the store has it
// (products whose own or any variation's change is that recent, variations
// inline), else REST v3 — and applies them like webhook deliveries; what webhooks
// already delivered is recognised by content and not sent again. Trashed
// products found the same way are archived. The cursor moves in the
// transaction that commits the last changes it covers. Without a cursor
// (no full sync yet) it does nothing.
func (e *Engine) Reconcile(ctx context.Context) (err error) {
	cur, err := e.store.Cursor(CursorProducts)
	if err != nil {
		return fmt.Errorf("syncer: reconcile: %w", err)
	}
	if cur == "" {
		e.log.Debug("syncer: reconcile skipped: no full sync yet")
		return nil
	}
	since, err := time.Parse(time.RFC3339, cur)
	if err != nil {
		return fmt.Errorf("syncer: reconcile: bad cursor %q: %w", cur, err)
	}
	u, err := e.units()
	if err != nil {
		return err
	}
	e.setReconcile(func(r *store.ReconcileState) {
		*r = store.ReconcileState{Running: true, StartedAt: timePtr(e.now()), Since: cur}
	})
	defer func() {
		e.setReconcile(func(r *store.ReconcileState) {
			r.Running, r.FinishedAt = false, timePtr(e.now())
			if err != nil {
				r.Error = err.Error()
			}
		})
	}()
	after := since.Add(-e.cfg.ReconcileOverlap)
	newest := since
	var (
		total   applyStats
		pending []woo.Product // from REST: variations still to fetch
		ready   []unit        // from the catalog route: complete
		count   int
	)
	flush := func(final bool) error {
		units := ready
		for i := range pending {
			us, err := e.productUnits(ctx, pending[i].ID, &pending[i], u)
			if err != nil {
				return err
			}
			units = append(units, us...)
		}
		pending, ready = pending[:0], nil
		var readings []stockReading
		for _, un := range units {
			readings = append(readings, un.stock...)
		}
		// Stock first (the poll races webhooks: the older reading loses),
		// so a crash before the cursor moves reads these products again.
		if err := e.pushStock(ctx, readings, e.recordStock); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		stats, err := e.commit(nil, func(a *applier) error {
			if err := applyUnits(a, units); err != nil {
				return err
			}
			if final {
				return a.t.tx.SetCursor(CursorProducts, newest.UTC().Format(time.RFC3339))
			}
			return nil
		})
		total.add(stats)
		return err
	}
	seen := func(m time.Time) {
		count++
		e.setReconcile(func(r *store.ReconcileState) { r.Products = count })
		if m.After(newest) {
			newest = m
		}
	}
	collect := func(p woo.Product) error {
		seen(p.DateModifiedGMT.Time)
		pending = append(pending, p)
		if len(pending) >= reconcileChunk {
			return flush(false)
		}
		return nil
	}
	collectWhole := func(p woo.Product, vars []woo.Variation) error {
		m := p.DateModifiedGMT.Time
		for _, v := range vars {
			if v.DateModifiedGMT.After(m) {
				m = v.DateModifiedGMT.Time
			}
		}
		seen(m)
		ready = append(ready, catalogUnit(p, vars, u))
		if len(ready) >= catalogChunk {
			return flush(false)
		}
		return nil
	}
	via := "rest"
	if cc, ok := e.woo.(changedCatalog); ok {
		used, err := cc.CatalogChangedSince(ctx, after, collectWhole)
		if err != nil {
			return fmt.Errorf("syncer: reconcile: %w", err)
		}
		if used {
			via = "plugin"
		}
	}
	e.setReconcile(func(r *store.ReconcileState) { r.Via = via })
	statuses := []string{"", "trash"}
	if via == "plugin" {
		statuses = []string{"trash"} // the catalog route lists every status but trash
	}
	for _, status := range statuses {
		if err := e.woo.Products(ctx, woo.ProductQuery{ModifiedAfter: after, Status: status}, collect); err != nil {
			return fmt.Errorf("syncer: reconcile: %w", err)
		}
	}
	if err := flush(true); err != nil {
		return fmt.Errorf("syncer: reconcile: %w", err)
	}
	if total.Queued > 0 || total.Archived > 0 || total.Failed > 0 {
		e.activity("info", fmt.Sprintf("Reconcile: %s product(s) changed since %s → %s variant(s) queued, %s archived, %s failed",
			num(count), since.UTC().Format(time.RFC3339), num(total.Queued), num(total.Archived), num(total.Failed)))
	}
	e.logFailures("Reconcile", total.NewFailures)
	e.log.Info("syncer: reconcile done", "via", via, "products", count, "queued", total.Queued, "archived", total.Archived, "cursor", newest)
	return nil
}

// setCursorForward moves the products cursor to at, never backwards.
func setCursorForward(tx *store.Tx, at time.Time) error {
	if cur := tx.Cursor(CursorProducts); cur != "" {
		if t, err := time.Parse(time.RFC3339, cur); err == nil && !at.After(t) {
			return nil
		}
	}
	return tx.SetCursor(CursorProducts, at.UTC().Format(time.RFC3339))
}
