package syncer

import (
	"context"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// CatchUp reads a resource from WooCommerce now because a delivery could not
// carry it (WooCommerce sent a WordPress REST error in its place). Products:
// the reconcile runs at once. Orders: this engine does not sync orders, but a
// sale changes stock, so the stock sync is queued (merged with one already
// queued or running); the reconcile runs too, for a product the order
// touched. It never blocks on WooCommerce.
func (e *Engine) CatchUp(ctx context.Context, resource string) {
	e.RequestReconcile()
	if !e.started() {
		return // the reconcile runs when the engine starts
	}
	if _, err := e.StartJob(context.WithoutCancel(ctx), store.JobSyncStock); err != nil {
		e.log.Warn("syncer: catch-up stock sync not queued", "resource", resource, "err", err)
	}
}
