package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// paidOrder: a shopper pays at checkout; the order reaches OnCloudWine by
// webhook; a partial refund follows as an update; an unpaid order is not
// sent.
func (s *story) paidOrder(ctx context.Context) error {
	const sku = "WINE-CABR-2021-750"
	p, ok := s.env.woo.ProductBySKU(sku)
	if !ok {
		return fmt.Errorf("demo: the seeded store has no %s", sku)
	}
	s.title("A shopper pays an order online; it reaches OnCloudWine as it happens")
	shopper := woosim.Address{FirstName: "Ana", LastName: "Lima", Address1: "Rua 1", City: "Porto", Postcode: "4000-001", Country: "PT", Email: "ana@example.com"}
	unpaid, err := s.env.woo.PlaceOrder(woosim.NewOrder{Status: "pending", Billing: shopper, Lines: []woosim.OrderLine{{ProductID: p.ID, Quantity: 1}}})
	if err != nil {
		return fmt.Errorf("demo: place unpaid order: %w", err)
	}
	start := time.Now()
	id, err := s.env.woo.PlaceOrder(woosim.NewOrder{Billing: shopper, Lines: []woosim.OrderLine{{ProductID: p.ID, Quantity: 2}}})
	if err != nil {
		return fmt.Errorf("demo: place order: %w", err)
	}
	if err := waitFor(ctx, 30*time.Second, "the paid order reaching OnCloudWine", func() bool {
		_, ok := s.env.ocw.Orders()[id]
		return ok
	}); err != nil {
		return err
	}
	s.orderLag = time.Since(start)
	o := s.env.ocw.Orders()[id]
	fmt.Fprintf(s.out, "   Order #%s: %s, %s %s, %d × %s — in OnCloudWine %s after checkout, by webhook\n",
		o.Number, o.Status, o.Total, o.Currency, o.LineItems[0].Quantity, o.LineItems[0].SKU, s.orderLag.Round(time.Millisecond))
	if _, err := s.env.woo.RefundOrder(id, "10.00", "one bottle arrived broken"); err != nil {
		return fmt.Errorf("demo: refund: %w", err)
	}
	if err := waitFor(ctx, 30*time.Second, "the refund reaching OnCloudWine", func() bool {
		return s.env.ocw.Orders()[id].TotalRefunded == "10.00"
	}); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "   A partial refund follows as an update of the same order: refunded %s of %s\n", s.env.ocw.Orders()[id].TotalRefunded, o.Total)
	if _, sent := s.env.ocw.Orders()[unpaid]; sent {
		return fmt.Errorf("demo: the unpaid order %d was sent", unpaid)
	}
	fmt.Fprintf(s.out, "   An order awaiting payment (#%d) is not sent: only paid orders are\n", unpaid)
	s.orderLine = fmt.Sprintf("#%s %s in %s, refund followed", o.Number, o.Status, s.orderLag.Round(time.Millisecond))
	return nil
}
