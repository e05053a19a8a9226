package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// stockSource reads every stock level; *woo.Client satisfies it.
type stockSource interface {
	StockLevels(ctx context.Context, fn func(woo.StockLevel) error) error
}

// stockSink takes stock levels and tells reservations; *oncloudwine.Client
// satisfies it.
type stockSink interface {
	UpdateStock(ctx context.Context, levels []oncloudwine.StockLevel) error
	Reservations(ctx context.Context) ([]oncloudwine.Reservation, error)
}

var (
	_ stockSource = (*woo.Client)(nil)
	_ stockSink   = (*oncloudwine.Client)(nil)
)

// errNoStock: the clients given to the engine cannot sync stock.
var errNoStock = errors.New("the WooCommerce or OnCloudWine client given to the engine cannot sync stock")

// syncStock is SYNC_WOOCOMMERCE_STOCK: every stock level of a SKU the engine
// synced is sent with OnCloudWine's reservations deducted
// (available = max(0, on_hand − reserved)); a level identical to the one
// last accepted is not sent again.
func (e *Engine) syncStock(ctx context.Context, job *store.Job, report func(store.Job)) error {
	src, ok1 := e.woo.(stockSource)
	dst, ok2 := e.ocw.(stockSink)
	if !ok1 || !ok2 {
		return errNoStock
	}
	start := e.now().UTC()
	res, err := dst.Reservations(ctx)
	if err != nil {
		return fmt.Errorf("read OnCloudWine reservations: %w", err)
	}
	reserved := make(map[string]int, len(res))
	for _, r := range res {
		reserved[r.SKU] += r.Quantity
	}
	var (
		pending    []woo.StockLevel
		read, sent int
		lastSave   time.Time
	)
	flush := func() error {
		levels, hashes, err := e.stockToSend(pending, reserved, start)
		pending = pending[:0]
		if err != nil || len(levels) == 0 {
			return err
		}
		if err := e.sendStock(ctx, dst, levels, hashes); err != nil {
			return err
		}
		sent += len(levels)
		return nil
	}
	err = src.StockLevels(ctx, func(l woo.StockLevel) error {
		read++
		pending = append(pending, l)
		if len(pending) < batchMax {
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		job.Progress = store.Progress{Done: read}
		if now := e.now(); now.Sub(lastSave) >= progressEvery {
			lastSave = now
			report(*job)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read WooCommerce stock: %w", err)
	}
	if err := flush(); err != nil {
		return err
	}
	job.Progress = store.Progress{Done: read, Total: read}
	report(*job)
	e.activity("info", fmt.Sprintf("%s finished in %s: %s stock levels read, %s sent to OnCloudWine (%s unchanged or not synced)",
		job.Type, e.now().UTC().Sub(start).Round(100*time.Millisecond), num(read), num(sent), num(read-sent)))
	return nil
}

// stockToSend keeps the levels of SKUs this engine synced (the variation
// reporting its parent's SKU is not that SKU's owner) that changed since
// they were last accepted.
func (e *Engine) stockToSend(in []woo.StockLevel, reserved map[string]int, at time.Time) ([]oncloudwine.StockLevel, []string, error) {
	var (
		out    []oncloudwine.StockLevel
		hashes []string
	)
	err := e.store.View(func(tx *store.Tx) error {
		t := newTxn(tx)
		seen := map[string]bool{}
		for _, l := range in {
			if l.SKU == "" || seen[l.SKU] || t.skuOwner(l.SKU) != l.ID {
				continue
			}
			if sent, err := t.sentRec(l.SKU); err != nil || sent.Hash == "" {
				continue // OnCloudWine does not have the variant
			}
			lvl := stockLevel(l, reserved[l.SKU], at)
			h := stockHash(lvl)
			if tx.StockHash(l.SKU) == h {
				continue
			}
			seen[l.SKU] = true
			out = append(out, lvl)
			hashes = append(hashes, h)
		}
		return nil
	})
	return out, hashes, err
}

func stockLevel(l woo.StockLevel, reserved int, at time.Time) oncloudwine.StockLevel {
	onHand := 0
	if l.StockQuantity != nil {
		onHand = int(*l.StockQuantity)
	}
	status := l.StockStatus
	switch status {
	case "instock", "outofstock", "onbackorder":
	default:
		status = "instock"
	}
	lvl := oncloudwine.StockLevel{SKU: l.SKU, ManageStock: l.ManageStock.Managed(), OnHand: onHand, Reserved: reserved,
		StockStatus: status, ObservedAt: at}
	if lvl.ManageStock {
		lvl.Available = max(0, onHand-reserved)
	}
	return lvl
}

func stockHash(l oncloudwine.StockLevel) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%v|%d|%d|%d|%s", l.SKU, l.ManageStock, l.OnHand, l.Reserved, l.Available, l.StockStatus))
	return hex.EncodeToString(sum[:16])
}

// sendStock sends levels (≤ 100), retrying with backoff while OnCloudWine
// is unreachable, and records what it accepted. A batch OnCloudWine refuses
// is sent level by level so one bad SKU does not hold back the others.
func (e *Engine) sendStock(ctx context.Context, dst stockSink, levels []oncloudwine.StockLevel, hashes []string) error {
	for failures := 0; ; {
		err := dst.UpdateStock(ctx, levels)
		switch {
		case err == nil:
			e.noteRecoveredIf(failures)
			return e.store.Update(func(tx *store.Tx) error {
				for i, l := range levels {
					if err := tx.PutStockHash(l.SKU, hashes[i]); err != nil {
						return err
					}
				}
				return nil
			})
		case permanent(err) && len(levels) > 1:
			for i := range levels {
				if err := e.sendStock(ctx, dst, levels[i:i+1], hashes[i:i+1]); err != nil {
					return err
				}
			}
			return nil
		case permanent(err):
			e.activity("warn", fmt.Sprintf("SKU %s: stock not accepted: %s", levels[0].SKU, err.Error()))
			return nil
		}
		failures++
		wait := e.retryWait(failures)
		e.noteOutage(err, wait)
		if err := backoff.Sleep(ctx, wait, e.after); err != nil {
			return err
		}
	}
}

func (e *Engine) noteRecoveredIf(failures int) {
	if failures > 0 {
		e.noteRecovered()
	}
}
