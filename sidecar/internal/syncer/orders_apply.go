package syncer

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// orderSync is the engine's order side: which orders a sender has in flight,
// and the signals between the apply step and the senders.
type orderSync struct {
	mu       sync.Mutex
	inFlight map[int64]bool
	queued   *broadcast // an order was queued
	sent     *broadcast // a batch of orders was sent
}

func newOrderSync() *orderSync {
	return &orderSync{inFlight: map[int64]bool{}, queued: newBroadcast(), sent: newBroadcast()}
}

// orderStats counts what applying order snapshots decided.
type orderStats struct {
	Seen      int // snapshots looked at
	Queued    int // orders queued for OnCloudWine
	Unchanged int // identical to what OnCloudWine has
	Unpaid    int // never paid: not sent
	Mirrored  int // release-order mirrors: never sent
	Stale     int // older than what was applied
	Failed    int // FAILED by a rule
}

func (s *orderStats) add(o orderStats) {
	s.Seen += o.Seen
	s.Queued += o.Queued
	s.Unchanged += o.Unchanged
	s.Unpaid += o.Unpaid
	s.Mirrored += o.Mirrored
	s.Stale += o.Stale
	s.Failed += o.Failed
}

// orderApplier applies order snapshots inside one transaction.
type orderApplier struct {
	t        *store.Tx
	now      time.Time
	stats    orderStats
	failures []string // activity lines for orders FAILED by a rule
}

// apply records one snapshot of a WooCommerce order: its state, its item,
// and the outbox entry when OnCloudWine must hear of it.
func (a *orderApplier) apply(o woo.Order) error {
	t := a.t
	a.stats.Seen++
	state, had, err := t.OrderState(o.ID)
	if err != nil {
		return err
	}
	state.ID = o.ID
	if state.Mirrored {
		a.stats.Mirrored++
		return nil
	}
	if isMirror(o) {
		// The sidecar made this order from a release order: never echo
		// it, and forget anything an earlier snapshot queued.
		a.stats.Mirrored++
		return t.MarkOrderMirrored(o.ID)
	}
	modified := o.DateModifiedGMT.UTC()
	if had && !modified.IsZero() && state.Modified.After(modified) {
		a.stats.Stale++
		return nil
	}
	if !modified.IsZero() {
		state.Modified = modified
	}
	state.Number = orderNumber(o)
	if !state.Known && !orderPaid(o) {
		a.stats.Unpaid++
		return t.PutOrderState(state)
	}
	state.Known = true
	item := store.Item{Kind: store.ItemKindOrder, Key: store.OrderItemKey(o.ID), WooID: o.ID, Name: orderLabel(state.Number)}
	if !modified.IsZero() {
		item.ModifiedGMT = modified.Format(time.RFC3339)
	}
	payload, err := mapOrder(o)
	if err != nil {
		// An older queued snapshot must not go out in its place.
		if err := t.UnqueueOrder(o.ID); err != nil {
			return err
		}
		item.Status, item.Error = store.StatusFailed, err.Error()
		a.stats.Failed++
		changed, perr := a.putItem(item)
		if perr != nil {
			return perr
		}
		if changed {
			a.failures = append(a.failures, fmt.Sprintf("%s cannot be sent to OnCloudWine: %v", orderLabel(state.Number), err))
		}
		return t.PutOrderState(state)
	}
	h := hashOrder(payload)
	cur, queued, err := t.QueuedOrder(o.ID)
	if err != nil {
		return err
	}
	switch {
	case queued && cur.Hash == h:
		item.Status = store.StatusPending // already queued, maybe in flight
	case !queued && state.SentHash == h:
		item.Status = store.StatusSynced
		a.stats.Unchanged++
	case !queued && state.FailedHash == h:
		item.Status, item.Error = store.StatusFailed, state.Error
	default:
		raw, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("order %d: %w", o.ID, err)
		}
		if _, err := t.QueueOrder(store.QueuedOrder{WooOrderID: o.ID, Number: state.Number, Hash: h, Payload: raw, Queued: a.now}); err != nil {
			return fmt.Errorf("queue order %d: %w", o.ID, err)
		}
		item.Status = store.StatusPending
		a.stats.Queued++
	}
	if _, err := a.putItem(item); err != nil {
		return err
	}
	return t.PutOrderState(state)
}

// putItem stores it unless the stored item already says the same; it
// reports whether it stored it.
func (a *orderApplier) putItem(it store.Item) (bool, error) {
	old, ok, err := a.t.Item(it.Kind, it.Key)
	if err != nil {
		return false, err
	}
	if ok && old.Status == it.Status && old.Error == it.Error && old.Name == it.Name && old.ModifiedGMT == it.ModifiedGMT {
		return false, nil
	}
	it.UpdatedAt = a.now
	return true, a.t.PutItems(it)
}

// orderOutcome is what applying order snapshots decided, for after the
// commit.
type orderOutcome struct {
	stats    orderStats
	failures []string // activity lines
}

// applyOrdersIn applies snapshots in the caller's transaction (the inbox
// applies them in the commit that acknowledges their deliveries). Call
// ordersCommitted with the outcome once the transaction committed.
func (e *Engine) applyOrdersIn(tx *store.Tx, orders []woo.Order) (orderOutcome, error) {
	if len(orders) == 0 {
		return orderOutcome{}, nil
	}
	a := &orderApplier{t: tx, now: e.now().UTC()}
	for _, o := range orders {
		if err := a.apply(o); err != nil {
			return orderOutcome{}, err
		}
	}
	return orderOutcome{stats: a.stats, failures: a.failures}, nil
}

// ordersCommitted wakes the order senders when something was queued and
// writes the activity lines of the commit.
func (e *Engine) ordersCommitted(out orderOutcome) {
	if out.stats.Queued > 0 {
		e.orders.queued.Notify()
	}
	for _, line := range out.failures {
		e.activity("warn", line)
	}
}

// commitOrders applies snapshots in one transaction of their own; then,
// when given, runs also in it (a cursor that moves with them).
func (e *Engine) commitOrders(orders []woo.Order, also func(*store.Tx) error) (orderStats, error) {
	var out orderOutcome
	err := e.store.Update(func(tx *store.Tx) error {
		var err error
		if out, err = e.applyOrdersIn(tx, orders); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	if err != nil {
		return orderStats{}, fmt.Errorf("syncer: commit orders: %w", err)
	}
	e.ordersCommitted(out)
	return out.stats, nil
}
