package syncer

import (
	"context"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// orderChunk is how many orders one transaction covers when orders are read
// in bulk (reconcile, SYNC_WOOCOMMERCE_ORDERS).
const orderChunk = 100

// orderFields is the _fields projection of bulk order reads: what the rules
// use (payment_url, _links and the like stay in WooCommerce).
var orderFields = []string{"id", "number", "status", "currency", "total", "billing", "shipping",
	"date_created_gmt", "date_modified_gmt", "date_paid_gmt", "line_items", "meta_data", "refunds"}

// ReconcileOrders reads the orders WooCommerce saved since the orders cursor
// (minus the reconcile overlap, like products), trashed ones included, and
// applies them like deliveries: what webhooks already brought is recognised
// by content and not sent again, an older snapshot never overwrites a newer
// one. The cursor moves in the transaction that commits the last orders it
// covers. The first call only starts the cursor (now): orders from before
// are SYNC_WOOCOMMERCE_ORDERS's. Until the store is connected it does
// nothing.
func (e *Engine) ReconcileOrders(ctx context.Context) error {
	w, _, ok := e.orderPorts()
	if !ok {
		return nil
	}
	if _, err := e.units(); err != nil {
		e.log.Debug("syncer: order reconcile skipped: the store is not connected", "err", err)
		return nil
	}
	cur, err := e.store.Cursor(store.CursorOrders)
	if err != nil {
		return fmt.Errorf("syncer: reconcile orders: %w", err)
	}
	if cur == "" {
		now := e.now().UTC().Format(time.RFC3339)
		if err := e.store.SetCursor(store.CursorOrders, now); err != nil {
			return fmt.Errorf("syncer: reconcile orders: %w", err)
		}
		e.log.Info("syncer: orders cursor started", "cursor", now)
		return nil
	}
	since, err := time.Parse(time.RFC3339, cur)
	if err != nil {
		return fmt.Errorf("syncer: reconcile orders: bad cursor %q: %w", cur, err)
	}
	after := since.Add(-e.cfg.ReconcileOverlap)
	newest := since
	var (
		total   orderStats
		pending []woo.Order
	)
	flush := func(final bool) error {
		stats, err := e.commitOrders(pending, func(t *store.Tx) error {
			if !final {
				return nil
			}
			return t.SetCursor(store.CursorOrders, newest.UTC().Format(time.RFC3339))
		})
		pending = pending[:0]
		total.add(stats)
		return err
	}
	collect := func(o woo.Order) error {
		if m := o.DateModifiedGMT.Time; m.After(newest) {
			newest = m
		}
		pending = append(pending, o)
		if len(pending) >= orderChunk {
			return flush(false)
		}
		return nil
	}
	for _, status := range []string{"", "trash"} {
		if err := w.Orders(ctx, woo.OrderQuery{ModifiedAfter: after, Status: status, Fields: orderFields}, collect); err != nil {
			return fmt.Errorf("syncer: reconcile orders: %w", err)
		}
	}
	if err := flush(true); err != nil {
		return fmt.Errorf("syncer: reconcile orders: %w", err)
	}
	if total.Queued > 0 || total.Failed > 0 {
		e.activity("info", fmt.Sprintf("Reconcile: %s order(s) changed since %s → %s queued for OnCloudWine, %s failed",
			num(total.Seen), since.UTC().Format(time.RFC3339), num(total.Queued), num(total.Failed)))
	}
	e.log.Info("syncer: orders reconciled", "orders", total.Seen, "queued", total.Queued, "cursor", newest)
	return nil
}
