package woo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// pluginStockPage is the plugin's stock answer (docs/plugin-routes.md).
type pluginStockPage struct {
	Levels      []StockLevel `json:"levels"`
	NextAfterID *int64       `json:"next_after_id"`
}

var (
	stockProductFields   = []string{"id", "parent_id", "type", "sku", "manage_stock", "stock_quantity", "stock_status", "date_modified_gmt"}
	stockVariationFields = []string{"id", "parent_id", "sku", "manage_stock", "stock_quantity", "stock_status", "date_modified_gmt"}
)

// StockLevels calls fn for every product and variation (not trashed) with
// its stock, in ascending id order per product (a variable product first,
// then its variations). It reads the plugin's stock route (5,000 a page)
// when present, otherwise REST v3 like Catalog with _fields trimmed.
func (c *Client) StockLevels(ctx context.Context, fn func(StockLevel) error) error {
	if c.plugin.Load() != pluginAbsent {
		err := c.stockPlugin(ctx, fn)
		if !errors.Is(err, errNoPlugin) {
			return err
		}
	}
	return c.catalogREST(ctx, stockProductFields, stockVariationFields, func(p Product, vars []Variation) error {
		if err := fn(StockLevel{ID: p.ID, ParentID: p.ParentID, SKU: p.SKU, ManageStock: p.ManageStock, StockQuantity: p.StockQuantity,
			StockStatus: p.StockStatus, DateModifiedGMT: p.DateModifiedGMT}); err != nil {
			return err
		}
		for _, v := range vars {
			if err := fn(StockLevel{ID: v.ID, ParentID: v.ParentID, SKU: v.SKU, ManageStock: v.ManageStock, StockQuantity: v.StockQuantity,
				StockStatus: v.StockStatus, DateModifiedGMT: v.DateModifiedGMT}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (c *Client) stockPlugin(ctx context.Context, fn func(StockLevel) error) error {
	const route = "/wc/v3/oncloudwine/stock"
	var after int64
	for first := true; ; first = false {
		q := url.Values{"after_id": {strconv.FormatInt(after, 10)}, "limit": {"5000"}}
		var page pluginStockPage
		if _, err := c.getJSON(ctx, route, q, &page); err != nil {
			if first && c.notePluginAbsent(err) {
				return errNoPlugin
			}
			return fmt.Errorf("woo stock: %w", err)
		}
		c.plugin.Store(pluginPresent)
		for _, l := range page.Levels {
			if err := fn(l); err != nil {
				return err
			}
		}
		if page.NextAfterID == nil || *page.NextAfterID <= after || len(page.Levels) == 0 {
			return nil
		}
		after = *page.NextAfterID
	}
}
