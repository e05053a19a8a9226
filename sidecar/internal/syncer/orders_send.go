package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// orderSenders is how many order batches may be in flight.
const orderSenders = 2

// startOrderSenders runs the order senders in wg until ctx ends (nothing
// when the clients cannot do orders).
func (e *Engine) startOrderSenders(ctx context.Context, wg *sync.WaitGroup) {
	if _, _, ok := e.orderPorts(); !ok {
		return
	}
	for range orderSenders {
		wg.Go(func() { e.orderSendLoop(ctx) })
	}
}

// takeOrders picks up to batchMax queued orders no other sender has in
// flight, and marks them in flight.
func (e *Engine) takeOrders() ([]store.QueuedOrder, error) {
	os := e.orders
	os.mu.Lock()
	defer os.mu.Unlock()
	var batch []store.QueuedOrder
	err := e.store.View(func(t *store.Tx) error {
		var err error
		batch, err = t.QueuedOrders(batchMax, func(id int64) bool { return os.inFlight[id] })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("syncer: read order outbox: %w", err)
	}
	for _, q := range batch {
		os.inFlight[q.WooOrderID] = true
	}
	return batch, nil
}

func (e *Engine) releaseOrders(batch []store.QueuedOrder) {
	e.orders.mu.Lock()
	defer e.orders.mu.Unlock()
	for _, q := range batch {
		delete(e.orders.inFlight, q.WooOrderID)
	}
}

// sendOrdersOnce sends one batch of queued orders and records the outcome.
// It returns how many it handled (0: nothing queued) and an error when
// OnCloudWine could not be reached (they stay queued).
func (e *Engine) sendOrdersOnce(ctx context.Context, ocw orderOCW) (int, error) {
	batch, err := e.takeOrders()
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	defer e.releaseOrders(batch)
	if err := e.sendOrderBatch(ctx, ocw, batch); err != nil {
		return 0, err
	}
	e.orders.sent.Notify()
	return len(batch), nil
}

func (e *Engine) sendOrderBatch(ctx context.Context, ocw orderOCW, batch []store.QueuedOrder) error {
	orders := make([]oncloudwine.Order, len(batch))
	for i, q := range batch {
		if err := json.Unmarshal(q.Payload, &orders[i]); err != nil {
			return fmt.Errorf("syncer: queued order %d: %w", q.WooOrderID, err)
		}
	}
	err := ocw.UpsertOrders(ctx, orders)
	switch {
	case err == nil:
		return e.commitOrdersSent(batch, nil)
	case permanent(err) && len(batch) > 1:
		// Find the order OnCloudWine refuses: halves, then singles.
		half := len(batch) / 2
		if err := e.sendOrderBatch(ctx, ocw, batch[:half]); err != nil {
			return err
		}
		return e.sendOrderBatch(ctx, ocw, batch[half:])
	case permanent(err):
		return e.commitOrdersSent(batch, err)
	}
	return fmt.Errorf("syncer: upsert %d orders: %w", len(batch), err)
}

// commitOrdersSent records what OnCloudWine accepted (refused == nil) or
// refused: the sent hash, the item status, and the outbox entry removed
// unless a newer change replaced it meanwhile.
func (e *Engine) commitOrdersSent(batch []store.QueuedOrder, refused error) error {
	now := e.now().UTC()
	err := e.store.Update(func(t *store.Tx) error {
		for _, q := range batch {
			cur, has, err := t.QueuedOrder(q.WooOrderID)
			if err != nil {
				return err
			}
			same := has && cur.Ver == q.Ver
			if same {
				if err := t.UnqueueOrder(q.WooOrderID); err != nil {
					return err
				}
			}
			state, _, err := t.OrderState(q.WooOrderID)
			if err != nil {
				return err
			}
			state.ID = q.WooOrderID
			status, msg := store.StatusSynced, ""
			if refused != nil {
				state.FailedHash, state.Error = q.Hash, refused.Error()
				status, msg = store.StatusFailed, refused.Error()
			} else {
				state.SentHash, state.FailedHash, state.Error = q.Hash, "", ""
			}
			if err := t.PutOrderState(state); err != nil {
				return err
			}
			if !same {
				continue // a newer change is queued: its item stays PENDING
			}
			key := store.OrderItemKey(q.WooOrderID)
			it, ok, err := t.Item(store.ItemKindOrder, key)
			if err != nil {
				return err
			}
			if ok && (it.Status != status || it.Error != msg) {
				it.Status, it.Error, it.UpdatedAt = status, msg, now
				if err := t.PutItems(it); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("syncer: record sent orders: %w", err)
	}
	if refused != nil {
		// OnCloudWine's message may quote the customer's data: the item
		// keeps it, the activity line names the order and the code.
		code := "refused"
		var oe *oncloudwine.Error
		if errors.As(refused, &oe) && oe.Code != "" {
			code = oe.Code
		}
		e.activity("warn", fmt.Sprintf("%s: OnCloudWine refused it (%s); its item in the status list says why", orderLabel(batch[0].Number), code))
		return nil
	}
	e.activity("info", sentOrdersLine(batch))
	return nil
}

// sentOrdersLine names the orders sent: all of them when few, else the
// first and last.
func sentOrdersLine(batch []store.QueuedOrder) string {
	if len(batch) == 1 {
		return orderLabel(batch[0].Number) + " sent to OnCloudWine"
	}
	if len(batch) <= 5 {
		nums := make([]string, len(batch))
		for i, q := range batch {
			nums[i] = "#" + q.Number
		}
		return "Orders " + strings.Join(nums, ", ") + " sent to OnCloudWine"
	}
	return fmt.Sprintf("%s orders sent to OnCloudWine (#%s … #%s)", num(len(batch)), batch[0].Number, batch[len(batch)-1].Number)
}

// orderSendLoop drains the order outbox until ctx ends, backing off while
// OnCloudWine is unreachable.
func (e *Engine) orderSendLoop(ctx context.Context) {
	_, ocw, ok := e.orderPorts()
	if !ok {
		return
	}
	e.drainLoop(ctx, "orders", e.orders.queued, e.orders.sent, func(ctx context.Context) (int, error) {
		return e.sendOrdersOnce(ctx, ocw)
	})
}

// OrderOutboxDepth counts the orders waiting to be sent.
func (e *Engine) OrderOutboxDepth() (int, error) {
	n := 0
	err := e.store.View(func(t *store.Tx) error {
		n = t.QueuedOrderCount()
		return nil
	})
	return n, err
}

// waitOrdersDrained returns once no order waits to be sent.
func (e *Engine) waitOrdersDrained(ctx context.Context) error {
	for {
		wake := e.orders.sent.Wait()
		n, err := e.OrderOutboxDepth()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-e.after(e.cfg.IdlePoll):
		}
	}
}
