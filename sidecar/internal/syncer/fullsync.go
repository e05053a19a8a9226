package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// fullSyncChunk is how many products one full-sync transaction covers.
const fullSyncChunk = 100

// progressEvery bounds how often job progress is saved.
const progressEvery = 500 * time.Millisecond

// syncProducts is SYNC_WOOCOMMERCE_PRODUCTS: it reads the whole catalog,
// applies the rules to every product and variation, archives SKUs whose
// products disappeared, and returns once OnCloudWine accepted everything
// queued (the outbox is empty). A restart runs it again from the start:
// what was already sent is recognised by content and not sent twice.
func (e *Engine) syncProducts(ctx context.Context, job *store.Job, report func(store.Job)) error {
	start := e.now().UTC()
	u, err := e.units()
	if err != nil {
		return err
	}
	if u.WeightUnit == "" {
		e.activity("warn", job.Type+": the store's weight unit is unknown (reconnect the store); weights are not sent")
	}
	total := e.estimateProducts(ctx)
	job.Progress = store.Progress{Done: 0, Total: total}
	report(*job)

	// Senders run alongside the pull; the engine's own when it is started.
	sendCtx, stopSenders := context.WithCancel(ctx)
	var senders sync.WaitGroup
	if !e.started() {
		for range e.cfg.Senders {
			senders.Go(func() { e.sendLoop(sendCtx) })
		}
	}
	defer func() {
		stopSenders()
		senders.Wait()
	}()

	var (
		pass      = newPass(start)
		stats     applyStats
		units     []unit
		done      int
		newest    time.Time
		lastSave  time.Time
		step      = progressStep(total)
		nextShown = step
	)
	flush := func(final bool) error {
		s, err := e.commit(pass, func(a *applier) error {
			if err := applyUnits(a, units); err != nil {
				return err
			}
			if !final {
				return nil
			}
			n, err := a.sweep()
			if err != nil {
				return err
			}
			if n > 0 {
				e.log.Info("syncer: products gone from WooCommerce archived", "entities", n)
			}
			covered := start
			if !newest.IsZero() && newest.Before(covered) {
				covered = newest
			}
			return setCursorForward(a.t.tx, covered)
		})
		units = units[:0]
		stats.add(s)
		return err
	}
	err = e.woo.Catalog(ctx, func(p woo.Product, vars []woo.Variation) error {
		done++
		if m := p.DateModifiedGMT.Time; m.After(newest) {
			newest = m
		}
		for _, v := range vars {
			if m := v.DateModifiedGMT.Time; m.After(newest) {
				newest = m
			}
		}
		units = append(units, unit{plans: planProduct(p, vars, u), complete: p.Type == "variable"})
		if len(units) < fullSyncChunk {
			return nil
		}
		if err := flush(false); err != nil {
			return err
		}
		job.Progress = store.Progress{Done: done, Total: max(total, done)}
		if now := e.now(); now.Sub(lastSave) >= progressEvery {
			lastSave = now
			report(*job)
		}
		if done >= nextShown {
			e.activity("info", fmt.Sprintf("%s: %s / %s products", job.Type, num(done), num(max(total, done))))
			for nextShown <= done {
				nextShown += step
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read WooCommerce catalog: %w", err)
	}
	if err := flush(true); err != nil {
		return err
	}
	job.Progress = store.Progress{Done: done, Total: done}
	report(*job)
	e.activity("info", fmt.Sprintf("%s: %s / %s products read — %s variant(s) to send, %s unchanged, %s to archive, %s failed",
		job.Type, num(done), num(done), num(stats.Queued), num(stats.Unchanged), num(stats.Archived), num(stats.Failed)))

	if err := e.waitDrained(ctx); err != nil {
		return err
	}
	counts, err := e.store.ItemCounts()
	if err != nil {
		return err
	}
	e.activity("info", fmt.Sprintf("%s finished in %s: %s products, %s variants synced, %s failed",
		job.Type, e.now().UTC().Sub(start).Round(100*time.Millisecond), num(done), num(counts[store.StatusSynced]), num(counts[store.StatusFailed])))
	return nil
}

// progressStep is how many products go by between activity lines: about a
// tenth of the catalog, in round hundreds.
func progressStep(total int) int {
	if total <= 0 {
		return 1000 // unknown catalog size
	}
	step := (total/10 + 99) / 100 * 100
	return max(step, 100)
}

// estimateProducts is the number of products the catalog likely holds: the
// Woo client's count when it offers one, else what the last sync saw.
func (e *Engine) estimateProducts(ctx context.Context) int {
	if c, ok := e.woo.(catalogCounter); ok {
		if n, err := c.CatalogTotal(ctx); err == nil {
			return n
		}
	}
	n := 0
	_ = e.store.View(func(tx *store.Tx) error {
		return tx.EachEntity(func(_ int64, rec []byte) error {
			var probe struct {
				ParentID int64 `json:"parent_id"`
				Gone     bool  `json:"gone"`
			}
			if json.Unmarshal(rec, &probe) == nil && probe.ParentID == 0 && !probe.Gone {
				n++
			}
			return nil
		})
	})
	return n
}
