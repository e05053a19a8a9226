package woo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// CreateOrder creates an order. It is NEVER retried, not even after a
// timeout: the order may exist. The caller decides (look it up with
// OrderByRelease before trying again).
func (c *Client) CreateOrder(ctx context.Context, in OrderInput) (Order, error) {
	var o Order
	resp, err := c.send(ctx, request{method: http.MethodPost, route: "/wc/v3/orders", body: in, write: true})
	if err != nil {
		return Order{}, fmt.Errorf("woo create order: %w", err)
	}
	if err := decodeJSON(resp, "POST /wc/v3/orders", &o); err != nil {
		return Order{}, fmt.Errorf("woo create order: %w", err)
	}
	return o, nil
}

// releaseLookup is the plugin's orders/by-release answer.
type releaseLookup struct {
	ID             int64   `json:"id"`
	Number         string  `json:"number"`
	Status         string  `json:"status"`
	ReleaseOrderID string  `json:"release_order_id"`
	DateCreatedGMT GMTTime `json:"date_created_gmt"`
}

// OrderByRelease finds the order mirroring an OnCloudWine release order
// through the plugin route (meta _oncloudwine_release_order_id). It returns
// nil, nil when no order mirrors it. Without the plugin it fails with
// woo_plugin_missing: never treat that as "not found". The returned Order
// has ID, Number, Status and DateCreatedGMT.
func (c *Client) OrderByRelease(ctx context.Context, releaseOrderID string) (*Order, error) {
	route := "/wc/v3/oncloudwine/orders/by-release/" + url.PathEscape(releaseOrderID)
	var found releaseLookup
	_, err := c.getJSON(ctx, route, nil, &found)
	if err != nil {
		var we *Error
		if errors.As(err, &we) && we.Status == http.StatusNotFound {
			if we.WooCode == "oncloudwine_order_not_found" {
				return nil, nil
			}
			if we.WooCode == "rest_no_route" {
				c.notePluginAbsent(err)
				return nil, fmt.Errorf("woo order by release %s: %w", releaseOrderID, newError(ErrPluginMissing, we.Status, we.WooCode, "", err))
			}
		}
		return nil, fmt.Errorf("woo order by release %s: %w", releaseOrderID, err)
	}
	return &Order{ID: found.ID, Number: found.Number, Status: found.Status, DateCreatedGMT: found.DateCreatedGMT}, nil
}
