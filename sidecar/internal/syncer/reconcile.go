package syncer

import (
	"context"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// reconcileChunk is how many products one reconcile transaction covers.
const reconcileChunk = 50

// reconcileLoop runs a catch-up at start, every ReconcileInterval and on
// RequestReconcile.
func (e *Engine) reconcileLoop(ctx context.Context) {
	for {
		if err := e.Reconcile(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("syncer: reconcile failed; next poll retries", "err", err)
			e.activity("warn", fmt.Sprintf("Reconcile failed: %v (the next poll retries)", err))
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
// small overlap) and applies them like webhook deliveries; what webhooks
// already delivered is recognised by content and not sent again. Trashed
// products found the same way are archived. The cursor moves in the
// transaction that commits the last changes it covers. Without a cursor
// (no full sync yet) it does nothing.
func (e *Engine) Reconcile(ctx context.Context) error {
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
	after := since.Add(-e.cfg.ReconcileOverlap)
	newest := since
	var (
		total   applyStats
		pending []woo.Product
		count   int
	)
	flush := func(final bool) error {
		var units []unit
		for i := range pending {
			us, err := e.productUnits(ctx, pending[i].ID, &pending[i], u)
			if err != nil {
				return err
			}
			units = append(units, us...)
		}
		pending = pending[:0]
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
	collect := func(p woo.Product) error {
		count++
		if m := p.DateModifiedGMT.Time; m.After(newest) {
			newest = m
		}
		pending = append(pending, p)
		if len(pending) >= reconcileChunk {
			return flush(false)
		}
		return nil
	}
	for _, status := range []string{"", "trash"} {
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
	e.log.Info("syncer: reconcile done", "products", count, "queued", total.Queued, "archived", total.Archived, "cursor", newest)
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
