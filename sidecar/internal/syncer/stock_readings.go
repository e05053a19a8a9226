package syncer

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// stockReading is one stock level read from WooCommerce (a delivery, a
// reconcile poll, a stock run) with what orders it against other readings:
// the date_modified_gmt of the holder, the product or variation whose stock
// it reports (the parent product for a variation whose parent manages the
// stock; a stock change saves the holder, which moves that date).
type stockReading struct {
	woo.StockLevel
	Holder   int64
	Modified time.Time // zero: unknown, read the holder again
	// Fresh marks a reading made to settle a tie: it was read after every
	// other reading of the same date, so it wins over them.
	Fresh bool
}

// holderOf is the id of the product or variation whose stock l reports.
func holderOf(l woo.StockLevel) int64 {
	if l.ManageStock == woo.ManageStockParent && l.ParentID != 0 {
		return l.ParentID
	}
	return l.ID
}

// content is what a reading says about its holder's stock: the quantity
// when stock is managed, else the status. Two readings of the same date that
// say different things are a tie.
func (r stockReading) content() string {
	if r.ManageStock.Managed() {
		if r.StockQuantity == nil {
			return "q:"
		}
		return "q:" + strconv.FormatInt(*r.StockQuantity, 10)
	}
	return "s:" + r.StockStatus
}

// ownReading orders a level by its own date (a product, or a variation that
// manages its stock or has none counted).
func ownReading(l woo.StockLevel) stockReading {
	r := stockReading{StockLevel: l, Holder: holderOf(l)}
	if r.Holder == l.ID {
		r.Modified = l.DateModifiedGMT.Time
	}
	return r
}

// productReadings are the readings of a product and, for a variable
// product, its variations. A variation whose parent manages the stock
// reports the parent's quantity and date as the product p shows them (one
// consistent reading); when p does not manage stock the date is unknown.
func productReadings(p woo.Product, vars []woo.Variation) []stockReading {
	out := make([]stockReading, 0, 1+len(vars))
	out = append(out, ownReading(productStock(p)))
	for _, v := range vars {
		r := ownReading(variationStock(v))
		if r.Holder == p.ID && r.Holder != v.ID {
			if p.ManageStock == woo.ManageStockYes {
				r.StockQuantity, r.Modified = p.StockQuantity, p.DateModifiedGMT.Time
			}
		}
		out = append(out, r)
	}
	return out
}

func productStock(p woo.Product) woo.StockLevel {
	return woo.StockLevel{ID: p.ID, SKU: p.SKU, ManageStock: p.ManageStock, StockQuantity: p.StockQuantity,
		StockStatus: p.StockStatus, DateModifiedGMT: p.DateModifiedGMT}
}

func variationStock(v woo.Variation) woo.StockLevel {
	return woo.StockLevel{ID: v.ID, ParentID: v.ParentID, SKU: v.SKU, ManageStock: v.ManageStock, StockQuantity: v.StockQuantity,
		StockStatus: v.StockStatus, DateModifiedGMT: v.DateModifiedGMT}
}

// admission is what admit decided.
type admission struct {
	admitted []stockReading            // newest reading per SKU, in order
	marks    map[int64]store.StockMark // holder → the newest reading admitted
	ties     []stockReading            // readings to make again (same date, other content, or no date)
	stale    int
}

// admit keeps the readings that are not older than what was applied for
// their holder: order by date_modified_gmt; on the same date with another
// content, the reading made later wins — a tie is read again, unless the
// reading is itself such a fresh read.
func admit(rs []stockReading, applied map[int64]store.StockMark) admission {
	ad := admission{marks: map[int64]store.StockMark{}}
	bySKU := map[string]int{}
	for _, r := range rs {
		mark, ok := ad.marks[r.Holder]
		if !ok {
			mark, ok = applied[r.Holder]
		}
		switch {
		case r.Modified.IsZero() && !r.Fresh:
			ad.ties = append(ad.ties, r)
			continue
		case ok && r.Modified.Before(mark.Modified):
			ad.stale++
			continue
		case ok && r.Modified.Equal(mark.Modified) && r.content() != mark.Content && !r.Fresh:
			ad.ties = append(ad.ties, r)
			continue
		}
		ad.marks[r.Holder] = store.StockMark{Holder: r.Holder, Modified: r.Modified, Content: r.content()}
		if i, seen := bySKU[r.SKU]; seen && r.SKU != "" {
			ad.admitted[i] = r
			continue
		}
		bySKU[r.SKU] = len(ad.admitted)
		ad.admitted = append(ad.admitted, r)
	}
	return ad
}

// readAgain reads the holders of tied readings from WooCommerce now: what
// it reads was read after every tied reading, so it wins the tie. A product
// WooCommerce no longer has gives no reading.
func (e *Engine) readAgain(ctx context.Context, ties []stockReading) ([]stockReading, error) {
	done := map[int64]bool{}
	var out []stockReading
	for _, t := range ties {
		product := t.ID
		if t.ParentID != 0 {
			product = t.ParentID
		}
		if done[product] {
			continue
		}
		done[product] = true
		p, err := e.woo.Product(ctx, product)
		if notFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read stock of #%d again: %w", product, err)
		}
		var vars []woo.Variation
		if p.Type == "variable" {
			err := e.woo.Variations(ctx, p.ID, func(v woo.Variation) error {
				vars = append(vars, v)
				return nil
			})
			if err != nil && !notFound(err) {
				return nil, fmt.Errorf("read stock of #%d's variations again: %w", product, err)
			}
		}
		for _, r := range productReadings(p, vars) {
			r.Fresh = true
			if r.Modified.IsZero() { // a variation reporting a parent that does not manage stock
				r.Modified = p.DateModifiedGMT.Time
			}
			out = append(out, r)
		}
	}
	return out, nil
}
