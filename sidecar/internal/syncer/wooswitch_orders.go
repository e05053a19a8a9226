package syncer

import (
	"context"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// Orders calls the current client's Orders.
func (s *WooSwitch) Orders(ctx context.Context, q woo.OrderQuery, fn func(woo.Order) error) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	return c.Orders(ctx, q, fn)
}

// Order calls the current client's Order.
func (s *WooSwitch) Order(ctx context.Context, id int64) (woo.Order, error) {
	c, err := s.client()
	if err != nil {
		return woo.Order{}, err
	}
	return c.Order(ctx, id)
}

// OrdersTotal calls the current client's OrdersTotal.
func (s *WooSwitch) OrdersTotal(ctx context.Context, q woo.OrderQuery) (int, error) {
	c, err := s.client()
	if err != nil {
		return 0, err
	}
	return c.OrdersTotal(ctx, q)
}

var (
	_ orderWoo     = (*WooSwitch)(nil)
	_ orderCounter = (*WooSwitch)(nil)
)
