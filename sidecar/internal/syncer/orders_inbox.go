package syncer

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// orderOfDelivery reads the order an order delivery (order.created,
// order.updated, order.deleted) is about; nil when there is none to apply
// (no order client, the order is gone, WooCommerce refuses it). It fails,
// leaving the delivery in the inbox, only when WooCommerce could not be
// asked about an order the delivery did not carry.
func (e *Engine) orderOfDelivery(ctx context.Context, ev store.Event) (*woo.Order, error) {
	w, _, ok := e.orderPorts()
	if !ok {
		return nil, nil
	}
	o, found, err := e.orderOfEvent(ctx, w, ev)
	if err != nil || !found {
		return nil, err
	}
	return &o, nil
}

// orderOfEvent reads the order a delivery is about: its body when it is the
// order (order.created/updated carry it as it was when the delivery was
// built), else WooCommerce's answer (order.deleted carries only the id; a
// delivery built where the REST route was missing carries an error body).
func (e *Engine) orderOfEvent(ctx context.Context, w orderWoo, ev store.Event) (woo.Order, bool, error) {
	var o woo.Order
	if err := json.Unmarshal(ev.Body, &o); err == nil && o.ID != 0 && o.Status != "" && ev.Action != "deleted" {
		return o, true, nil
	}
	id := o.ID
	if id == 0 {
		id = ev.ResourceID
	}
	if id == 0 {
		e.log.Warn("syncer: order delivery without an order id skipped", "seq", ev.Seq, "topic", ev.Topic)
		return woo.Order{}, false, nil
	}
	got, err := w.Order(ctx, id)
	switch {
	case notFound(err):
		// Deleted for good: OnCloudWine keeps what it was last told.
		e.log.Info("syncer: order no longer in WooCommerce", "woo_order_id", id, "topic", ev.Topic)
		return woo.Order{}, false, nil
	case refusedByWoo(err):
		e.activity("warn", fmt.Sprintf("Webhook %s for order %d skipped: WooCommerce said: %v", ev.Topic, id, err))
		return woo.Order{}, false, nil
	case err != nil:
		return woo.Order{}, false, err
	}
	return got, true, nil
}
