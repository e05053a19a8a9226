package syncer

import (
	"context"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// pushStock sends the stock levels webhook deliveries showed:
// product.updated fires on every stock change, so a sale or an edit in
// WooCommerce reaches OnCloudWine without waiting for the scheduled
// SYNC_WOOCOMMERCE_STOCK. The rules are the full sync's (reservations
// deducted, only SKUs OnCloudWine has, only levels that changed). It is best
// effort: when OnCloudWine cannot be asked for its reservations the levels
// wait for the scheduled stock sync, the safety net.
func (e *Engine) pushStock(ctx context.Context, levels []woo.StockLevel) {
	dst, ok := e.ocw.(stockSink)
	if !ok || len(levels) == 0 {
		return
	}
	at := e.now().UTC()
	if candidates, _, err := e.stockToSend(levels, nil, at); err != nil || len(candidates) == 0 {
		return // no SKU OnCloudWine has, or stock as last sent (a reservation change is the scheduled sync's)
	}
	res, err := dst.Reservations(ctx)
	if err != nil {
		if ctx.Err() == nil {
			e.log.Warn("syncer: stock from webhooks waits for the scheduled stock sync", "err", err)
		}
		return
	}
	reserved := make(map[string]int, len(res))
	for _, r := range res {
		reserved[r.SKU] += r.Quantity
	}
	for start := 0; start < len(levels); start += batchMax {
		out, hashes, err := e.stockToSend(levels[start:min(len(levels), start+batchMax)], reserved, at)
		if err == nil && len(out) > 0 {
			err = e.sendStock(ctx, dst, out, hashes)
		}
		if err != nil {
			if ctx.Err() == nil {
				e.log.Warn("syncer: stock from webhooks waits for the scheduled stock sync", "err", err)
			}
			return
		}
	}
}

func productStock(p woo.Product) woo.StockLevel {
	return woo.StockLevel{ID: p.ID, SKU: p.SKU, ManageStock: p.ManageStock, StockQuantity: p.StockQuantity, StockStatus: p.StockStatus}
}

func variationStock(v woo.Variation) woo.StockLevel {
	return woo.StockLevel{ID: v.ID, ParentID: v.ParentID, SKU: v.SKU, ManageStock: v.ManageStock, StockQuantity: v.StockQuantity, StockStatus: v.StockStatus}
}
