package syncer

import (
	"context"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// orderWoo is what the order sync reads from WooCommerce; *woo.Client
// satisfies it. A Woo without it leaves orders alone.
type orderWoo interface {
	Orders(ctx context.Context, q woo.OrderQuery, fn func(woo.Order) error) error
	Order(ctx context.Context, id int64) (woo.Order, error)
}

// orderCounter tells how many orders a query matches (job progress).
// Optional.
type orderCounter interface {
	OrdersTotal(ctx context.Context, q woo.OrderQuery) (int, error)
}

// orderOCW is what the order sync writes to OnCloudWine; *oncloudwine.Client
// satisfies it.
type orderOCW interface {
	UpsertOrders(ctx context.Context, orders []oncloudwine.Order) error
}

var (
	_ orderWoo     = (*woo.Client)(nil)
	_ orderCounter = (*woo.Client)(nil)
	_ orderOCW     = (*oncloudwine.Client)(nil)
)

// orderPorts returns the clients the order sync needs, ok false when the
// engine's clients cannot do orders.
func (e *Engine) orderPorts() (orderWoo, orderOCW, bool) {
	w, okW := e.woo.(orderWoo)
	o, okO := e.ocw.(orderOCW)
	return w, o, okW && okO
}
