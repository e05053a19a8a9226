package syncer

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// roundStats counts what one round did.
type roundStats struct {
	stale, sent int
}

// stockRecords is what a round writes once its levels were sent: the
// levels OnCloudWine accepted and the marks of the readings applied.
type stockRecords struct {
	levels []store.StockLevel
	marks  []store.StockMark
}

func (r stockRecords) write(tx *store.Tx) error { return tx.RecordStock(r.levels, r.marks) }

func (r stockRecords) empty() bool { return len(r.levels) == 0 && len(r.marks) == 0 }

// stockRound applies readings: the ones older than what was applied for
// their holder are dropped, ties are read again, and the levels that differ
// from what OnCloudWine last accepted are sent (reservations of every SKU
// sharing the stock deducted). It returns what to record — the caller
// writes it before releasing e.stock.mu, in its own commit — also when the
// sending failed part way.
func (e *Engine) stockRound(ctx context.Context, dst stockSink, rs []stockReading) (roundStats, stockRecords, error) {
	var stats roundStats
	if len(rs) == 0 {
		return stats, stockRecords{}, nil
	}
	res, err := e.reservationsInForce(ctx, dst)
	if err != nil {
		return stats, stockRecords{}, err
	}
	ad, err := e.admitReadings(ctx, rs)
	if err != nil {
		return stats, stockRecords{}, err
	}
	stats.stale = ad.stale
	levels, err := e.levelsFor(ad.admitted, res)
	if err != nil {
		return stats, stockRecords{}, err
	}
	if len(levels) == 0 {
		return stats, stockRecords{marks: markList(ad.marks)}, nil
	}
	accepted, err := e.sendStockLevels(ctx, dst, levels)
	stats.sent = len(accepted)
	return stats, stockRecords{levels: recorded(accepted), marks: marksDone(ad.marks, levels, accepted, err)}, err
}

// stockRoundRecorded is stockRound with its records written in their own
// commit. Callers hold e.stock.mu.
func (e *Engine) stockRoundRecorded(ctx context.Context, dst stockSink, rs []stockReading) (roundStats, error) {
	stats, recs, err := e.stockRound(ctx, dst, rs)
	if recs.empty() {
		return stats, err
	}
	if werr := e.store.Update(recs.write); werr != nil {
		return stats, errors.Join(err, fmt.Errorf("syncer: record stock: %w", werr))
	}
	return stats, err
}

// admitReadings runs admit against the marks in the store, reading ties
// again.
func (e *Engine) admitReadings(ctx context.Context, rs []stockReading) (admission, error) {
	holders := make([]int64, 0, len(rs))
	for _, r := range rs {
		holders = append(holders, r.Holder)
	}
	applied, err := e.store.StockMarks(holders)
	if err != nil {
		return admission{}, err
	}
	ad := admit(rs, applied)
	if len(ad.ties) > 0 {
		fresh, err := e.readAgain(ctx, ad.ties)
		if err != nil {
			return admission{}, err
		}
		now := maps.Clone(applied)
		maps.Copy(now, ad.marks)
		more := admit(fresh, now)
		maps.Copy(ad.marks, more.marks)
		ad.stale += more.stale
		ad.admitted = lastPerSKU(append(ad.admitted, more.admitted...))
	}
	dropUnchangedMarks(ad.marks, applied)
	return ad, nil
}

// lastPerSKU keeps the last reading of each SKU (a fresh read replaces the
// reading it settled), in order.
func lastPerSKU(rs []stockReading) []stockReading {
	last := make(map[string]int, len(rs))
	for i, r := range rs {
		last[r.SKU] = i
	}
	out := rs[:0:0]
	for i, r := range rs {
		if last[r.SKU] == i {
			out = append(out, r)
		}
	}
	return out
}

// dropUnchangedMarks leaves out the marks the store already holds, so an
// unchanged stock run writes nothing.
func dropUnchangedMarks(marks, applied map[int64]store.StockMark) {
	for h, m := range marks {
		if old, ok := applied[h]; ok && old.Modified.Equal(m.Modified) && old.Content == m.Content {
			delete(marks, h)
		}
	}
}

// levelsFor turns admitted readings into the levels to send: only SKUs this
// engine synced and OnCloudWine has, only levels that differ from what it
// last accepted. SKUs sharing a holder's stock are always read together (a
// parent's delivery or a tie brings all its variations, a stock run round
// ends between holders), so the reservations of the group read are those
// of every SKU sharing the stock.
func (e *Engine) levelsFor(admitted []stockReading, res map[string]int) ([]holderLevel, error) {
	var owned []stockReading
	err := e.store.View(func(tx *store.Tx) error {
		t := newTxn(tx)
		for _, r := range admitted {
			if r.SKU == "" || t.skuOwner(r.SKU) != r.ID {
				continue
			}
			if sent, err := t.sentRec(r.SKU); err != nil || sent.Hash == "" {
				continue // OnCloudWine does not have the variant
			}
			owned = append(owned, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("syncer: stock owners: %w", err)
	}
	skus := make([]string, len(owned))
	groupReserved := map[int64]int{}
	for i, r := range owned {
		skus[i] = r.SKU
		groupReserved[r.Holder] += res[r.SKU]
	}
	last, err := e.store.StockLevels(skus)
	if err != nil {
		return nil, err
	}
	var out []holderLevel
	for _, r := range owned {
		lvl := stockLevel(r.StockLevel, groupReserved[r.Holder])
		if prev, ok := last[r.SKU]; ok && sameLevel(prev, lvl) {
			continue
		}
		out = append(out, holderLevel{StockLevel: lvl, holder: r.Holder})
	}
	return out, nil
}

func stockLevel(l woo.StockLevel, reserved int) oncloudwine.StockLevel {
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
	lvl := oncloudwine.StockLevel{SKU: l.SKU, ManageStock: l.ManageStock.Managed(), OnHand: onHand, Reserved: reserved, StockStatus: status}
	if lvl.ManageStock {
		lvl.Available = max(0, onHand-reserved)
	}
	return lvl
}

func levelOf(l store.StockLevel) oncloudwine.StockLevel {
	return oncloudwine.StockLevel{SKU: l.SKU, ManageStock: l.ManageStock, OnHand: l.OnHand, Reserved: l.Reserved,
		Available: l.Available, StockStatus: l.StockStatus}
}

func sameLevel(a store.StockLevel, b oncloudwine.StockLevel) bool {
	return a.ManageStock == b.ManageStock && a.OnHand == b.OnHand && a.Reserved == b.Reserved &&
		a.Available == b.Available && a.StockStatus == b.StockStatus
}

// holderLevel is a level to send, with the holder whose stock it reports.
type holderLevel struct {
	oncloudwine.StockLevel
	holder int64
}

func recorded(accepted []holderLevel) []store.StockLevel {
	out := make([]store.StockLevel, len(accepted))
	for i, l := range accepted {
		out[i] = store.StockLevel{SKU: l.SKU, Holder: l.holder, ManageStock: l.ManageStock, OnHand: l.OnHand,
			Reserved: l.Reserved, Available: l.Available, StockStatus: l.StockStatus, ObservedAt: l.ObservedAt}
	}
	return out
}

func markList(marks map[int64]store.StockMark) []store.StockMark {
	out := make([]store.StockMark, 0, len(marks))
	for _, m := range marks {
		out = append(out, m)
	}
	return out
}

// marksDone keeps the marks of holders whose levels all reached
// OnCloudWine (or needed no sending): a reading whose level was not sent
// must not make an older one look stale.
func marksDone(marks map[int64]store.StockMark, levels, accepted []holderLevel, sendErr error) []store.StockMark {
	if sendErr == nil {
		return markList(marks)
	}
	ok := make(map[string]bool, len(accepted))
	for _, l := range accepted {
		ok[l.SKU] = true
	}
	pending := map[int64]bool{}
	for _, l := range levels {
		if !ok[l.SKU] {
			pending[l.holder] = true
		}
	}
	out := make([]store.StockMark, 0, len(marks))
	for h, m := range marks {
		if !pending[h] {
			out = append(out, m)
		}
	}
	return out
}
