package woo

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ProductQuery filters Products. The zero value lists every product that
// WooCommerce lists by default (any status but trash), by ascending id.
type ProductQuery struct {
	// ModifiedAfter, when set, sends modified_after (UTC) with
	// dates_are_gmt=true: only products saved after it.
	ModifiedAfter time.Time
	Status        string   // publish, draft, pending, private, trash, any; "" = WooCommerce's default
	Type          string   // simple, variable, …
	SKU           string   // exact SKU; also finds variations (type "variation")
	Fields        []string // _fields projection; nil = full objects
	// OrderBy and Order default to "id" and "asc", which keep paging stable
	// while the store changes (new products land on the last page).
	OrderBy, Order string
}

func (q ProductQuery) values() url.Values {
	v := url.Values{}
	if !q.ModifiedAfter.IsZero() {
		v.Set("modified_after", q.ModifiedAfter.UTC().Format(wooTimeLayout))
		v.Set("dates_are_gmt", "true")
	}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if q.Type != "" {
		v.Set("type", q.Type)
	}
	if q.SKU != "" {
		v.Set("sku", q.SKU)
	}
	if len(q.Fields) > 0 {
		v.Set("_fields", strings.Join(q.Fields, ","))
	}
	orderBy, order := q.OrderBy, q.Order
	if orderBy == "" {
		orderBy = "id"
	}
	if order == "" {
		order = "asc"
	}
	v.Set("orderby", orderBy)
	v.Set("order", order)
	return v
}

// Products streams the products matching q, page by page (per_page=100),
// calling fn for each. An error from fn stops the listing and is returned.
func (c *Client) Products(ctx context.Context, q ProductQuery, fn func(Product) error) error {
	if err := listPages(ctx, c, "/wc/v3/products", q.values(), fn); err != nil {
		return fmt.Errorf("woo products: %w", err)
	}
	return nil
}

// Product fetches one product (or variation) by id; 404 → *Error woo_not_found.
func (c *Client) Product(ctx context.Context, id int64) (Product, error) {
	var p Product
	if _, err := c.getJSON(ctx, "/wc/v3/products/"+strconv.FormatInt(id, 10), nil, &p); err != nil {
		return Product{}, fmt.Errorf("woo product %d: %w", id, err)
	}
	return p, nil
}

// Variations streams the variations of a variable product (private ones
// included, as WooCommerce lists them). ParentID is set on each.
func (c *Client) Variations(ctx context.Context, productID int64, fn func(Variation) error) error {
	return c.variations(ctx, productID, nil, fn)
}

func (c *Client) variations(ctx context.Context, productID int64, fields []string, fn func(Variation) error) error {
	// Ascending ids, like the plugin route (REST's default is date desc).
	q := url.Values{"orderby": {"id"}, "order": {"asc"}}
	if len(fields) > 0 {
		q.Set("_fields", strings.Join(fields, ","))
	}
	route := "/wc/v3/products/" + strconv.FormatInt(productID, 10) + "/variations"
	err := listPages(ctx, c, route, q, func(v Variation) error {
		if v.ParentID == 0 {
			v.ParentID = productID // 6.9 does not send parent_id
		}
		return fn(v)
	})
	if err != nil {
		return fmt.Errorf("woo variations of product %d: %w", productID, err)
	}
	return nil
}
