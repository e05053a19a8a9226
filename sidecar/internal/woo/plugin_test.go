package woo

import (
	"slices"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// With the plugin, the catalog comes from its route in pages of 500 with
// the variations inline, and no REST product listing is made.
func TestCatalogUsesPluginRoute(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{Products: 1000, Variations: 2, Seed: 11}, true)
	want := simTotal(t, srv, "")
	sim.ResetRequests()
	c, _ := simClient(t, srv, nil)
	var ids []int64
	err := c.Catalog(ctxT(t), func(p Product, vars []Variation) error {
		ids = append(ids, p.ID)
		if p.Type == "variable" && p.Status == "publish" && (len(vars) == 0 || len(vars) != len(p.Variations)) {
			t.Errorf("product %d: %d variations inline, ids %v", p.ID, len(vars), p.Variations)
		}
		for _, v := range vars {
			if v.ParentID != p.ID {
				t.Errorf("variation %d of %d says parent %d", v.ID, p.ID, v.ParentID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != want || !slices.IsSorted(ids) {
		t.Fatalf("%d products (sorted %v), want %d in id order", len(ids), slices.IsSorted(ids), want)
	}
	if n, pages := countRequests(sim, func(r woosim.RecordedRequest) bool { return r.Route == "/wc/v3/oncloudwine/catalog" }), (want+499)/500; n != pages || pages < 3 {
		t.Errorf("%d catalog pages, want %d (≥ 3)", n, pages)
	}
	if n := countRequests(sim, func(r woosim.RecordedRequest) bool { return strings.HasPrefix(r.Route, "/wc/v3/products") }); n != 0 {
		t.Errorf("%d REST product requests despite the plugin", n)
	}
}

// Without the plugin, stock levels come from REST listings projected with
// _fields; parent-managed variations carry the parent's quantity.
func TestStockLevelsOverREST(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{NoPlugin: true}, true)
	c, _ := simClient(t, srv, nil)
	var levels []StockLevel
	if err := c.StockLevels(ctxT(t), func(l StockLevel) error { levels = append(levels, l); return nil }); err != nil {
		t.Fatal(err)
	}
	parent := 0
	for _, l := range levels {
		if l.ManageStock == ManageStockParent && l.ParentID != 0 && l.StockQuantity != nil && *l.StockQuantity == 60 {
			parent++
		}
	}
	if parent != 6 {
		t.Errorf("%d variation levels with manage_stock parent and the parent's 60, want the lab Rioja's 6", parent)
	}
	for _, r := range sim.Requests() {
		if strings.HasPrefix(r.Route, "/wc/v3/products") && !strings.Contains(r.Query, "_fields=") {
			t.Errorf("stock listing without _fields: %s?%s", r.Path, r.Query)
		}
	}
}
