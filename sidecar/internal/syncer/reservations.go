package syncer

import (
	"context"
	"fmt"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// reservationLoop reads OnCloudWine's reservations at start and every
// ReservationInterval (OCW_RELEASE_POLL_INTERVAL): a release order paid or
// a reservation released moves `available` within that interval, not at the
// next full stock run.
func (e *Engine) reservationLoop(ctx context.Context) {
	for {
		if err := e.RefreshReservations(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("syncer: reservations not refreshed; the next poll retries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-e.after(e.cfg.ReservationInterval):
		}
	}
}

// RefreshReservations reads OnCloudWine's reservations, makes them the ones
// in force, and sends the recomputed level of every SKU whose reservation —
// or that of a SKU sharing its stock — differs from the one its last
// accepted level deducted; only those. A level not accepted is tried again
// by the next refresh.
func (e *Engine) RefreshReservations(ctx context.Context) error {
	dst, ok := e.ocw.(stockSink)
	if !ok {
		return errNoStock
	}
	res, err := readReservations(ctx, dst)
	if err != nil {
		return err
	}
	e.stock.mu.Lock()
	defer e.stock.mu.Unlock()
	return e.applyReservations(ctx, dst, res)
}

// applyReservations makes res the reservations in force and sends the
// levels whose deduction changed. Every reading of the reservations goes
// through here, so a reservation read is a reservation applied. Callers
// hold e.stock.mu.
func (e *Engine) applyReservations(ctx context.Context, dst stockSink, res map[string]int) error {
	e.stock.reserved, e.stock.haveReserved = res, true
	// Two passes over the levels recorded: what each holder's SKUs reserve
	// together, then the levels whose deduction differs.
	groupReserved := map[int64]int{}
	err := e.store.EachStockLevel(func(l store.StockLevel) error {
		if q := res[l.SKU]; q != 0 {
			groupReserved[l.Holder] += q
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("syncer: reservations: %w", err)
	}
	var levels []holderLevel
	err = e.store.EachStockLevel(func(l store.StockLevel) error {
		reserved := groupReserved[l.Holder]
		if reserved == l.Reserved {
			return nil
		}
		lvl := levelOf(l)
		lvl.Reserved = reserved
		if lvl.ManageStock {
			lvl.Available = max(0, lvl.OnHand-reserved)
		}
		levels = append(levels, holderLevel{StockLevel: lvl, holder: l.Holder})
		return nil
	})
	if err != nil {
		return fmt.Errorf("syncer: reservations: %w", err)
	}
	if len(levels) == 0 {
		return nil
	}
	accepted, err := e.sendStockLevels(ctx, dst, levels)
	if rerr := e.store.RecordStock(recorded(accepted), nil); rerr != nil && err == nil {
		err = rerr
	}
	e.log.Info("syncer: reservations changed", "levels", len(levels), "accepted", len(accepted))
	return err
}
