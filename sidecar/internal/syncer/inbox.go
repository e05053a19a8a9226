package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

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
			e.noteInboxHeld(err)
			e.wooTrouble(err)
			e.log.Warn("syncer: inbox events wait for a retry", "err", err, "retry_in", wait)
			if backoff.Sleep(ctx, wait, e.after) != nil {
				return
			}
			continue
		}
		failures = 0
		e.noteInboxRunning()
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

// eventWork is one delivery of a batch: the units it comes to, or why it
// cannot be applied (fail; the delivery then leaves the inbox as a FAILED item).
type eventWork struct {
	ev    store.Event
	units []unit
	fail  string
	order *woo.Order // an order delivery's order (orders_inbox.go)
}

// handleInbox applies up to inboxBatch events and acknowledges them. Events
// stay in the inbox when WooCommerce could not be asked what they need, or
// when the machine fails (disk full, store closed). One event that cannot be
// applied never holds up the others: it becomes a FAILED item and leaves.
func (e *Engine) handleInbox(ctx context.Context) (int, error) {
	events, err := e.store.InboxBatch(inboxBatch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	u, err := e.units()
	if err != nil {
		return 0, err
	}
	works := make([]eventWork, 0, len(events))
	for _, ev := range events {
		w := eventWork{ev: ev}
		if ev.Unreadable != "" {
			e.activity("error", fmt.Sprintf("Inbox event %d could not be read (%s) and was dropped; the reconcile reads what it was about", ev.Seq, ev.Unreadable))
			e.RequestReconcile()
		} else if ev.Resource == "order" {
			if w.order, err = e.orderOfDelivery(ctx, ev); err != nil { // orders_inbox.go
				return 0, fmt.Errorf("inbox event %d (%s #%d): %w", ev.Seq, ev.Topic, ev.ResourceID, err)
			}
		} else if ev.Resource == "product" { // other resources belong to other syncs
			us, err := e.eventUnits(ctx, ev, u)
			var unreadable *unreadableError
			switch {
			case refusedByWoo(err):
				// Asking again would get the same answer: skip this event (the
				// next full sync or reconcile reads the product anyway).
				e.activity("warn", fmt.Sprintf("Webhook %s for #%d skipped: WooCommerce said: %v", ev.Topic, ev.ResourceID, err))
			case errors.As(err, &unreadable):
				w.fail = unreadable.Error()
			case err != nil:
				return 0, fmt.Errorf("inbox event %d (%s #%d): %w", ev.Seq, ev.Topic, ev.ResourceID, err)
			}
			w.units = us
		}
		works = append(works, w)
	}
	stats, applied, err := e.applyEvents(ctx, works)
	if stats.Queued > 0 || stats.Archived > 0 {
		e.queued.Notify()
	}
	if stats.Queued > 0 || stats.Archived > 0 || stats.Failed > 0 {
		e.activity("info", fmt.Sprintf("Webhooks: %s product change(s) → %s variant(s) queued, %s archived, %s failed",
			num(applied), num(stats.Queued), num(stats.Archived), num(stats.Failed)))
	}
	e.logFailures("Webhooks", stats.NewFailures)
	if err != nil {
		return 0, fmt.Errorf("syncer: apply inbox events: %w", err)
	}
	return len(events), nil
}

// applyEvents pushes the works' stock and commits, in one transaction, their
// changes, stock records, FAILED items and acknowledgement (commitEvents).
// When that commit fails for a reason other than the machine, each event is
// committed on its own: the one that fails becomes a FAILED item (with the
// reason, in the item and the activity log) and leaves the inbox, the others
// commit. It returns how many events were applied; an error only for a
// machine error or the end of ctx (what was committed until then stays).
func (e *Engine) applyEvents(ctx context.Context, works []eventWork) (applyStats, int, error) {
	stats, err := e.commitEvents(ctx, works)
	if err == nil {
		e.logFailedEvents(works)
		return stats, len(works), nil
	}
	if store.IsMachineError(err) || ctx.Err() != nil {
		return applyStats{}, 0, err
	}
	e.log.Warn("syncer: a batch of webhook events could not be committed; applying them one at a time", "err", err)
	var (
		total   applyStats
		applied int
	)
	for _, w := range works {
		st, err := e.commitEvents(ctx, []eventWork{w})
		switch {
		case err == nil:
			total.add(st)
			applied++
		case store.IsMachineError(err) || ctx.Err() != nil:
			return total, applied, err
		default:
			w.fail = fmt.Sprintf("the sidecar could not store this product (%v) — check its SKU and data in WooCommerce, then save it again", err)
			w.units = nil
			if _, err := e.commitEvents(ctx, []eventWork{w}); err != nil {
				return total, applied, fmt.Errorf("record FAILED event %d: %w", w.ev.Seq, err)
			}
		}
		e.logFailedEvents([]eventWork{w})
	}
	return total, applied, nil
}

// commitEvents sends the stock the works show (best effort) and commits
// their changes, the stock records, a FAILED item for each work that cannot
// be applied, and their acknowledgement as one step: a crash before it
// applies these deliveries again after the restart.
func (e *Engine) commitEvents(ctx context.Context, works []eventWork) (applyStats, error) {
	var (
		units    []unit
		orders   []woo.Order
		readings []stockReading
		seqs     = make([]uint64, 0, len(works))
	)
	for _, w := range works {
		seqs = append(seqs, w.ev.Seq)
		units = append(units, w.units...)
		for _, un := range w.units {
			readings = append(readings, un.stock...)
		}
		if w.order != nil {
			orders = append(orders, *w.order)
		}
	}
	var (
		stats   applyStats
		ordered orderOutcome
	)
	err := e.pushStock(ctx, readings, func(recs stockRecords) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return e.store.InboxAckWith(func(tx *store.Tx) error {
			var err error
			if stats, err = e.applyIn(tx, nil, func(a *applier) error { return applyUnits(a, units) }); err != nil {
				return err
			}
			if ordered, err = e.applyOrdersIn(tx, orders); err != nil { // orders_apply.go
				return err
			}
			for _, w := range works {
				if w.fail != "" {
					if err := tx.PutItems(e.failedItem(w)); err != nil {
						return err
					}
				}
			}
			return recs.write(tx)
		}, seqs...)
	})
	if err == nil {
		e.ordersCommitted(ordered)
	}
	return stats, err
}

// failedItem is the FAILED item of an event that cannot be applied, keyed
// by the WooCommerce id.
func (e *Engine) failedItem(w eventWork) store.Item {
	return store.Item{Kind: ItemKind, Key: idItemKey(w.ev.ResourceID), Status: store.StatusFailed, Error: w.fail,
		WooID: w.ev.ResourceID, ModifiedGMT: w.ev.ModifiedGMT, UpdatedAt: e.now().UTC()}
}

// logFailedEvents writes an activity line for each work that could not be
// applied.
func (e *Engine) logFailedEvents(works []eventWork) {
	for _, w := range works {
		if w.fail != "" {
			e.activity("error", fmt.Sprintf("Webhook %s for #%d FAILED: %s", w.ev.Topic, w.ev.ResourceID, w.fail))
		}
	}
}

// maxFailuresLogged bounds the FAILED items one activity line names.
const maxFailuresLogged = 10

// logFailures writes the items a delta turned FAILED, with their reasons,
// to the activity log.
func (e *Engine) logFailures(source string, failures []string) {
	if len(failures) == 0 {
		return
	}
	shown := failures[:min(len(failures), maxFailuresLogged)]
	line := source + ": FAILED " + strings.Join(shown, "; ")
	if more := len(failures) - len(shown); more > 0 {
		line += fmt.Sprintf("; and %s more (see the FAILED items)", num(more))
	}
	e.activity("warn", line)
}

// unreadableError is a product delivery whose JSON does not have the
// shape WooCommerce gives (a field of the wrong type).
type unreadableError struct{ err error }

func (u *unreadableError) Error() string {
	return fmt.Sprintf("WooCommerce sent a product this sidecar cannot read (%v) — save the product again in WooCommerce", u.err)
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
		return nil, &unreadableError{err}
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
			return nil, &unreadableError{err}
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
		return nil, &unreadableError{err}
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
		return []unit{catalogUnit(*p, nil, u)}, nil
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
	return []unit{catalogUnit(*p, vars, u)}, nil
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

// wooTrouble passes a failure of the store itself to OnWooTrouble.
func (e *Engine) wooTrouble(err error) {
	var we *woo.Error
	if e.cfg.OnWooTrouble == nil || !errors.As(err, &we) {
		return
	}
	switch {
	case we.Status == 0 && we.Code != woo.CodeConfig, we.Status == http.StatusUnauthorized, we.Status == http.StatusForbidden, we.Status >= 500:
		e.cfg.OnWooTrouble(err)
	}
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
