package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// inboxBatch is how many webhook events one pass of the consumer handles.
const inboxBatch = 100

// unit is a group of plans applied together: a product with its variations
// (complete: the variations listed are all it has), or one entity.
type unit struct {
	plans    []plan
	complete bool
	goneID   int64          // when set, archive this entity and its variations
	stock    []stockReading // the stock the delivery (or what was fetched) shows
}

// inboxLoop turns webhook deliveries into deltas until ctx ends.
func (e *Engine) inboxLoop(ctx context.Context) {
	failures := 0
	for ctx.Err() == nil {
		n, err := e.handleInbox(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			failures++
			wait := e.retryWait(failures)
			e.log.Warn("syncer: inbox events wait for a retry", "err", err, "retry_in", wait)
			if backoff.Sleep(ctx, wait, e.after) != nil {
				return
			}
			continue
		}
		failures = 0
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-e.store.InboxNotify():
		case <-e.after(e.cfg.IdlePoll):
		}
	}
}

// handleInbox applies up to inboxBatch events and acknowledges them. Events
// stay in the inbox when WooCommerce could not be asked what they need.
func (e *Engine) handleInbox(ctx context.Context) (int, error) {
	events, err := e.store.InboxBatch(inboxBatch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	u, err := e.units()
	if err != nil {
		return 0, err
	}
	var (
		units  []unit
		orders []store.Event
		seqs   = make([]uint64, 0, len(events))
	)
	for _, ev := range events {
		seqs = append(seqs, ev.Seq)
		if ev.Resource == "order" {
			orders = append(orders, ev) // orders_inbox.go
			continue
		}
		if ev.Resource != "product" {
			continue // other resources belong to other syncs
		}
		us, err := e.eventUnits(ctx, ev, u)
		if refusedByWoo(err) {
			// Asking again would get the same answer: skip this event (the
			// next full sync or reconcile reads the product anyway).
			e.activity("warn", fmt.Sprintf("Webhook %s for #%d skipped: WooCommerce said: %v", ev.Topic, ev.ResourceID, err))
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("inbox event %d (%s #%d): %w", ev.Seq, ev.Topic, ev.ResourceID, err)
		}
		units = append(units, us...)
	}
	// Orders: what the deliveries say, read before the commit (an
	// order.deleted delivery asks WooCommerce).
	snapshots, err := e.ordersOfEvents(ctx, orders)
	if err != nil {
		return 0, err
	}
	var levels []stockReading
	for _, un := range units {
		levels = append(levels, un.stock...)
	}
	// Stock first, then one commit: the product changes, the stock records
	// and the acknowledgement. A crash before it applies these deliveries
	// again after the restart instead of losing their stock.
	var (
		stats   applyStats
		ordered orderOutcome
	)
	err = e.pushStock(ctx, levels, func(recs stockRecords) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return e.store.InboxAckWith(func(tx *store.Tx) error {
			var err error
			if stats, err = e.applyIn(tx, nil, func(a *applier) error { return applyUnits(a, units) }); err != nil {
				return err
			}
			if ordered, err = e.applyOrdersIn(tx, snapshots); err != nil { // orders_apply.go
				return err
			}
			return recs.write(tx)
		}, seqs...)
	})
	if err != nil {
		return 0, fmt.Errorf("syncer: apply inbox events: %w", err)
	}
	e.ordersCommitted(ordered)
	if stats.Queued > 0 || stats.Archived > 0 {
		e.queued.Notify()
	}
	if stats.Queued > 0 || stats.Archived > 0 || stats.Failed > 0 {
		e.activity("info", fmt.Sprintf("Webhooks: %s product change(s) → %s variant(s) queued, %s archived, %s failed",
			num(len(events)), num(stats.Queued), num(stats.Archived), num(stats.Failed)))
	}
	return len(events), nil
}

func applyUnits(a *applier, units []unit) error {
	for _, un := range units {
		if un.goneID != 0 {
			if err := a.applyGone(un.goneID); err != nil {
				return err
			}
			continue
		}
		if err := a.applyUnit(un.plans, un.complete); err != nil {
			return err
		}
	}
	return nil
}

// eventHead is what the engine reads first of a product delivery.
type eventHead struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Status   string `json:"status"`
	ParentID int64  `json:"parent_id"`
}

// eventUnits turns one product delivery into units. The body is the REST
// product (or variation) as it is now; product.deleted carries only the id.
func (e *Engine) eventUnits(ctx context.Context, ev store.Event, u storeUnits) ([]unit, error) {
	var head eventHead
	if err := json.Unmarshal(ev.Body, &head); err != nil {
		e.log.Warn("syncer: unreadable product delivery skipped", "seq", ev.Seq, "err", err)
		return nil, nil
	}
	if head.ID == 0 {
		head.ID = ev.ResourceID
	}
	if head.Status == "trash" {
		return []unit{{goneID: head.ID}}, nil
	}
	if ev.Action == "deleted" {
		// Only the id comes. Ask WooCommerce how the product is now: a late
		// delivery must not archive a product restored meanwhile.
		return e.productUnits(ctx, head.ID, nil, u)
	}
	if head.Type == "variation" {
		var v woo.Variation
		if err := json.Unmarshal(ev.Body, &v); err != nil {
			e.log.Warn("syncer: unreadable variation delivery skipped", "seq", ev.Seq, "err", err)
			return nil, nil
		}
		if v.ParentID == 0 {
			v.ParentID = head.ParentID
		}
		parent, ok, err := e.knownParent(v.ParentID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return e.productUnits(ctx, v.ParentID, nil, u) // learn the parent and all its variations
		}
		return []unit{{plans: []plan{planVariation(v, parent, u)}, stock: []stockReading{ownReading(variationStock(v))}}}, nil
	}
	var p woo.Product
	if err := json.Unmarshal(ev.Body, &p); err != nil {
		e.log.Warn("syncer: unreadable product delivery skipped", "seq", ev.Seq, "err", err)
		return nil, nil
	}
	return e.productUnits(ctx, p.ID, &p, u)
}

// productUnits plans a product; a variable product's variations are
// fetched from WooCommerce (a parent's delivery does not carry them). p nil:
// the product is fetched too. A product WooCommerce no longer has is gone.
func (e *Engine) productUnits(ctx context.Context, id int64, p *woo.Product, u storeUnits) ([]unit, error) {
	if p == nil {
		got, err := e.woo.Product(ctx, id)
		if notFound(err) {
			return []unit{{goneID: id}}, nil
		}
		if err != nil {
			return nil, err
		}
		p = &got
	}
	if p.Status == "trash" {
		return []unit{{goneID: p.ID}}, nil
	}
	if p.Type != "variable" {
		return []unit{{plans: planProduct(*p, nil, u), stock: productReadings(*p, nil)}}, nil
	}
	var vars []woo.Variation
	err := e.woo.Variations(ctx, p.ID, func(v woo.Variation) error {
		vars = append(vars, v)
		return nil
	})
	if notFound(err) {
		return []unit{{goneID: p.ID}}, nil
	}
	if err != nil {
		return nil, err
	}
	return []unit{{plans: planProduct(*p, vars, u), complete: true, stock: productReadings(*p, vars)}}, nil
}

// knownParent reads what the engine knows of a variable product.
func (e *Engine) knownParent(id int64) (parentInfo, bool, error) {
	var (
		rec entityRec
		ok  bool
	)
	err := e.store.View(func(tx *store.Tx) error {
		var err error
		rec, ok, err = newTxn(tx).entity(id)
		return err
	})
	if err != nil || !ok || rec.Gone || rec.Kind != kindVariable {
		return parentInfo{}, false, err
	}
	return rec.parent(), true, nil
}

func notFound(err error) bool {
	var we *woo.Error
	return errors.As(err, &we) && we.Status == http.StatusNotFound
}

// refusedByWoo reports a WooCommerce answer that will not change by asking
// again (a 4xx other than auth, timeout and rate limiting).
func refusedByWoo(err error) bool {
	var we *woo.Error
	if !errors.As(err, &we) || we.Status < 400 || we.Status >= 500 {
		return false
	}
	switch we.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return true
}
