package oncloudwine

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// API paths, relative to the base URL.
const (
	pathPing          = "/v1/ping"
	pathConnection    = "/v1/woocommerce/connection"
	pathVariantUpsert = "/v1/woocommerce/variants:upsert"
	pathArchive       = "/v1/woocommerce/variants:archive"
	pathStockUpdate   = "/v1/woocommerce/stock:update"
	pathReservations  = "/v1/woocommerce/reservations"
	pathOrdersUpsert  = "/v1/woocommerce/orders:upsert"
	pathReleaseOrders = "/v1/woocommerce/release-orders"
)

// Ping checks the token and tells which organization it belongs to.
func (c *Client) Ping(ctx context.Context) (Ping, error) {
	var p Ping
	err := c.get(ctx, pathPing, nil, &p)
	return p, err
}

// ReportConnection tells OnCloudWine the state of the WooCommerce connection.
func (c *Client) ReportConnection(ctx context.Context, conn Connection) error {
	return c.post(ctx, pathConnection, conn, nil)
}

// UpsertVariants creates or updates variants by SKU, in requests of at most
// MaxBatch. It returns one result per variant, in order; on an error it
// returns the results of the requests that succeeded before it.
func (c *Client) UpsertVariants(ctx context.Context, variants []Variant) ([]VariantResult, error) {
	results := make([]VariantResult, 0, len(variants))
	for i, chunk := range chunks(variants, MaxBatch) {
		body := struct {
			Variants []Variant `json:"variants"`
		}{canonicalVariants(chunk)}
		var out struct {
			Results []VariantResult `json:"results"`
		}
		if err := c.post(ctx, pathVariantUpsert, body, &out); err != nil {
			return results, batchError(err, i, len(variants))
		}
		if len(out.Results) != len(chunk) {
			return results, fmt.Errorf("oncloudwine: variants:upsert answered %d results for %d variants", len(out.Results), len(chunk))
		}
		results = append(results, out.Results...)
	}
	return results, nil
}

// ArchiveVariants archives SKUs that disappeared from WooCommerce, in
// requests of at most MaxBatch.
func (c *Client) ArchiveVariants(ctx context.Context, skus []string) error {
	for i, chunk := range chunks(skus, MaxBatch) {
		body := struct {
			SKUs []string `json:"skus"`
		}{chunk}
		if err := c.post(ctx, pathArchive, body, nil); err != nil {
			return batchError(err, i, len(skus))
		}
	}
	return nil
}

// UpdateStock sends stock levels, in requests of at most MaxBatch.
func (c *Client) UpdateStock(ctx context.Context, levels []StockLevel) error {
	for i, chunk := range chunks(levels, MaxBatch) {
		canon := make([]StockLevel, len(chunk))
		for j, l := range chunk {
			l.ObservedAt = l.ObservedAt.UTC()
			canon[j] = l
		}
		body := struct {
			Levels []StockLevel `json:"levels"`
		}{canon}
		if err := c.post(ctx, pathStockUpdate, body, nil); err != nil {
			return batchError(err, i, len(levels))
		}
	}
	return nil
}

// Reservations lists the quantities OnCloudWine holds back, by SKU.
func (c *Client) Reservations(ctx context.Context) ([]Reservation, error) {
	var out struct {
		Reservations []Reservation `json:"reservations"`
	}
	err := c.get(ctx, pathReservations, nil, &out)
	return out.Reservations, err
}

// UpsertOrders creates or updates paid online orders by woo_order_id, in
// requests of at most MaxBatch.
func (c *Client) UpsertOrders(ctx context.Context, orders []Order) error {
	for i, chunk := range chunks(orders, MaxBatch) {
		body := struct {
			Orders []Order `json:"orders"`
		}{canonicalOrders(chunk)}
		if err := c.post(ctx, pathOrdersUpsert, body, nil); err != nil {
			return batchError(err, i, len(orders))
		}
	}
	return nil
}

// ReleaseOrders fetches one page of release orders ordered by
// (updated_at, id). Follow page.Next until it is nil.
func (c *Client) ReleaseOrders(ctx context.Context, q ReleaseOrderQuery) (ReleaseOrderPage, error) {
	v := url.Values{}
	status := q.Status
	if status == "" {
		status = "paid"
	}
	v.Set("status", status)
	if !q.UpdatedAfter.IsZero() {
		v.Set("updated_after", q.UpdatedAfter.UTC().Format(time.RFC3339Nano))
	}
	if q.AfterID != "" {
		v.Set("after_id", q.AfterID)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var page ReleaseOrderPage
	err := c.get(ctx, pathReleaseOrders, v, &page)
	return page, err
}

// ReportMirror tells OnCloudWine that a release order was mirrored into
// WooCommerce (SYNCED, with the Woo order id) or could not be (FAILED).
func (c *Client) ReportMirror(ctx context.Context, releaseOrderID string, r MirrorReport) error {
	if releaseOrderID == "" {
		return fmt.Errorf("oncloudwine: ReportMirror: empty release order id")
	}
	return c.post(ctx, pathReleaseOrders+"/"+url.PathEscape(releaseOrderID)+"/mirror", r, nil)
}

// chunks splits items into slices of at most n (no copy).
func chunks[T any](items []T, n int) [][]T {
	var out [][]T
	for len(items) > n {
		out = append(out, items[:n:n])
		items = items[n:]
	}
	if len(items) > 0 {
		out = append(out, items)
	}
	return out
}

// batchError keeps an *Error as it is (its text is the FAILED text) when the
// call was a single request, and otherwise says which request failed.
func batchError(err error, chunk, total int) error {
	if total <= MaxBatch {
		return err
	}
	return fmt.Errorf("batch %d (items %d–%d of %d): %w", chunk+1, chunk*MaxBatch+1, min((chunk+1)*MaxBatch, total), total, err)
}

// canonicalVariants returns copies with UTC times and non-nil attributes, so
// the same content always encodes to the same bytes (and Idempotency-Key).
func canonicalVariants(in []Variant) []Variant {
	out := make([]Variant, len(in))
	for i, v := range in {
		if v.Attributes == nil {
			v.Attributes = map[string]string{}
		}
		v.WooModifiedAt = v.WooModifiedAt.UTC()
		out[i] = v
	}
	return out
}

// canonicalOrders returns copies with UTC times, non-nil lines and a
// total_refunded, so the same content always encodes to the same bytes.
func canonicalOrders(in []Order) []Order {
	out := make([]Order, len(in))
	for i, o := range in {
		if o.DatePaid != nil {
			t := o.DatePaid.UTC()
			o.DatePaid = &t
		}
		if o.WooModifiedAt != nil {
			t := o.WooModifiedAt.UTC()
			o.WooModifiedAt = &t
		}
		if o.LineItems == nil {
			o.LineItems = []OrderLineItem{}
		}
		if o.TotalRefunded == "" {
			o.TotalRefunded = "0.00" // no refunds
		}
		out[i] = o
	}
	return out
}
