package syncer

import (
	"context"
	"fmt"
)

// pushStock applies the stock readings webhook deliveries and reconcile
// polls showed: product.updated fires on every stock change (a sale saves
// the product holding the stock), so a sale or an edit reaches OnCloudWine
// without waiting for the scheduled SYNC_WOOCOMMERCE_STOCK. The rules are
// the stock run's: a reading older than one applied is dropped, reservations
// in force deducted, only SKUs OnCloudWine has, only levels that changed.
// The reservations in force are the ones last read (every release-poll
// interval), so a delivery costs one OnCloudWine call at most. Sending is
// best effort: what it cannot send waits for the next poll or the scheduled
// stock sync.
//
// commit writes the round's records (with whatever the caller commits
// alongside) while the stock lock is held; its error is returned.
func (e *Engine) pushStock(ctx context.Context, readings []stockReading, commit func(stockRecords) error) error {
	dst, ok := e.ocw.(stockSink)
	if !ok || len(readings) == 0 {
		return commit(stockRecords{})
	}
	e.stock.mu.Lock()
	defer e.stock.mu.Unlock()
	stats, recs, err := e.stockRound(ctx, dst, readings)
	if err != nil && ctx.Err() == nil {
		e.log.Warn("syncer: stock from webhooks waits for the next poll or the scheduled stock sync", "err", err)
	}
	if stats.stale > 0 {
		e.log.Info("syncer: stale stock readings dropped", "stale", stats.stale, "sent", stats.sent)
		e.activity("info", fmt.Sprintf("Stock: %s reading(s) older than what was already applied dropped", num(stats.stale)))
	}
	return commit(recs)
}

// recordStock is the commit of a pushStock with nothing else to commit.
func (e *Engine) recordStock(recs stockRecords) error {
	if recs.empty() {
		return nil
	}
	if err := e.store.Update(recs.write); err != nil {
		return fmt.Errorf("syncer: record stock: %w", err)
	}
	return nil
}
