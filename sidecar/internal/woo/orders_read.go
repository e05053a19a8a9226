package woo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// OrderQuery filters Orders. The zero value lists every order WooCommerce
// lists by default (any status but trash), by ascending id.
type OrderQuery struct {
	// ModifiedAfter, when set, sends modified_after (UTC) with
	// dates_are_gmt=true: only orders saved after it.
	ModifiedAfter time.Time
	// CreatedAfter, when set, sends after (UTC) with dates_are_gmt=true:
	// only orders created after it.
	CreatedAfter time.Time
	Status       string   // pending, processing, …, trash, any; "" = WooCommerce's default
	Fields       []string // _fields projection; nil = full objects
	// Parallel reads up to MaxConcurrency pages at once once the first
	// page told how many there are; fn then sees pages out of order.
	Parallel bool
}

func (q OrderQuery) values() url.Values {
	v := url.Values{}
	if !q.ModifiedAfter.IsZero() {
		v.Set("modified_after", q.ModifiedAfter.UTC().Format(wooTimeLayout))
	}
	if !q.CreatedAfter.IsZero() {
		v.Set("after", q.CreatedAfter.UTC().Format(wooTimeLayout))
	}
	if !q.ModifiedAfter.IsZero() || !q.CreatedAfter.IsZero() {
		v.Set("dates_are_gmt", "true")
	}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if len(q.Fields) > 0 {
		v.Set("_fields", strings.Join(q.Fields, ","))
	}
	// Ascending ids keep paging stable while the store takes new orders
	// (they land on the last page).
	v.Set("orderby", "id")
	v.Set("order", "asc")
	return v
}

// Orders streams the orders matching q, page by page (per_page=100),
// calling fn for each. An error from fn stops the listing and is returned.
func (c *Client) Orders(ctx context.Context, q OrderQuery, fn func(Order) error) error {
	list := listPages[Order]
	if q.Parallel {
		list = listPagesParallel[Order]
	}
	if err := list(ctx, c, "/wc/v3/orders", q.values(), fn); err != nil {
		return fmt.Errorf("woo orders: %w", err)
	}
	return nil
}

// OrdersTotal is how many orders match q (X-WP-Total of a one-order page),
// for progress; -1 when WooCommerce does not say.
func (c *Client) OrdersTotal(ctx context.Context, q OrderQuery) (int, error) {
	v := q.values()
	v.Set("per_page", "1")
	v.Set("_fields", "id")
	var one []struct {
		ID int64 `json:"id"`
	}
	resp, err := c.getJSON(ctx, "/wc/v3/orders", v, &one)
	if err != nil {
		return 0, fmt.Errorf("woo orders total: %w", err)
	}
	n, err := strconv.Atoi(resp.header.Get("X-WP-Total"))
	if err != nil {
		return -1, nil
	}
	return n, nil
}

// Order fetches one order by id; 404 → *Error woo_not_found.
func (c *Client) Order(ctx context.Context, id int64) (Order, error) {
	var o Order
	if _, err := c.getJSON(ctx, "/wc/v3/orders/"+strconv.FormatInt(id, 10), nil, &o); err != nil {
		return Order{}, fmt.Errorf("woo order %d: %w", id, err)
	}
	return o, nil
}

// Meta returns the value of the first meta entry named key.
func (o Order) Meta(key string) (json.RawMessage, bool) {
	for _, m := range o.MetaData {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// RefundedTotal is the sum of the order's refunds as a positive decimal
// with the order total's digits after the point ("0.00" when none). It
// never goes through float64.
func (o Order) RefundedTotal() (Decimal, error) {
	scale := 2
	if o.Total.Valid() {
		scale = max(scale, int(o.Total.scale))
	}
	for _, r := range o.Refunds {
		if r.Total.Valid() {
			scale = max(scale, int(r.Total.scale))
		}
	}
	var sum int64
	for _, r := range o.Refunds {
		if !r.Total.IsSet() {
			continue
		}
		u, err := r.Total.MinorUnits(scale)
		if err != nil {
			return Decimal{}, fmt.Errorf("refund %d: %w", r.ID, err)
		}
		if u < 0 {
			u = -u
		}
		sum += u
	}
	return DecimalFromMinor(sum, scale), nil
}
