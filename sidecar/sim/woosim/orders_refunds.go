package woosim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// orderTotalCents is what renderOrder shows as the order's total: its lines
// and shipping.
func orderTotalCents(o *Order) int64 {
	var sum int64
	for _, li := range o.LineItems {
		sum += cents(li.Total)
	}
	for _, sl := range o.ShippingLines {
		sum += cents(sl.Total)
	}
	return sum
}

func refundedCents(o *Order) int64 {
	var sum int64
	for _, r := range o.Refunds {
		sum += cents(r.Amount)
	}
	return sum
}

// renderRefunds is the order's "refunds" member: newest first, each total
// negative ('-' . wc_format_decimal(amount, dp) in WC_REST_Orders_Controller).
func renderRefunds(rs []Refund) []obj {
	out := make([]obj, 0, len(rs))
	for _, r := range slices.Backward(rs) {
		out = append(out, obj{{"id", r.ID}, {"reason", r.Reason}, {"total", money(-cents(r.Amount))}})
	}
	return out
}

func renderRefund(o *Order, r Refund) obj {
	return obj{{"id", r.ID}, {"date_created", r.DateCreated}, {"date_created_gmt", r.DateCreated},
		{"amount", r.Amount}, {"reason", r.Reason}, {"refunded_by", 1}, {"refunded_payment", false},
		{"meta_data", []any{}}, {"line_items", []any{}}, {"parent_id", o.ID}}
}

// serveRefunds is /orders/{id}/refunds: GET lists, POST creates.
func (s *Sim) serveRefunds(req *request) reply {
	id, ok := idPart(req.parts[1])
	if !ok {
		return errReply(errNoRoute())
	}
	if !req.authed {
		return errCannotItem(req.method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	if o == nil {
		return errReply(&restError{404, "woocommerce_rest_invalid_order_id", "Invalid order ID.", nil})
	}
	switch req.method {
	case http.MethodGet:
		out := make([]obj, 0, len(o.Refunds))
		for _, r := range slices.Backward(o.Refunds) {
			out = append(out, renderRefund(o, r))
		}
		return listReply(out, len(out), 1, 1)
	case http.MethodPost:
		amount, _ := asString(req.body["amount"])
		reason, _ := asString(req.body["reason"])
		r, e := s.refundOrder(o, amount, reason, s.now().UTC().Truncate(time.Second))
		if e != nil {
			return errReply(e)
		}
		return created(reply{body: renderRefund(o, r)}, req.rb.url("/wc/v3/orders/"+strconv.FormatInt(o.ID, 10)+"/refunds/"+strconv.FormatInt(r.ID, 10)))
	}
	return errReply(errNoRoute())
}

// refundOrder is wc_create_refund without a payment gateway: the refund is
// recorded, a refund of what remains makes the order "refunded", the order
// is saved (date_modified moves) and woocommerce_order_refunded fires
// order.updated.
func (s *Sim) refundOrder(o *Order, amount, reason string, now time.Time) (Refund, *restError) {
	c := cents(amount)
	if c <= 0 {
		return Refund{}, &restError{400, "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", nil}
	}
	remaining := orderTotalCents(o) - refundedCents(o)
	if c > remaining {
		return Refund{}, &restError{500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", nil}
	}
	r := Refund{ID: s.st.newPostID(), Amount: money(c), Reason: reason, DateCreated: now}
	o.Refunds = append(o.Refunds, r)
	if c == remaining {
		o.Status = "refunded"
	}
	o.DateModified = now
	s.st.emit("order.updated", o.ID)
	return r, nil
}

// trashOrder moves an order to the trash: status "trash" and order.deleted
// (hooked to wp_trash_post and woocommerce_trash_order).
func (s *Sim) trashOrder(o *Order, now time.Time) {
	if o.Status == "trash" {
		return
	}
	o.Status = "trash"
	o.DateModified = now
	s.st.emit("order.deleted", o.ID)
}

// deleteOrder removes an order for good (no webhook, like a forced delete).
func (st *state) deleteOrder(id int64) {
	delete(st.orders, id)
	st.orderIDs = slices.DeleteFunc(st.orderIDs, func(x int64) bool { return x == id })
}

// RefundOrder refunds amount ("5.00") of an order like wp-admin's manual
// refund: order.updated, and status "refunded" when nothing remains.
func (s *Sim) RefundOrder(id int64, amount, reason string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	if o == nil {
		return 0, fmt.Errorf("woosim.RefundOrder %d: %w", id, ErrNotFound)
	}
	r, e := s.refundOrder(o, amount, reason, s.stamp())
	if e != nil {
		return 0, fmt.Errorf("woosim.RefundOrder %d: %s", id, e.message)
	}
	return r.ID, nil
}

// TrashOrder moves an order to the trash (order.deleted).
func (s *Sim) TrashOrder(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	if o == nil {
		return fmt.Errorf("woosim.TrashOrder %d: %w", id, ErrNotFound)
	}
	s.trashOrder(o, s.stamp())
	return nil
}
