package syncer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// DefaultOrdersSince is how far back SYNC_WOOCOMMERCE_ORDERS reads when no
// start date is given.
const DefaultOrdersSince = 30 * 24 * time.Hour

// errNoOrderClients: the engine's clients cannot read or send orders.
var errNoOrderClients = errors.New("the WooCommerce or OnCloudWine client cannot handle orders")

// syncOrders is SYNC_WOOCOMMERCE_ORDERS: it reads every order created since
// the job's start date (default: the last 30 days), applies the order rules
// to each (paid ones are queued, unpaid and mirrored ones are not), and
// returns once OnCloudWine accepted everything queued. A restart runs it
// again from the start: what was already sent is recognised by content.
func (e *Engine) syncOrders(ctx context.Context, job *store.Job, report func(store.Job)) error {
	w, _, ok := e.orderPorts()
	if !ok {
		return errNoOrderClients
	}
	start := e.now().UTC()
	since := start.Add(-DefaultOrdersSince)
	if job.Since != nil {
		since = *job.Since
	} else {
		job.Since = &since
	}
	q := woo.OrderQuery{CreatedAfter: since, Parallel: true, Fields: orderFields}
	total := 0
	if c, ok := e.woo.(orderCounter); ok {
		if n, err := c.OrdersTotal(ctx, q); err == nil && n > 0 {
			total = n
		}
	}
	job.Progress = store.Progress{Total: total}
	report(*job)

	sendCtx, stopSenders := context.WithCancel(ctx)
	var senders sync.WaitGroup
	if !e.started() {
		e.startOrderSenders(sendCtx, &senders)
	}
	defer func() {
		stopSenders()
		senders.Wait()
	}()

	var (
		stats    orderStats
		pending  []woo.Order
		done     int
		lastSave time.Time
	)
	flush := func(final bool) error {
		s, err := e.commitOrders(pending, func(t *store.Tx) error {
			if final && t.Cursor(store.CursorOrders) == "" {
				// Reconcile takes over from here.
				return t.SetCursor(store.CursorOrders, start.Format(time.RFC3339))
			}
			return nil
		})
		pending = pending[:0]
		stats.add(s)
		return err
	}
	err := w.Orders(ctx, q, func(o woo.Order) error {
		done++
		pending = append(pending, o)
		if len(pending) < orderChunk {
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
		return nil
	})
	if err != nil {
		return fmt.Errorf("read WooCommerce orders: %w", err)
	}
	if err := flush(true); err != nil {
		return err
	}
	job.Progress = store.Progress{Done: done, Total: done}
	report(*job)
	e.activity("info", fmt.Sprintf("%s: %s order(s) created since %s read — %s to send, %s unchanged, %s unpaid, %s mirrored release orders, %s failed",
		job.Type, num(done), since.Format(time.DateOnly), num(stats.Queued), num(stats.Unchanged), num(stats.Unpaid), num(stats.Mirrored), num(stats.Failed)))
	if err := e.waitOrdersDrained(ctx); err != nil {
		return err
	}
	e.activity("info", fmt.Sprintf("%s finished in %s", job.Type, e.now().UTC().Sub(start).Round(100*time.Millisecond)))
	return nil
}
