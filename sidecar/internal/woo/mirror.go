package woo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The calls below serve the release-order mirror (package mirror): finding
// a mirrored order without the plugin, moving an order's status, reading a
// customer and resolving a SKU.

// OrderByReleaseREST finds the order mirroring releaseOrderID through REST
// alone (no plugin): it lists the orders modified since `since` (any
// status) and keeps the one whose meta _oncloudwine_release_order_id is the
// id. It never relies on meta_query, which WooCommerce 6.9 ignores. since
// should be a little before the first attempt to create the order. nil,
// nil when none.
func (c *Client) OrderByReleaseREST(ctx context.Context, releaseOrderID string, since time.Time) (*Order, error) {
	q := url.Values{"modified_after": {since.UTC().Format(wooTimeLayout)}, "dates_are_gmt": {"true"},
		"orderby": {"id"}, "order": {"asc"}, "_fields": {"id,number,status,date_created_gmt,meta_data"}}
	var found *Order
	errFound := errors.New("found")
	err := listPages(ctx, c, "/wc/v3/orders", q, func(o Order) error {
		if orderMirrors(o, releaseOrderID) {
			found = &o
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return nil, fmt.Errorf("woo order by release %s (REST): %w", releaseOrderID, err)
	}
	return found, nil
}

// ReleaseOrderMeta and ReleaseMeta are the order metas of a mirrored
// release order.
const (
	ReleaseOrderMeta = "_oncloudwine_release_order_id"
	ReleaseMeta      = "_oncloudwine_release_id"
)

func orderMirrors(o Order, releaseOrderID string) bool {
	want := []byte(strconv.Quote(releaseOrderID))
	for _, m := range o.MetaData {
		if m.Key == ReleaseOrderMeta && bytes.Equal(bytes.TrimSpace(m.Value), want) {
			return true
		}
	}
	return false
}

// SetOrderStatus moves an order to status (cancelled, refunded, …); what
// WooCommerce does on that transition (restocking a cancelled order)
// follows. Setting the status an order already has changes nothing, so the
// call may be repeated.
func (c *Client) SetOrderStatus(ctx context.Context, id int64, status string) (Order, error) {
	var o Order
	route := "/wc/v3/orders/" + strconv.FormatInt(id, 10)
	resp, err := c.send(ctx, request{method: http.MethodPut, route: route, body: map[string]string{"status": status}, write: true})
	if err != nil {
		return Order{}, fmt.Errorf("woo set order %d status: %w", id, err)
	}
	if err := decodeJSON(resp, "PUT "+route, &o); err != nil {
		return Order{}, fmt.Errorf("woo set order %d status: %w", id, err)
	}
	return o, nil
}

// CustomerByID reads a customer; nil, nil when the user does not exist (any
// more).
func (c *Client) CustomerByID(ctx context.Context, id int64) (*Customer, error) {
	var cu Customer
	if _, err := c.getJSON(ctx, "/wc/v3/customers/"+strconv.FormatInt(id, 10), nil, &cu); err != nil {
		var we *Error
		if errors.As(err, &we) && we.Status == http.StatusNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("woo customer %d: %w", id, err)
	}
	return &cu, nil
}

// ProductRef is what an order line needs of a product: the product and,
// for a variation, the variation id.
type ProductRef struct {
	ProductID, VariationID int64
}

// ProductBySKU finds the published-or-not product or variation whose own
// SKU is sku (products?sku= finds variations too). found is false when none
// has it.
func (c *Client) ProductBySKU(ctx context.Context, sku string) (ref ProductRef, found bool, err error) {
	q := url.Values{"sku": {sku}, "_fields": {"id,parent_id,type,sku"}, "status": {"any"}}
	var list []Product
	if _, err := c.getJSON(ctx, "/wc/v3/products", q, &list); err != nil {
		return ProductRef{}, false, fmt.Errorf("woo product by SKU %s: %w", sku, err)
	}
	for _, p := range list {
		if !strings.EqualFold(strings.TrimSpace(p.SKU), sku) || p.Type == "variable" {
			continue
		}
		if p.Type == "variation" && p.ParentID != 0 {
			return ProductRef{ProductID: p.ParentID, VariationID: p.ID}, true, nil
		}
		return ProductRef{ProductID: p.ID}, true, nil
	}
	return ProductRef{}, false, nil
}
